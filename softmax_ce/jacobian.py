r"""Derivatives of softmax: the Jacobian :math:`\operatorname{diag}(p) - p p^\top` and its product
with a vector, computed in :math:`O(K)` without forming the matrix."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    cast_result,
    check_class_axis,
    compute_dtype,
)
from .activations import softmax

__all__ = ["softmax_jacobian", "softmax_jvp"]


def softmax_jacobian(
    x: ArrayLike, axis: int = -1, *, where: ArrayLike | None = None
) -> np.ndarray:
    r"""Jacobian of softmax, :math:`\partial p / \partial z = \operatorname{diag}(p) - p p^\top`.

    Parameters
    ----------
    x : array_like
        Logits :math:`z`, at least 1-d.
    axis : int, default -1
        The class axis.
    where : array_like of bool, optional
        A mask broadcastable to ``x`` (True keeps an entry), as in :func:`softmax`: a masked
        class has :math:`p_j = 0`, so its row and column of :math:`J` are 0, whatever ``x``
        holds there; a row with no kept entry gives a zero matrix.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., K, K)``: ``x``'s other axes first (in order), then
        :math:`J_{jk} = \partial p_j / \partial z_k = p_j(\delta_{jk} - p_k)`.
        Symmetric, each row and column sums to 0, positive semidefinite.

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax`.

    See Also
    --------
    softmax_jvp : :math:`J v` in :math:`O(K)`, the way to use :math:`J` in practice.

    Notes
    -----
    Forming :math:`J` costs :math:`O(K^2)` memory per row; it is meant for teaching and
    testing. Derivation: :math:`\partial p_j/\partial z_k = p_j \delta_{jk} - p_j p_k`.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> softmax_jacobian(np.zeros((5, 3))).shape
    (5, 3, 3)
    """
    xa = as_float_array(x, "x")
    p = softmax(xa.astype(compute_dtype(xa.dtype), copy=False), axis, where=where)
    p = np.moveaxis(p, axis, -1)
    jac = -p[..., :, None] * p[..., None, :]  # -p p^T
    np.einsum("...jj->...j", jac)[...] += p  # + diag(p), through a writable diagonal view
    return cast_result(jac, xa.dtype)


def softmax_jvp(
    x: ArrayLike, v: ArrayLike, axis: int = -1, *, where: ArrayLike | None = None
) -> np.ndarray:
    r"""Jacobian-vector product of softmax: :math:`J v = p \odot (v - \langle p, v \rangle)`.

    Parameters
    ----------
    x : array_like
        Logits :math:`z`, at least 1-d.
    v : array_like
        Tangent vectors, same shape as ``x``.
    axis : int, default -1
        The class axis.
    where : array_like of bool, optional
        A mask broadcastable to ``x`` (True keeps an entry), as in :func:`softmax`: a masked
        class has :math:`p_j = 0`, so its entry of :math:`Jv` is 0, whatever ``x`` (or ``v``)
        holds there; a row with no kept entry gives zeros.

    Returns
    -------
    numpy.ndarray
        Shaped like ``x``; in the result dtype of ``x`` and ``v`` (floating).

    Raises
    ------
    TypeError
        If ``x`` or ``v`` is complex, object or string.
    ValueError
        As :func:`softmax`, or if ``v``'s shape differs from ``x``'s.

    See Also
    --------
    softmax_jacobian

    Notes
    -----
    Since :math:`J` is symmetric this is also the vector-Jacobian product (backpropagation):

    .. math:: (J v)_j = \sum_k p_j(\delta_{jk} - p_k) v_k = p_j \Bigl(v_j - \sum_k p_k v_k\Bigr),

    :math:`O(K)` time and memory per row instead of :math:`O(K^2)`. It is evaluated as
    :math:`p_j (v_j - s)` with :math:`s = \sum_k p_k v_k`, and where that is not finite as
    :math:`p_j v_j - p_j s`: the same value, but each product is at most
    :math:`\max_k |v_k|` in size, so tangents near the float maximum (``±1.7e308``) give the
    finite result where :math:`v_j - s` overflows. A class with
    :math:`p_j = 0` (a ``-inf`` logit, or an underflowed probability) contributes nothing,
    even for an infinite or nan tangent :math:`v_j` (0·∞ = 0, the package's mask
    convention); its output entry is 0. No ``RuntimeWarning`` is emitted.

    Examples
    --------
    >>> x, v = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0])
    >>> softmax_jvp(x, v)
    array([ 0.14181709,  0.14077036, -0.28258745])
    >>> softmax_jacobian(x) @ v
    array([ 0.14181709,  0.14077036, -0.28258745])
    """
    xa = as_float_array(x, "x")
    va = as_float_array(v, "v")
    if va.shape != xa.shape:
        raise ValueError(f"v: expected the shape of x, {xa.shape}, got {va.shape}")
    axis = check_class_axis(xa.ndim, axis, "x")
    dtype = np.result_type(xa, va)
    work = compute_dtype(dtype)
    p = softmax(xa.astype(work, copy=False), axis, where=where)  # masked classes: p_j = 0
    va = va.astype(work, copy=False)
    with np.errstate(over="ignore", invalid="ignore"):
        pv = p * va
        np.copyto(pv, 0.0, where=p == 0)  # a class with p_j = 0 (logit -inf) does not exist
        s = pv.sum(axis=axis, keepdims=True)
        jvp = p * (va - s)
        redo = ~np.isfinite(jvp)  # v_j - s overflowed, or 0 * inf on a masked class
        if redo.any():
            alternative = pv - p * s  # each product is at most max|v|: finite if the result is
            np.copyto(jvp, alternative, where=redo)
        np.copyto(jvp, 0.0, where=p == 0)  # p_j (v_j - s) = 0, also if s is infinite
    return cast_result(jvp, dtype)
