r"""Squared error of the softmax probabilities: the loss the book compares cross-entropy with.

For logits :math:`z` and a target distribution :math:`y` (one-hot for class indices),

.. math:: \ell(z, y) = \sum_{k=1}^{K} (p_k - y_k)^2, \qquad p = \operatorname{softmax}(z),

the Brier score of the prediction. Its gradient goes through the softmax Jacobian
:math:`J = \operatorname{diag}(p) - p p^\top`:

.. math:: \frac{\partial \ell}{\partial z} = J \cdot 2 (p - y),

which carries the factor :math:`p` and therefore vanishes when the model is confidently wrong
(:math:`p_y \to 0`), unlike the cross-entropy gradient :math:`p - y`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    as_index_array,
    check_class_axis,
    check_class_indices,
    check_distribution,
    check_num_classes,
    check_probability_dtype,
    check_reduction,
    compute_dtype,
    reduce_losses,
)
from .activations import softmax
from .jacobian import softmax_jvp

__all__ = ["squared_error", "squared_error_grad"]


def _residual(logits: ArrayLike, target: ArrayLike, axis: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Return ``(x, p - y, axis)`` with the class axis normalised; targets validated."""
    x = as_float_array(logits, "logits")
    axis = check_class_axis(x.ndim, axis, "logits")
    k = x.shape[axis]
    check_num_classes(k, "logits")
    p = softmax(x, axis=axis)
    y = np.asarray(target)
    if y.shape == x.shape:  # class probabilities
        check_probability_dtype(y, "target")
        check_distribution(y, axis, "target", compute=p.dtype)
        return x, p - y.astype(p.dtype, copy=False), axis
    if y.shape == x.shape[:axis] + x.shape[axis + 1 :]:
        labels = as_index_array(y, "target", probability_hint=True)
        check_class_indices(labels, k, None)
        residual = p.copy()
        idx = np.expand_dims(labels, axis)
        np.put_along_axis(residual, idx, np.take_along_axis(residual, idx, axis=axis) - 1, axis=axis)
        return x, residual, axis
    raise ValueError(
        f"target: shape {y.shape} matches neither class indices (logits' shape without axis "
        f"{axis}) nor class probabilities (logits' shape, {x.shape})"
    )


def _rows(x: np.ndarray, axis: int) -> int:
    """The number of rows (samples): the size of ``x`` without the class axis."""
    return x.size // x.shape[axis]


def squared_error(
    logits: ArrayLike, target: ArrayLike, *, axis: int = -1, reduction: str = "mean"
) -> Any:
    r"""Squared error :math:`\sum_k (\operatorname{softmax}(z)_k - y_k)^2` of each row.

    Parameters
    ----------
    logits : array_like
        Logits :math:`z`, classes on ``axis``.
    target : array_like
        Integer class indices (``logits``' shape without ``axis``) or class probabilities
        (``logits``' shape, floating point, rows summing to 1).
    axis : int, default -1
        The class axis.
    reduction : {"mean", "sum", "none"}, default "mean"
        Mean or sum over the rows, or the loss of each row. The mean over zero rows is
        ``nan`` and the sum 0, without a ``RuntimeWarning``.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``"none"``: an array, ``logits``' shape without ``axis``; otherwise a NumPy scalar.
        In ``logits``' floating dtype (float64 for integer or boolean logits).

    Raises
    ------
    TypeError
        If ``logits`` is not real, class indices are not integers, or a target with
        ``logits``' shape (read as probabilities) is not floating point (e.g. an integer
        one-hot matrix: pass ``.astype(float)``).
    ValueError
        If a class index is outside ``[0, K)``, ``target``'s shape matches neither form,
        probability targets are negative, nan or do not sum to 1 (tolerance as in
        :func:`softmax_ce.cross_entropy`), ``logits`` is 0-d or has zero classes, or ``axis``
        or ``reduction`` is invalid. The message names the argument.

    See Also
    --------
    squared_error_grad : its gradient with respect to the logits.
    softmax_ce.cross_entropy : the loss it is compared with.

    Examples
    --------
    Confidently wrong (the true class has logit 0, another has 10): the loss is bounded by 2.

    >>> round(float(squared_error([0.0, 10.0], 0)), 6)
    1.999818
    """
    reduction = check_reduction(reduction)
    x, residual, axis = _residual(logits, target, axis)
    losses = np.sum(residual**2, axis=axis)
    work = compute_dtype(residual.dtype)  # float16 losses are summed in float32
    return reduce_losses(np.asarray(losses, work), reduction, _rows(x, axis), residual.dtype)


def squared_error_grad(
    logits: ArrayLike, target: ArrayLike, *, axis: int = -1, reduction: str = "mean"
) -> np.ndarray:
    r"""Gradient of :func:`squared_error` with respect to the logits: :math:`J\,2(p - y)`.

    Parameters
    ----------
    logits, target, axis
        As in :func:`squared_error`.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"sum"``: the gradient of the sum over the rows; ``"none"``: the gradient of the sum
        of the unreduced losses (each row holds its own loss's gradient); ``"mean"``: the
        gradient of the mean (divided by the number of rows).

    Returns
    -------
    numpy.ndarray
        Shaped like ``logits``, in its floating dtype (float64 for integer or boolean
        logits). Empty for an empty batch, without a ``RuntimeWarning``.

    Raises
    ------
    TypeError, ValueError
        As :func:`squared_error`.

    Examples
    --------
    The confidently wrong case above: the gradient almost vanishes (compare ``p - y`` = -1 for
    cross-entropy).

    >>> g = squared_error_grad([0.0, 10.0], 0)
    >>> bool(abs(g[0]) < 1e-3)
    True
    """
    reduction = check_reduction(reduction)
    x, residual, axis = _residual(logits, target, axis)
    grad = softmax_jvp(x, 2 * residual, axis=axis)
    if reduction == "mean" and grad.size:
        grad /= _rows(grad, axis)
    return grad
