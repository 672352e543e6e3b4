"""Reductions over the classes of a ``(K, b)`` block (one column per sample): the fast paths.

Each function computes one plain quantity, named in the first line of its docstring; *how* it
does so depends on the number of classes ``K``, for speed only. The kernels in
``softmax_ce._kernels`` state the mathematics in terms of these functions, and
``tests/test_kernels.py`` checks every fast path against the plain NumPy definition.

Examples
--------
>>> d = np.array([[0.0, -1.0], [-40.0, 0.0], [-40.0, 0.0]])  # z - max z, two samples
>>> sum_exp_except_max(d, np.empty_like(d))  # exp(-40) + exp(-40); exp(-1) + 1 (a tie)
array([[8.49670851e-18, 1.36787944e+00]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._blocks import FEW_CLASSES

__all__ = ["column_max", "column_sum", "pick", "subtract_at", "sum_exp_except_max"]

#: Up to 128 classes a column sum is the product ``ones @ x``: faster than ``np.sum``, and as
#: accurate, since up to its pairwise block of 128 ``np.sum`` too is a plain unrolled loop.
MATMUL_SUM_MAX_CLASSES = 128


def column_max(x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``max(x, axis=0)``, shape ``(1, b)``, and the row of a maximal entry of each column.

    A column holding nan has maximum nan (and its row is that of the first nan). For few
    classes (then a staged, contiguous block) the rows are not computed and ``None`` is
    returned: K - 1 elementwise maxima of contiguous rows are faster than ``argmax``.
    """
    k = x.shape[0]
    if k <= FEW_CLASSES:
        m = x[:1].copy()
        for j in range(1, k):
            np.maximum(m, x[j : j + 1], out=m)
        return m, None
    top = np.argmax(x, axis=0)
    return pick(x, top)[None, :], top


def column_sum(x: np.ndarray) -> np.ndarray:
    """``sum(x, axis=0)``, shape ``(1, b)``."""
    k = x.shape[0]
    if k <= MATMUL_SUM_MAX_CLASSES:
        return np.ones((1, k), x.dtype) @ x
    return x.sum(axis=0, keepdims=True)  # pairwise summation


def sum_exp_except_max(
    d: np.ndarray, scratch: np.ndarray, top: np.ndarray | None = None
) -> np.ndarray:
    """``t = sum(exp(d), axis=0) - 1``, for ``d = z - max z``: the sum without one term ``e^0``.

    Shape ``(1, b)``. ``top`` is the row of a maximal entry of each column, as
    :func:`column_max` returns it (found here if ``None`` and K is large). The maximal term is
    left out rather than subtracted after summing, so a tiny ``t`` keeps all its digits. A
    column whose maximum is nan (one that contained nan or +inf, or was all -inf) gives
    ``t = nan``. ``scratch`` (block-sized) may be ``d`` itself.
    """
    if top is None and d.shape[0] <= FEW_CLASSES:  # leave out every exact 0, add back the ties
        is_max = d == 0
        e = np.exp(d, out=scratch)
        with_max = column_sum(e)
        np.subtract(e, is_max, out=e)  # exp(0) - 1 = 0
        t = column_sum(e)
        return t + (np.rint(with_max - t) - 1)  # rint(...) = number of maximal entries
    if top is None:
        top = np.argmax(d, axis=0)
    e = np.exp(d, out=scratch)
    subtract_at(e, top, 1.0)  # exp(0) - 1 = 0 (nan stays nan)
    return column_sum(e)


def _flat_index(a: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, Any]:
    """``(flat, at)`` with ``flat[at]`` the entries ``a[rows[i], i]`` of the (K, b) block a.

    When ``a`` (or its transpose) is contiguous, ``flat`` is a 1-d view of it and ``at`` one
    array of positions, which NumPy indexes several times faster than a pair of index arrays.
    """
    k, b = a.shape
    if a.flags.c_contiguous:  # a staged block: column i of row j at j * b + i
        return a.reshape(-1), rows * b + np.arange(b)
    if a.flags.f_contiguous:  # a transposed (b, K) block: at i * K + j
        return a.T.reshape(-1), np.arange(0, b * k, k) + rows
    return a, (rows, np.arange(b))


def pick(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``a[rows, arange(b)]``: the entry of row ``rows[i]`` in each column ``i``, shape ``(b,)``."""
    flat, at = _flat_index(a, rows)
    return flat[at]


def subtract_at(a: np.ndarray, rows: np.ndarray, values: Any) -> None:
    """``a[rows, arange(b)] -= values``, in place."""
    flat, at = _flat_index(a, rows)
    flat[at] -= values
