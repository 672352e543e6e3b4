r"""Cross-entropy of a linear layer's logits without materialising the logits.

A language model's head computes logits :math:`Z = H W^{\top} + b` for :math:`N` tokens and a
vocabulary of :math:`V` words: an :math:`N \times V` matrix (4096 tokens × 32000 words in
float32 is 500 MiB, and the gradient needs another). The loss needs far less: for token
:math:`i` with target :math:`y_i`,

.. math::

    \ell_i = \operatorname{logsumexp}_v Z_{iv} - Z_{i y_i},

and the gradients are :math:`G = \operatorname{softmax}(Z) - Y` (one-hot :math:`Y`) multiplied
into :math:`\partial\ell/\partial H = G W`, :math:`\partial\ell/\partial W = G^{\top} H`,
:math:`\partial\ell/\partial b = \mathbf{1}^{\top} G`. Both are sums over tokens, so they can
be computed a block of tokens at a time: only one block of logits exists at any moment.

The loss goes further and splits the vocabulary too: each block of words contributes a
partial log-sum-exp as a pair (running maximum, sum of exponentials scaled by it), and pairs
combine with the associative merge of the online softmax (Milakov & Gimelshein 2018):
:math:`(m, s) \oplus (m', s') = (M, s e^{m - M} + s' e^{m' - M})`, :math:`M = \max(m, m')`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    as_index_array,
    cast_result,
    check_class_indices,
    check_ignore_index,
    check_reduction,
    compute_dtype,
    reduce_losses,
)
from .activations import logsumexp

__all__ = [
    "linear_cross_entropy",
    "linear_cross_entropy_grad",
    "linear_cross_entropy_value_and_grad",
]

#: Bytes of logits held at once by default (one block of tokens × one block of words): small
#: against the full N × V matrix (6 % of it at N = 4096, V = 32000), large enough that each
#: matrix product keeps BLAS efficient (blocks of ~100 rows were 2-3 times slower there).
BLOCK_BYTES = 64 * 2**20


def _check_chunk_size(chunk_size: Any) -> int | None:
    if chunk_size is None:
        return None
    if isinstance(chunk_size, (bool, np.bool_)) or not isinstance(chunk_size, (int, np.integer)):
        raise TypeError(f"chunk_size: expected a positive integer or None, got {chunk_size!r}")
    if chunk_size <= 0:
        raise ValueError(f"chunk_size: must be a positive integer, got {chunk_size}")
    return int(chunk_size)


def _prepare(hidden: ArrayLike, weight: ArrayLike, target: ArrayLike, bias: ArrayLike | None,
             ignore_index: Any, reduction: Any, chunk_size: Any):
    h = as_float_array(hidden, "hidden")
    w = as_float_array(weight, "weight")
    if h.ndim < 1:
        raise ValueError("hidden: expected an array of shape (..., d), got a 0-d input")
    if w.ndim != 2:
        raise ValueError(f"weight: expected shape (V, d) as in torch.nn.functional.linear, "
                         f"got {w.shape}")
    if h.shape[-1] != w.shape[1]:
        raise ValueError(f"hidden, weight: inner sizes differ: hidden has d = {h.shape[-1]}, "
                         f"weight (V, d) has d = {w.shape[1]}")
    vocab = w.shape[0]
    if vocab == 0:
        raise ValueError("weight: has zero rows (a vocabulary of zero words)")
    reduction = check_reduction(reduction)
    ignore_index = check_ignore_index(ignore_index)
    chunk = _check_chunk_size(chunk_size)
    y = as_index_array(target, "target")
    if y.shape != h.shape[:-1]:
        raise ValueError(f"target: expected shape {h.shape[:-1]} (hidden's shape without d), "
                         f"got {y.shape}")
    check_class_indices(y, vocab, ignore_index)
    dtype = np.result_type(h.dtype, w.dtype)
    b = None
    if bias is not None:
        b = as_float_array(bias, "bias")
        if b.shape != (vocab,):
            raise ValueError(f"bias: expected shape ({vocab},) (one per row of weight), "
                             f"got {b.shape}")
        dtype = np.result_type(dtype, b.dtype)
    work = compute_dtype(dtype)
    h2 = h.reshape(-1, h.shape[-1]).astype(work, copy=False)
    y1 = y.reshape(-1)
    keep = np.ones(y1.shape, bool) if ignore_index is None else y1 != ignore_index
    safe = np.where(keep, y1, 0)
    wk = w.astype(work, copy=False)
    bk = None if b is None else b.astype(work, copy=False)
    if chunk is None:
        chunk = max(1, BLOCK_BYTES // (vocab * np.dtype(work).itemsize))
    return h, h2, wk, bk, safe, keep, reduction, chunk, dtype, work


def _logits(h: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    z = h @ w.T
    if b is not None:
        z += b
    return z


def linear_cross_entropy(
    hidden: ArrayLike,
    weight: ArrayLike,
    target: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
    chunk_size: int | None = None,
) -> Any:
    r"""Cross-entropy of the logits ``hidden @ weight.T + bias`` without forming them.

    Equal to ``torch.nn.functional.cross_entropy(F.linear(hidden, weight, bias), target,
    ignore_index=..., reduction=...)`` and to
    ``cross_entropy(hidden @ weight.T + bias, target, ...)``, but it holds only one block of
    logits at a time.

    Parameters
    ----------
    hidden : array_like, shape (..., d)
        The inputs of the linear layer, one row per token.
    weight : array_like, shape (V, d)
        The layer's weight, one row per class (word), as in ``torch.nn.functional.linear``.
    target : array_like of int, shape (...)
        Class indices in ``[0, V)``: ``hidden``'s shape without ``d``.
    bias : array_like, shape (V,), optional
        The layer's bias.
    ignore_index : int, optional
        Targets equal to it contribute 0 and are left out of the mean's denominator (``nan``
        when every target is ignored, as in torch). ``None`` (default) ignores nothing.
    reduction : {"mean", "sum", "none"}, default "mean"
    chunk_size : int, optional
        Tokens per block. Default: as many as keep one block of logits near 64 MiB.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``"none"``: the per-token losses, shape ``target.shape``; otherwise a NumPy scalar.
        In the result dtype of ``hidden``, ``weight`` and ``bias`` (float32 stays float32;
        float16 is computed in float32 and rounded back).

    Raises
    ------
    TypeError
        If an array is complex, object or string, ``target`` is not integer, or
        ``chunk_size`` is not an integer.
    ValueError
        If ``weight`` is not 2-d, the inner sizes of ``hidden`` and ``weight`` differ,
        ``target``'s or ``bias``' shape is wrong, a target is outside ``[0, V)`` (and not
        ``ignore_index``), ``chunk_size <= 0`` or ``reduction`` is invalid.

    See Also
    --------
    linear_cross_entropy_grad : the gradients with respect to ``hidden``, ``weight`` and ``bias``.
    linear_cross_entropy_value_and_grad : both, in one pass (for a training step).
    cross_entropy : the same loss from materialised logits.

    Notes
    -----
    For each block of tokens the vocabulary is visited in blocks of words too: a block's
    log-sum-exp is kept as a pair :math:`(m, s)` (its maximum and :math:`\sum_v e^{z_v - m}`)
    and merged into the running pair with
    :math:`(m, s) \oplus (m', s') = (M, s e^{m - M} + s' e^{m' - M})`; at the end
    :math:`\operatorname{logsumexp} = m + \log s`. The target logit
    :math:`z_{i y_i} = h_i \cdot w_{y_i} + b_{y_i}` is a dot product of its own. Peak extra
    memory is one block of logits, whatever :math:`N` and :math:`V`.

    Examples
    --------
    >>> from softmax_ce import cross_entropy
    >>> rng = np.random.default_rng(0)
    >>> H, W = rng.normal(size=(6, 4)), rng.normal(size=(10, 4))
    >>> y = np.array([1, 0, 9, 3, 3, 5])
    >>> loss = linear_cross_entropy(H, W, y, chunk_size=4)
    >>> bool(np.isclose(loss, cross_entropy(H @ W.T, y), rtol=1e-14))
    True
    """
    h, h2, w, b, safe, keep, reduction, chunk, dtype, work = _prepare(
        hidden, weight, target, bias, ignore_index, reduction, chunk_size)
    n, vocab = h2.shape[0], w.shape[0]
    words = max(1, BLOCK_BYTES // (chunk * np.dtype(work).itemsize))
    losses = np.zeros(n, work)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for start in range(0, n, chunk):
            rows = slice(start, min(start + chunk, n))
            hc = h2[rows]
            m = np.full(hc.shape[0], -np.inf, work)  # running maximum
            s = np.zeros(hc.shape[0], work)          # running sum of exp(z - m)
            for first in range(0, vocab, words):
                cols = slice(first, min(first + words, vocab))
                z = _logits(hc, w[cols], None if b is None else b[cols])
                new_m = np.maximum(m, z.max(axis=1))
                shift = np.where(np.isneginf(new_m), 0.0, new_m)  # no (-inf) - (-inf)
                z -= shift[:, None]
                s = s * np.exp(m - shift) + np.exp(z, out=z).sum(axis=1)  # in place: one block
                m = new_m
            lse = m + np.log(s)
            yc = safe[rows]
            target_logit = np.einsum("nd,nd->n", hc, w[yc])
            if b is not None:
                target_logit += b[yc]
            losses[rows] = lse - target_logit
    losses = np.where(keep, losses, 0.0).astype(work)
    return reduce_losses(losses.reshape(h.shape[:-1]), reduction, float(keep.sum()), dtype)


def linear_cross_entropy_grad(
    hidden: ArrayLike,
    weight: ArrayLike,
    target: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
    chunk_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    r"""Gradients of :func:`linear_cross_entropy` with respect to ``hidden``, ``weight``, ``bias``.

    Parameters
    ----------
    hidden, weight, target, bias, ignore_index, reduction, chunk_size
        As :func:`linear_cross_entropy`. For ``reduction="none"`` the gradients are those of
        the *sum* of the per-token losses.

    Returns
    -------
    grad_hidden : numpy.ndarray
        ``hidden``'s shape.
    grad_weight : numpy.ndarray
        ``weight``'s shape, ``(V, d)``.
    grad_bias : numpy.ndarray or None
        Shape ``(V,)``; ``None`` without a bias.

    All in the result dtype of the inputs: what ``torch.autograd`` gives after
    ``loss.backward()``.

    Raises
    ------
    TypeError, ValueError
        As :func:`linear_cross_entropy`.

    Notes
    -----
    For a block of tokens with logits :math:`Z` (a block of rows, every word),
    :math:`G = c\,(\operatorname{softmax}(Z) - Y)`, the softmax computed in place as
    :math:`e^{Z - \operatorname{logsumexp} Z}`, with :math:`c = 1/n_{\text{kept}}` for
    ``"mean"`` (1 otherwise) and rows of ignored tokens set to 0; then
    :math:`\partial\ell/\partial H_{\text{block}} = G W`, and :math:`G^{\top} H_{\text{block}}`,
    :math:`\mathbf{1}^{\top} G` are added to the weight's and the bias' gradients. The matrix
    products are the same as with materialised logits; only one block of :math:`G` exists at a
    time.

    Examples
    --------
    >>> from softmax_ce import cross_entropy_grad
    >>> rng = np.random.default_rng(0)
    >>> H, W, b = rng.normal(size=(6, 4)), rng.normal(size=(10, 4)), rng.normal(size=10)
    >>> y = np.array([1, 0, 9, 3, 3, 5])
    >>> gH, gW, gb = linear_cross_entropy_grad(H, W, y, bias=b, chunk_size=4)
    >>> G = cross_entropy_grad(H @ W.T + b, y)  # materialised, for comparison
    >>> all(np.allclose(a, e, rtol=1e-13) for a, e in [(gH, G @ W), (gW, G.T @ H), (gb, G.sum(0))])
    True
    """
    _, grad_hidden, grad_weight, grad_bias = linear_cross_entropy_value_and_grad(
        hidden, weight, target, bias=bias, ignore_index=ignore_index, reduction=reduction,
        chunk_size=chunk_size)
    return grad_hidden, grad_weight, grad_bias


def linear_cross_entropy_value_and_grad(
    hidden: ArrayLike,
    weight: ArrayLike,
    target: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
    chunk_size: int | None = None,
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray | None]:
    r"""The loss of :func:`linear_cross_entropy` and its gradients, in one pass.

    A training step needs both; computing them together multiplies ``hidden`` by ``weight``
    once per block instead of twice (as calling :func:`linear_cross_entropy` and then
    :func:`linear_cross_entropy_grad` would), the same number of matrix products as with
    materialised logits.

    Parameters
    ----------
    hidden, weight, target, bias, ignore_index, reduction, chunk_size
        As :func:`linear_cross_entropy`.

    Returns
    -------
    loss : numpy.ndarray or numpy scalar
        As :func:`linear_cross_entropy`.
    grad_hidden, grad_weight, grad_bias
        As :func:`linear_cross_entropy_grad`.

    Raises
    ------
    TypeError, ValueError
        As :func:`linear_cross_entropy`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> H, W, y = rng.normal(size=(5, 3)), rng.normal(size=(7, 3)), np.array([0, 6, 2, 2, 1])
    >>> loss, gH, gW, gb = linear_cross_entropy_value_and_grad(H, W, y, chunk_size=2)
    >>> bool(np.isclose(loss, linear_cross_entropy(H, W, y), rtol=1e-14)), gb is None
    (True, True)
    """
    h, h2, w, b, safe, keep, reduction, chunk, dtype, work = _prepare(
        hidden, weight, target, bias, ignore_index, reduction, chunk_size)
    n, vocab = h2.shape[0], w.shape[0]
    scale = 1.0
    if reduction == "mean":
        kept = int(keep.sum())
        scale = 1.0 / kept if kept else np.nan
    losses = np.zeros(n, work)
    grad_h = np.zeros_like(h2)
    grad_w = np.zeros(w.shape, work)
    grad_b = None if b is None else np.zeros(vocab, work)
    for start in range(0, n, chunk):
        rows = slice(start, min(start + chunk, n))
        picked = (np.arange(rows.stop - rows.start), safe[rows])
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            g = _logits(h2[rows], w, b)
            lse = logsumexp(g, axis=-1)
            losses[rows] = lse - g[picked]  # a loss beyond the float range is inf
            g -= lse[:, None]  # -inf where z - lse < -max: exp gives the true 0
            np.exp(g, out=g)  # softmax in place: exp(z - logsumexp z); one block of memory
        g[picked] -= 1
        g[~keep[rows]] = 0
        if scale != 1.0:
            g *= work.type(scale)
        with np.errstate(over="ignore", invalid="ignore"):  # beyond the float range: inf
            grad_h[rows] = g @ w
            grad_w += g.T @ h2[rows]
            if grad_b is not None:
                grad_b += g.sum(axis=0)
    losses = np.where(keep, losses, 0.0).astype(work)
    loss = reduce_losses(losses.reshape(h.shape[:-1]), reduction, float(keep.sum()), dtype)
    return (loss, cast_result(grad_h.reshape(h.shape), dtype), cast_result(grad_w, dtype),
            None if grad_b is None else cast_result(grad_b, dtype))
