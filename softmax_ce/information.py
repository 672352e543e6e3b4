r"""Entropy and Kullback-Leibler divergence of discrete distributions, with 0·log 0 = 0.

Together with :func:`softmax_ce.cross_entropy` they satisfy
:math:`H(y, \hat y) = H(y) + D_{\mathrm{KL}}(y \,\|\, \hat y)`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .activations import log_softmax, logsumexp
from ._validation import (
    as_float_array,
    cast_result,
    check_class_axis,
    check_distribution,
    check_num_classes,
    compute_dtype,
    distribution_tolerance,
)

__all__ = ["FORMS", "KL_REDUCTIONS", "entropy", "kl_divergence"]


def _distribution(p: ArrayLike, axis: Any, name: str) -> tuple[np.ndarray, int]:
    arr = as_float_array(p, name)
    axis = check_class_axis(arr.ndim, axis, name, what="probabilities")
    check_num_classes(arr.shape[axis], name)
    check_distribution(arr, axis, name)
    return arr, axis


def _log_base(base: Any) -> float:
    """The divisor that converts nats to units of ``base`` (1 for nats)."""
    if base is None:
        return 1.0
    if isinstance(base, (bool, np.bool_)) or not isinstance(
        base, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"base: expected a real number or None, got {base!r}")
    if not (math.isfinite(base) and base > 0 and base != 1):
        raise ValueError(f"base: must be positive, finite and not 1, got {base!r}")
    return math.log(base)


def entropy(p: ArrayLike, axis: int = -1, *, base: float | None = None) -> np.ndarray:
    r"""Shannon entropy :math:`H(p) = -\sum_j p_j \log p_j` along ``axis``, with 0·log 0 = 0.

    Parameters
    ----------
    p : array_like
        Probabilities: non-negative, not nan, summing to 1 along ``axis`` within
        :math:`\sqrt{\epsilon}`, :math:`\epsilon` the machine epsilon of the less precise of
        ``p``'s dtype and float32 (3.5e-4 for float64 and float32, 0.031 for float16): loose
        enough for probabilities normalised in float32 and widened to float64, tight enough
        to catch logits, counts or percentages. Not renormalised, unlike
        ``scipy.stats.entropy``: an unnormalised input is an error.
    axis : int, default -1
        The class axis.
    base : float, optional
        Logarithm base: ``None`` (default) for nats, 2 for bits.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``p``'s shape without ``axis``, in ``p``'s floating dtype (float64 for integer or
        boolean input): a NumPy scalar (e.g. ``numpy.float64``) for 1-d input, an array
        otherwise. Between ``+0.0`` (never ``-0.0``) and :math:`\log K`.

    Raises
    ------
    TypeError
        If ``p`` is complex, object or string, or ``base`` is not a number.
    ValueError
        If ``p`` is 0-d, has zero classes, has a negative or nan entry or a slice not summing
        to 1, or ``base`` is not positive, finite and different from 1.

    See Also
    --------
    kl_divergence, cross_entropy, scipy.stats.entropy

    Notes
    -----
    A class with :math:`p_j = 0` contributes exactly 0, the limit of
    :math:`p \log p` as :math:`p \to 0^+`. In base :math:`b` the result is divided by
    :math:`\ln b`.

    Examples
    --------
    >>> float(entropy([0.5, 0.5], base=2))  # one fair coin: 1 bit
    1.0
    >>> float(entropy([1.0, 0.0]))  # certain: 0, not nan
    0.0
    >>> entropy(np.full((2, 4), 0.25))  # log 4 nats per row
    array([1.38629436, 1.38629436])
    """
    arr, axis = _distribution(p, axis, "p")
    scale = _log_base(base)
    work = arr.astype(compute_dtype(arr.dtype), copy=False)
    log_p = np.log(work, out=np.zeros_like(work), where=work > 0)  # 0 where p = 0
    h = -(work * log_p).sum(axis=axis) / scale + 0.0  # + 0.0: a certain outcome gives +0, not -0
    return cast_result(h, arr.dtype)


#: What each argument of :func:`kl_divergence` may hold.
FORMS = ("probs", "log_probs", "logits")

#: The reductions of :func:`kl_divergence` (torch's ``kl_div`` has the same names).
KL_REDUCTIONS = ("none", "sum", "mean", "batchmean")


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def _log_form(x: np.ndarray, axis: int, name: str, form: str, work: np.dtype) -> np.ndarray:
    """``log p`` in the ``work`` dtype from probabilities, log-probabilities or logits."""
    if form == "logits":
        return log_softmax(x.astype(work, copy=False), axis=axis)
    if form == "probs":
        with np.errstate(divide="ignore"):
            return np.log(x.astype(work, copy=False))  # log 0 = -inf, no warning
    lp = x.astype(work, copy=False)
    tol = distribution_tolerance(x.dtype)
    with np.errstate(invalid="ignore"):
        if not (lp <= tol).all():  # also catches nan
            bad = float(lp[~(lp <= tol)].flat[0])
            raise ValueError(f"{name}: log-probabilities must be <= 0 and not nan, found {bad!r}")
        total = logsumexp(lp, axis=axis)
        off = ~(np.abs(total) <= tol)
    if np.any(off):
        bad = float(np.exp(np.asarray(total)[off].flat[0]))
        raise ValueError(f"{name}: log-probabilities must exponentiate to a distribution along "
                         f"axis {axis} (sum within {tol:.2g} of 1), found a sum of {bad!r}")
    return lp


def kl_divergence(
    p: ArrayLike,
    q: ArrayLike,
    axis: int = -1,
    *,
    base: float | None = None,
    p_form: str = "probs",
    q_form: str = "probs",
    reduction: str = "none",
) -> Any:
    r"""Kullback-Leibler divergence :math:`D_{\mathrm{KL}}(p \| q) = \sum_j p_j \log(p_j / q_j)`.

    Parameters
    ----------
    p, q : array_like
        Two arrays of the same shape, each holding distributions along ``axis``, in the form
        that ``p_form`` / ``q_form`` name. No broadcasting: unlike ``scipy.stats.entropy``,
        ``q`` must have exactly ``p``'s shape.
    axis : int, default -1
        The class axis.
    base : float, optional
        Logarithm base: ``None`` (default) for nats, 2 for bits.
    p_form, q_form : {"probs", "log_probs", "logits"}, default "probs"
        What ``p`` (``q``) holds: probabilities (non-negative, summing to 1 along ``axis``
        with the tolerance of :func:`entropy`), log-probabilities (``<= 0``, exponentiating to
        such a distribution), or logits (any reals, normalised here by :func:`log_softmax`).
        In log form the divergence stays exact where the probabilities underflow: a
        confident student's :math:`q_j = e^{-800}` is 0 as a probability, but
        :math:`\log q_j = -800` is exact.
    reduction : {"none", "sum", "mean", "batchmean"}, default "none"
        ``"none"``: one divergence per distribution; ``"sum"``: their sum; ``"mean"``: their
        mean; ``"batchmean"``: the sum divided by the length of the input's first axis, as
        ``torch.nn.functional.kl_div`` (for 2-d input with classes last it equals ``"mean"``;
        for 1-d input it is the sum, a single distribution). torch's own ``"mean"`` averages
        over all *entries* (it divides by :math:`K` too), which is not a divergence: its
        documentation recommends ``"batchmean"``; here ``"mean"`` is the mean divergence.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``reduction="none"``: the shape without ``axis``; otherwise one value. A result with no
        axes is a NumPy scalar (e.g. ``numpy.float64``), as NumPy's own reductions return; in
        the result floating dtype of ``p`` and ``q``. :math:`\ge 0` (up to rounding), 0 exactly
        when ``p == q``, ``+inf`` where some :math:`p_j > 0 = q_j`.

    Raises
    ------
    TypeError, ValueError
        As :func:`entropy` (naming ``p`` or ``q``); ``ValueError`` if ``q``'s shape differs
        from ``p``'s (checked before ``q``'s values), a log-probability is positive (beyond
        rounding) or does not exponentiate to a distribution, or ``p_form``, ``q_form`` or
        ``reduction`` is not one of its choices.

    See Also
    --------
    entropy, cross_entropy, scipy.special.rel_entr, torch.nn.functional.kl_div

    Notes
    -----
    Terms with :math:`p_j = 0` are 0 (also where :math:`q_j = 0`); a term with
    :math:`p_j > 0` and :math:`q_j = 0` is :math:`+\infty`. With both arguments
    probabilities each term is computed as :math:`p_j \log(p_j / q_j)` (one rounding in the
    ratio, none of the cancellation of :math:`\log p_j - \log q_j` when
    :math:`p_j \approx q_j`), and as :math:`p_j(\log p_j - \log q_j)` where the ratio would
    overflow or underflow. With either argument in log form each term is
    :math:`p_j(\log p_j - \log q_j)`, :math:`p_j = e^{\log p_j}` (or ``p`` itself). The sum is
    accurate to about :math:`\epsilon` *absolute*; as :math:`D_{\mathrm{KL}} \to 0` (``p`` close
    to ``q``) the terms of both signs cancel and the *relative* accuracy is lost.
    Cross-entropy decomposes as :math:`H(p, q) = H(p) + D_{\mathrm{KL}}(p \,\|\, q)`.

    ``torch.nn.functional.kl_div(input, target, reduction=r, log_target=b)`` computes
    :math:`D_{\mathrm{KL}}(\text{target} \| \exp(\text{input}))` (note the order):
    ``kl_divergence(target, input, p_form="log_probs" if b else "probs", q_form="log_probs",
    reduction=r)`` for ``r`` in "none" (summed over the classes), "sum" and "batchmean".

    Examples
    --------
    >>> float(kl_divergence([0.5, 0.5], [0.9, 0.1]))
    0.5108...
    >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    >>> float(kl_divergence([0.5, 0.5], [1.0, 0.0]))  # q rules out an outcome p allows
    inf
    >>> float(kl_divergence([1.0, 0.0], [0.5, 0.5], base=2))
    1.0

    Distillation: a teacher and a very confident student, from their logits. As probabilities
    the student's second class underflows to 0 and the divergence is ``inf``; in log space it
    is exact:

    >>> from softmax_ce import softmax
    >>> teacher, student = np.array([0.0, -30.0]), np.array([0.0, -800.0])
    >>> float(kl_divergence(softmax(teacher), softmax(student)))
    inf
    >>> float(kl_divergence(teacher, student, p_form="logits", q_form="logits"))
    7.1960...e-11
    >>> kl = kl_divergence(np.zeros((4, 3)), np.eye(4, 3), p_form="logits", q_form="logits",
    ...                    reduction="batchmean")
    >>> round(float(kl), 6)
    0.089624
    """
    p_form = _check_choice(p_form, "p_form", FORMS)
    q_form = _check_choice(q_form, "q_form", FORMS)
    reduction = _check_choice(reduction, "reduction", KL_REDUCTIONS)
    pa = as_float_array(p, "p")
    axis = check_class_axis(pa.ndim, axis, "p", what="probabilities")
    check_num_classes(pa.shape[axis], "p")
    qa = as_float_array(q, "q")
    if pa.shape != qa.shape:  # before q's values: a wrong shape is the error to report
        raise ValueError(f"q: expected the shape of p, {pa.shape}, got {qa.shape}")
    for arr, name, form in ((pa, "p", p_form), (qa, "q", q_form)):
        if form == "probs":
            check_distribution(arr, axis, name)
    scale = _log_base(base)
    dtype = np.result_type(pa, qa)
    work = compute_dtype(dtype)
    if p_form == q_form == "probs":
        pw, qw = pa.astype(work, copy=False), qa.astype(work, copy=False)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
            log_ratio = np.log(pw / qw)
            redo = ~np.isfinite(log_ratio) & (pw > 0) & (qw > 0)  # p / q over- or underflowed
            log_ratio[redo] = np.log(pw[redo]) - np.log(qw[redo])
            terms = pw * log_ratio  # +inf where p > 0 = q
    else:
        lp = _log_form(pa, axis, "p", p_form, work)
        lq = _log_form(qa, axis, "q", q_form, work)
        with np.errstate(under="ignore"):
            pw = pa.astype(work, copy=False) if p_form == "probs" else np.exp(lp)
        with np.errstate(invalid="ignore", over="ignore"):
            terms = pw * (lp - lq)  # +inf where p > 0 = q; nan where p = 0 (fixed below)
    np.copyto(terms, 0.0, where=pw == 0)
    per_row = terms.sum(axis=axis) / scale
    if reduction == "none":
        return cast_result(per_row, dtype)
    total = np.sum(per_row)
    if reduction == "mean":
        total = total / per_row.size if per_row.size else np.nan
    elif reduction == "batchmean" and pa.ndim >= 2:
        total = total / pa.shape[0] if pa.shape[0] else np.nan
    return cast_result(np.asarray(total, work)[()], dtype)
