r"""Negative log-likelihood loss from log-probabilities (torch's ``nll_loss``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    as_index_array,
    check_class_axis,
    check_ignore_index,
    check_num_classes,
    check_reduction,
    check_weight,
    compute_dtype,
    distribution_tolerance,
    index_target,
    reduce_losses,
)

__all__ = ["nll_loss"]


def _check_not_positive(lp: np.ndarray, axis: int) -> None:
    """Log-probabilities are never positive: a positive entry (beyond rounding) means that
    probabilities or logits were passed, which would give a wrong (even negative) loss."""
    tol = distribution_tolerance(lp.dtype)
    with np.errstate(invalid="ignore"):
        positive = lp > tol
    if not positive.any():
        return
    bad = float(lp[positive].flat[0])
    with np.errstate(invalid="ignore"):
        looks_like_probs = bool(((lp >= 0) & (lp <= 1)).all()) and bool(
            (np.abs(lp.sum(axis=axis, dtype=np.float64) - 1) <= tol).all())
    if looks_like_probs:
        guess = ("these look like probabilities: pass their log, or better "
                 "log_softmax(logits), or use cross_entropy(logits, target)")
    else:
        guess = ("these look like logits: pass log_softmax(logits), or use "
                 "cross_entropy(logits, target)")
    raise ValueError(f"log_probs: log-probabilities are never positive, found {bad!r}; {guess}")


def nll_loss(
    log_probs: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Negative log-likelihood of class-index targets: :math:`-w_{y_i} \log \hat y_{i, y_i}`.

    Same semantics as ``torch.nn.functional.nll_loss``. Together with :func:`log_softmax`,
    ``nll_loss(log_softmax(z), y)`` equals ``cross_entropy(z, y)``; ``cross_entropy`` is the
    better choice for logits (one pass, no log-probability matrix).

    Parameters
    ----------
    log_probs : array_like
        Log-probabilities :math:`\log \hat y`, shape ``(N, K)``, ``(K,)`` or with the
        classes on ``axis`` (``axis=1`` for torch's ``(N, K, d1, ...)``). Not checked to be
        normalised, as in torch, but a positive entry (beyond :math:`\sqrt{\epsilon}`, the
        tolerance of :func:`entropy`) is an error: probabilities or logits passed by mistake
        would give a wrong, possibly negative, loss.
    target : array_like of int
        Class indices in ``[0, K)``, ``log_probs``' shape without the class axis.
    axis : int, default -1
        The class axis.
    weight : array_like of shape (K,), optional
        A weight per class (default all 1). For ``"mean"`` the weights are first scaled by a
        power of 2 (exact, and the mean is scale-invariant), so weights up to the float
        maximum do not overflow the weighted sums.
    ignore_index : int, optional
        Targets equal to it contribute 0 and are left out of the mean's denominator.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides the sum by :math:`\sum_i w_{y_i}` over non-ignored entries; over an
        empty set it is ``nan`` (no ``RuntimeWarning``), as in torch.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``reduction="none"``: an array of ``log_probs``' shape without the class axis (a
        NumPy scalar for a single sample, by the package's rule: a result with no axes is a
        NumPy scalar); ``"mean"`` and ``"sum"``: a NumPy scalar (e.g. ``numpy.float64``). In ``log_probs``' floating dtype (float64 for integer or boolean
        input).

    Raises
    ------
    TypeError
        If ``log_probs``/``weight`` are not real, or ``target`` is not integer.
    ValueError
        If a log-probability is positive, a target is outside ``[0, K)`` (and not
        ``ignore_index``), ``target``'s shape is
        not ``log_probs``' shape without the class axis, or ``axis``, ``weight``'s shape or
        ``reduction`` is invalid.

    See Also
    --------
    cross_entropy, log_softmax

    Notes
    -----
    .. math::

        \ell_i = -w_{y_i} \log \hat y_{i, y_i}, \qquad
        \text{mean} = \frac{\sum_i \ell_i}{\sum_{i \text{ not ignored}} w_{y_i}} .

    Examples
    --------
    >>> log_p = np.log([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    >>> nll_loss(log_p, [0, 1], reduction="none")
    array([0.35667494, 0.22314355])
    >>> float(nll_loss(log_p, [0, 1], weight=[1.0, 3.0, 1.0]))  # (0.357 + 3 * 0.223) / 4
    0.2565...
    """
    lp = as_float_array(log_probs, "log_probs")
    axis = check_class_axis(lp.ndim, axis, "log_probs", what="log-probabilities")
    k = lp.shape[axis]
    check_num_classes(k, "log_probs")
    reduction = check_reduction(reduction)
    ignore_index = check_ignore_index(ignore_index)
    work = compute_dtype(lp.dtype)
    w = check_weight(weight, k, work, rescale=reduction == "mean")  # "mean": scale-invariant
    lps = np.moveaxis(lp, axis, -1)
    y = as_index_array(target, "target")
    if y.shape != lps.shape[:-1]:
        raise ValueError(
            f"target: expected shape {lps.shape[:-1]} (log_probs' shape without the class "
            f"axis), got {y.shape}"
        )
    safe, keep, row_weight = index_target(y, k, ignore_index, w, work)
    _check_not_positive(lp, axis)  # last: an argument's own error is the clearer one
    picked = np.take_along_axis(lps, safe[..., None], axis=-1)[..., 0].astype(work)
    # -0 * -inf where a weight is 0: nan, as in torch; huge weights: inf, correctly rounded
    with np.errstate(invalid="ignore", over="ignore"):
        losses = np.where(keep, -row_weight * picked, 0.0).astype(work)
        denominator = row_weight.sum()
    return reduce_losses(losses, reduction, denominator, lp.dtype)
