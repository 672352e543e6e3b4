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
    check_reduction,
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
    if y.shape == x.shape and y.dtype.kind == "f":
        check_distribution(y, axis, "target")
        return x, p - y.astype(p.dtype, copy=False), axis
    if y.shape == x.shape[:axis] + x.shape[axis + 1 :]:
        labels = as_index_array(y, "target")
        check_class_indices(labels, k, None)
        residual = p.copy()
        idx = np.expand_dims(labels, axis)
        np.put_along_axis(residual, idx, np.take_along_axis(residual, idx, axis=axis) - 1, axis=axis)
        return x, residual, axis
    raise ValueError(
        f"target: shape {y.shape} matches neither class indices (logits' shape without axis "
        f"{axis}) nor class probabilities (logits' shape, {x.shape})"
    )


def _reduce(values: np.ndarray, reduction: str) -> Any:
    if reduction == "none":
        return values
    return values.dtype.type(values.sum() if reduction == "sum" else values.mean())


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
        Mean or sum over the rows, or the loss of each row.

    Returns
    -------
    numpy.ndarray or numpy scalar

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
    _, residual, axis = _residual(logits, target, axis)
    return _reduce(np.sum(residual**2, axis=axis), reduction)


def squared_error_grad(
    logits: ArrayLike, target: ArrayLike, *, axis: int = -1, reduction: str = "mean"
) -> np.ndarray:
    r"""Gradient of :func:`squared_error` with respect to the logits: :math:`J\,2(p - y)`.

    Parameters are those of :func:`squared_error`; ``reduction="none"`` gives the gradient of
    the sum of the unreduced losses (each row's own gradient), ``"mean"`` divides it by the
    number of rows.

    Returns
    -------
    numpy.ndarray
        Shaped like ``logits``.

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
    if reduction == "mean":
        grad /= grad.size // grad.shape[axis]
    return grad
