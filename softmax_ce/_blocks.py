"""Iterate over blocks of samples sized to the CPU cache.

Every public function moves the class axis last (a view, no copy) and then runs a short
mathematical *kernel* on one block of samples at a time, writing into an output array it owns.
A block holds about :data:`BLOCK_BYTES` of logits, so the few passes a kernel makes over it
(max, subtract, exp, sum, scale) hit the cache instead of main memory, and any scratch
buffer a kernel needs is block-sized rather than logits-sized.

The iteration is written once, here, for arrays of any number of leading dimensions and any
strides, and so is the loop that runs a kernel over the blocks, :func:`map_blocks`.
:func:`row_blocks` cuts the input into 2-d ``(b, K)`` blocks together with the range of flat
row numbers each covers, so results go into a C-contiguous output of shape ``(N, K)`` or
``(N,)``. A block is a view of the input whenever its rows are evenly spaced in memory;
otherwise (say ``axis=1`` on a ``(N, C, d)`` array) it is a block-sized copy, never a copy of
the whole input. :func:`column_blocks` hands those blocks to the kernels transposed, ``(K, b)``
with one column per sample, as views for many classes and as contiguous block-sized copies
for few classes (where NumPy is much faster on long contiguous rows than on short ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

__all__ = [
    "BLOCK_BYTES",
    "FEW_CLASSES",
    "block_indices",
    "column_blocks",
    "map_blocks",
    "row_blocks",
    "rows_per_block",
]

#: Target size of one block of logits: half of this machine's 1 MiB-per-core L2 cache. Measured
#: on this machine (float32; 128 KiB to 4 MiB tried), 512 KiB was fastest or close to it for
#: K = 10, 128 and 32000: larger blocks pay less per-call overhead, but the block-sized scratch
#: buffers stop fitting in the caches.
BLOCK_BYTES = 512 * 1024

#: Up to this many classes a block is staged as a contiguous ``(K, b)`` copy: a sample's K
#: values are too short a run for NumPy, which is faster on the K long rows of the copy.
#: Measured (float32, 2**21 logits, one thread): log_softmax staged/view 9.4/13.5 ms at K = 16,
#: 9.6/11.0 ms at K = 32, 10.7/9.9 ms at K = 40: the copy stops paying off between 32 and 40.
FEW_CLASSES = 32


def rows_per_block(num_classes: int, itemsize: int) -> int:
    """How many rows of ``num_classes`` entries fit in one block (at least one)."""
    return max(1, BLOCK_BYTES // max(1, num_classes * itemsize))


def block_indices(lead_shape: tuple[int, ...], rows: int) -> Iterator[tuple[slice, ...]]:
    """Yield index tuples that cover ``lead_shape`` in C order, about ``rows`` rows at a time.

    ``lead_shape`` is the shape of an array without its last (class) axis. Each tuple indexes
    the leading axes with slices, so ``a[index]`` keeps every axis; consecutive tuples cover
    consecutive runs of rows in C order.

    Examples
    --------
    >>> list(block_indices((5,), 2))
    [(slice(0, 2, None),), (slice(2, 4, None),), (slice(4, 5, None),)]
    >>> list(block_indices((), 2))  # a single row (1-d logits)
    [()]
    >>> list(block_indices((2, 3), 2))[:2]
    [(slice(0, 1, None), slice(0, 2, None)), (slice(0, 1, None), slice(2, 3, None))]
    """
    if not lead_shape:
        yield ()
        return
    n, rest = lead_shape[0], lead_shape[1:]
    inner = 1
    for size in rest:
        inner *= size
    if inner <= rows:
        step = max(1, rows // max(1, inner))
        for start in range(0, n, step):
            yield (slice(start, min(start + step, n)),) + (slice(None),) * len(rest)
    else:
        for i in range(n):
            for sub in block_indices(rest, rows):
                yield (slice(i, i + 1),) + sub


def row_blocks(a: np.ndarray, rows: int) -> Iterator[tuple[slice, np.ndarray]]:
    """Yield ``(flat_rows, block)`` for ``a`` of shape ``(..., K)``, class axis last.

    ``block`` is ``(b, K)``: the rows ``flat_rows`` of ``a.reshape(-1, K)``, as a view when
    possible, else as a block-sized copy (so a kernel may read it but must not write to it).

    Examples
    --------
    >>> a = np.arange(12.0).reshape(2, 3, 2)
    >>> [(rows.start, rows.stop, block.shape) for rows, block in row_blocks(a, 2)]
    [(0, 2, (2, 2)), (2, 3, (1, 2)), (3, 5, (2, 2)), (5, 6, (1, 2))]
    """
    k = a.shape[-1]
    start = 0
    for index in block_indices(a.shape[:-1], rows):
        block = a[index].reshape(-1, k)
        yield slice(start, start + block.shape[0]), block
        start += block.shape[0]


def column_blocks(
    a: np.ndarray, out: np.ndarray | None, rows: int, stage: bool
) -> Iterator[tuple[slice, np.ndarray, np.ndarray | None]]:
    """Yield ``(flat_rows, x, out_block)`` with ``x`` a ``(K, b)`` block: one column per sample.

    The kernels read a block with the classes on axis 0, so that per-sample quantities (a
    maximum, a sum) are rows of length ``b`` and every elementwise step runs along those long
    rows. ``a`` is ``(..., K)``; ``out``, if given, is the ``(N, K)`` result.

    ``out_block`` is always the transposed *view* ``out[flat_rows].T``, so a kernel writes
    its result straight into ``out``. ``stage=False``: ``x`` is a transposed view too (no copy;
    right for many classes, where each sample's K values are contiguous). ``stage=True`` (few
    classes): ``x`` is a contiguous ``(K, b)`` copy, in one reused block-sized buffer; the
    kernel should then do its intermediate steps in contiguous scratch buffers and only its
    last step into ``out_block`` (a strided write costs about what a transposing copy does).

    Examples
    --------
    >>> a = np.arange(6.0).reshape(3, 2)
    >>> out = np.empty((3, 2))
    >>> for rows, x, o in column_blocks(a, out, 2, stage=True):
    ...     _ = np.multiply(x, 10, out=o)
    >>> out
    array([[ 0., 10.],
           [20., 30.],
           [40., 50.]])
    """
    if stage:  # one block-sized buffer, reused for every block
        k = a.shape[-1]
        x_buffer = np.empty((k, min(rows, a.size // k)), a.dtype)
    for flat_rows, block in row_blocks(a, rows):
        x = block.T
        if stage:
            x = x_buffer[:, : block.shape[0]]
            np.copyto(x, block.T)
        yield flat_rows, x, None if out is None else out[flat_rows].T


def _work_view(buffer: np.ndarray, like: np.ndarray) -> np.ndarray:
    """A view of the flat ``buffer`` with the shape and memory order of the block ``like``.

    Same memory order matters: an elementwise step from ``like`` into the work view is then a
    straight pass, not a transposing copy.
    """
    if like.flags.f_contiguous and not like.flags.c_contiguous:  # a transposed (b, K) block
        return buffer[: like.size].reshape(like.shape[::-1]).T
    return buffer[: like.size].reshape(like.shape)


def map_blocks(
    kernel: Callable[..., None],
    x: np.ndarray,
    out: np.ndarray,
    *,
    samples: Sequence[np.ndarray] = (),
    columns: Sequence[np.ndarray] = (),
    work: int = 0,
) -> np.ndarray:
    """Run ``kernel(x_block, out_block, *sample_blocks, *column_blocks, *work)`` on every block.

    The one loop behind every public function. ``x`` is ``(..., K)``, class axis last, in the
    compute dtype; the kernel sees it as ``(K, b)`` blocks (see :func:`column_blocks`).

    Parameters
    ----------
    kernel : callable
        Writes its result for one block into ``out_block``; returns nothing.
    x : numpy.ndarray
        Logits ``(..., K)``.
    out : numpy.ndarray
        C-contiguous result, returned: of ``x``'s shape (the kernel gets the ``(K, b)`` view
        ``out[rows].T``), or of ``x``'s shape without the class axis (a ``(1, b)`` view).
    samples : sequence of numpy.ndarray
        Arrays of ``x``'s shape without the class axis; the kernel gets each block's ``(b,)``
        entries.
    columns : sequence of numpy.ndarray
        Arrays of ``x``'s shape (e.g. target probabilities); the kernel gets each block as
        ``(K, b)``, like ``x``.
    work : int
        How many block-sized work buffers the kernel gets, each laid out like ``x_block``.
        When ``out`` has ``x``'s shape and the block is not staged, the first one is
        ``out_block`` itself (so the kernel must not read it after writing ``out_block``).

    Examples
    --------
    >>> def double(x, out, e):
    ...     np.multiply(x, 2, out=e)
    ...     np.copyto(out, e)
    >>> map_blocks(double, np.arange(6.0).reshape(3, 2), np.empty((3, 2)), work=1)
    array([[ 0.,  2.],
           [ 4.,  6.],
           [ 8., 10.]])
    """
    k = x.shape[-1]
    rows = rows_per_block(k, x.itemsize)
    stage = k <= FEW_CLASSES
    per_class = out.shape == x.shape
    flat_out = out.reshape(-1, k) if per_class else out.reshape(-1)
    out_is_work = per_class and not stage and work > 0
    size = min(x.size, rows * k)
    buffers = [np.empty(size, x.dtype) for _ in range(work - out_is_work)]
    sample_rows = [a.reshape(-1) for a in samples]
    blocks = column_blocks(x, flat_out if per_class else None, rows, stage=stage)
    column_iters = [row_blocks(a, rows) for a in columns]
    with np.errstate(over="ignore", invalid="ignore"):  # the package's non-finite policy
        for flat_rows, block, out_block in blocks:
            if not per_class:
                out_block = flat_out[None, flat_rows]
            args = [a[flat_rows] for a in sample_rows]
            args += [next(it)[1].T for it in column_iters]
            if out_is_work:
                args.append(out_block)
            args += [_work_view(b, block) for b in buffers]
            kernel(block, out_block, *args)
    return out
