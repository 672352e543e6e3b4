r"""Calibration of a classifier's probabilities: ECE, reliability bins, temperature scaling.

A classifier is *calibrated* when, among the samples it predicts with confidence about
:math:`c`, a fraction about :math:`c` is predicted correctly. Following Guo et al. (2017):

* :func:`reliability_bins` sorts the samples by their *confidence*
  :math:`c_i = \max_j \hat p_{ij}` into ``n_bins`` equal-width bins
  :math:`B_b = (b/M, (b+1)/M]` (right-closed) and reports, per bin, the number of samples,
  their accuracy (fraction with :math:`\arg\max_j \hat p_{ij} = y_i`) and their mean
  confidence: the data of a reliability diagram.
* :func:`expected_calibration_error` is their count-weighted gap,
  :math:`\mathrm{ECE} = \sum_b \frac{|B_b|}{n}\,|\operatorname{acc}(B_b) -
  \operatorname{conf}(B_b)|`.
* :func:`fit_temperature` finds the temperature :math:`T > 0` that minimises the mean
  negative log-likelihood of :math:`\operatorname{softmax}(z / T)` on held-out logits
  (*temperature scaling*). Dividing all logits by one :math:`T` changes no prediction, only
  the confidences.

All three take samples as rows: probabilities or logits of shape ``(N, K)`` (classes on the
last axis) and integer class labels of shape ``(N,)``. Only NumPy is needed.

References
----------
C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern Neural Networks",
Proceedings of the 34th International Conference on Machine Learning (ICML), PMLR 70,
1321-1330, 2017.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    as_index_array,
    check_class_indices,
    check_distribution,
    check_num_classes,
)
from .activations import softmax

__all__ = [
    "ReliabilityBins",
    "expected_calibration_error",
    "fit_temperature",
    "reliability_bins",
]


# --- validation ------------------------------------------------------------------------------


def _rows(x: ArrayLike, name: str) -> np.ndarray:
    """A real ``(N, K)`` array with ``K >= 1`` (``N = 0`` allowed)."""
    arr = as_float_array(x, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-d array of shape (N, K), one row per sample, "
            f"got {arr.ndim}-d with shape {arr.shape}"
        )
    check_num_classes(arr.shape[1], name)
    return arr


def _labels(labels: ArrayLike, n: int, k: int, rows: str) -> np.ndarray:
    """Integer class labels of shape ``(n,)`` in ``[0, k)``, as int64."""
    y = as_index_array(labels, "labels")
    if y.shape != (n,):
        raise ValueError(
            f"labels: expected shape ({n},) (one class index per row of {rows}), got {y.shape}"
        )
    check_class_indices(y, k, None, "labels")
    return y


def _n_bins(n_bins: Any) -> int:
    if isinstance(n_bins, (bool, np.bool_)) or not isinstance(n_bins, (int, np.integer)):
        raise TypeError(f"n_bins: expected a positive integer, got {n_bins!r}")
    if n_bins < 1:
        raise ValueError(f"n_bins: must be at least 1, got {n_bins!r}")
    return int(n_bins)


def _probabilities(probs: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(confidence, correct)``: float64 max probability, bool argmax == label."""
    p = _rows(probs, "probs")
    check_distribution(p, 1, "probs")
    y = _labels(labels, p.shape[0], p.shape[1], "probs")
    confidence = p.max(axis=1).astype(np.float64)  # exact: every float widens to float64
    correct = p.argmax(axis=1) == y
    return confidence, correct


def _bin_index(confidence: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin ``b`` holds ``edges[b] < c <= edges[b + 1]``; ``c <= 0`` goes to the first bin and
    ``c > 1`` (a sum tolerance above 1) to the last."""
    # side="left": the first j with edges[j] >= c, so edges[j - 1] < c <= edges[j]
    index = np.searchsorted(edges, confidence, side="left") - 1
    return np.clip(index, 0, len(edges) - 2)


# --- public API ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin statistics of a reliability diagram, as returned by :func:`reliability_bins`.

    Attributes
    ----------
    edges : numpy.ndarray of float64, shape (n_bins + 1,)
        Bin edges ``edges[b] = b / n_bins`` (correctly rounded), from 0 to 1. Bin ``b`` is the
        right-closed interval ``(edges[b], edges[b + 1]]``.
    count : numpy.ndarray of int64, shape (n_bins,)
        Number of samples whose confidence falls in each bin; sums to ``N``.
    accuracy : numpy.ndarray of float64, shape (n_bins,)
        Fraction of the bin's samples whose predicted class (the arg-max) is the label;
        ``nan`` for an empty bin.
    confidence : numpy.ndarray of float64, shape (n_bins,)
        Mean confidence (largest probability) of the bin's samples; ``nan`` for an empty bin.
    """

    edges: np.ndarray
    count: np.ndarray
    accuracy: np.ndarray
    confidence: np.ndarray


def reliability_bins(probs: ArrayLike, labels: ArrayLike, *, n_bins: int = 15) -> ReliabilityBins:
    r"""Count, accuracy and mean confidence per equal-width confidence bin.

    The numbers behind a reliability diagram and behind :func:`expected_calibration_error`.

    Parameters
    ----------
    probs : array_like, shape (N, K)
        Predicted class probabilities, one row per sample: non-negative, not nan, each row
        summing to 1 within :math:`\sqrt{\epsilon}` (the tolerance of
        :func:`softmax_ce.entropy`; 3.5e-4 for float32 and float64). Not renormalised.
    labels : array_like of int, shape (N,)
        The true class of each sample, in ``[0, K)``.
    n_bins : int, default 15
        Number of equal-width bins :math:`M` on ``[0, 1]`` (15 as in Guo et al. 2017).

    Returns
    -------
    ReliabilityBins
        ``edges`` (``n_bins + 1``), and per bin ``count``, ``accuracy``, ``confidence``.

    Raises
    ------
    TypeError
        If ``probs`` is not real, ``labels`` are not integers, or ``n_bins`` is not an
        integer.
    ValueError
        If ``probs`` is not 2-d, has zero classes, or a row is not a probability
        distribution; ``labels`` do not have shape ``(N,)`` or lie outside ``[0, K)``; or
        ``n_bins < 1``.

    See Also
    --------
    expected_calibration_error

    Notes
    -----
    The confidence of sample :math:`i` is :math:`c_i = \max_j \hat p_{ij}` and its prediction
    is :math:`\arg\max_j \hat p_{ij}` (the first such class on ties, as ``numpy.argmax``).
    Bin :math:`b` (from 0) holds the samples with
    :math:`b/M < c_i \le (b+1)/M`: bins are **right-closed**, as in Guo et al. (2017), so a
    confidence of exactly 0.5 lands in the bin *ending* at 0.5. The comparison is between
    the exact stored values of ``c_i`` and ``edges`` (no rounding of ``c_i * M``).

    Edge conventions: a confidence of exactly 0 (impossible for a valid row, whose largest
    entry is at least about :math:`1/K`) is put in the first bin, which is therefore
    :math:`[0, 1/M]`; a confidence slightly above 1, which the sum tolerance admits, is
    put in the last bin.

    An empty bin has ``count`` 0 and ``nan`` ``accuracy`` and ``confidence`` (no
    ``RuntimeWarning``). With ``N = 0`` every bin is empty.

    Examples
    --------
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7]]
    >>> bins = reliability_bins(probs, [0, 1, 0, 1], n_bins=5)
    >>> bins.edges
    array([0. , 0.2, 0.4, 0.6, 0.8, 1. ])
    >>> bins.count  # 0.6 is in (0.4, 0.6], 0.8 in (0.6, 0.8]: right-closed
    array([0, 0, 1, 2, 1])
    >>> bins.accuracy
    array([nan, nan, 1. , 0.5, 1. ])
    >>> bins.confidence
    array([ nan,  nan, 0.6 , 0.75, 0.9 ])
    """
    m = _n_bins(n_bins)
    confidence, correct = _probabilities(probs, labels)
    edges = np.arange(m + 1) / m
    index = _bin_index(confidence, edges)
    count = np.bincount(index, minlength=m)
    hits = np.bincount(index, weights=correct, minlength=m)
    total = np.bincount(index, weights=confidence, minlength=m)
    nonempty = count > 0
    accuracy = np.divide(hits, count, out=np.full(m, np.nan), where=nonempty)
    mean_confidence = np.divide(total, count, out=np.full(m, np.nan), where=nonempty)
    return ReliabilityBins(edges, count.astype(np.int64), accuracy, mean_confidence)


def expected_calibration_error(
    probs: ArrayLike, labels: ArrayLike, *, n_bins: int = 15
) -> np.float64:
    r"""Expected calibration error (ECE) with equal-width confidence bins (Guo et al. 2017).

    Parameters
    ----------
    probs : array_like, shape (N, K)
        Predicted class probabilities, one row per sample (validated as in
        :func:`reliability_bins`).
    labels : array_like of int, shape (N,)
        The true class of each sample, in ``[0, K)``.
    n_bins : int, default 15
        Number of equal-width, right-closed bins :math:`M` on ``[0, 1]``.

    Returns
    -------
    numpy.float64
        The ECE, in ``[0, 1]``; computed in float64 whatever the dtype of ``probs``.
        ``nan`` (without a ``RuntimeWarning``) when ``N = 0``.

    Raises
    ------
    TypeError, ValueError
        As :func:`reliability_bins`.

    See Also
    --------
    reliability_bins : the per-bin numbers; bin conventions are described there.
    fit_temperature : temperature scaling, which usually lowers the ECE.

    Notes
    -----
    With :math:`B_b` the samples whose confidence :math:`c_i = \max_j \hat p_{ij}` lies in
    :math:`(b/M, (b+1)/M]`,

    .. math::

        \mathrm{ECE} = \sum_{b=0}^{M-1} \frac{|B_b|}{n}
            \bigl|\operatorname{acc}(B_b) - \operatorname{conf}(B_b)\bigr|
          = \frac{1}{n} \sum_{b=0}^{M-1}
            \Bigl| \sum_{i \in B_b} (\mathbb 1[\hat y_i = y_i] - c_i) \Bigr| ,

    computed in the second form (one division, empty bins contribute 0). A confidence of
    exactly 0 counts in the first bin, one slightly above 1 in the last (see
    :func:`reliability_bins`). The value depends on ``n_bins``; it is 0 for a perfectly
    calibrated model only in the limit of many samples.

    Examples
    --------
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7]]
    >>> labels = [0, 1, 0, 1]
    >>> # (0.4, 0.6]: 1 of 1 right, confidence 0.6; (0.6, 0.8]: 1 of 2 right, mean
    >>> # confidence 0.75; (0.8, 1]: 1 of 1 right, confidence 0.9
    >>> float(expected_calibration_error(probs, labels, n_bins=5))  # (0.4 + 2*0.25 + 0.1) / 4
    0.25
    """
    m = _n_bins(n_bins)
    confidence, correct = _probabilities(probs, labels)
    n = confidence.shape[0]
    if n == 0:
        return np.float64(np.nan)
    index = _bin_index(confidence, np.arange(m + 1) / m)
    gap = np.bincount(index, weights=correct - confidence, minlength=m)
    return np.float64(np.abs(gap).sum() / n)


# --- temperature scaling ---------------------------------------------------------------------

#: Newton's method stops when its step in log T is below this (relative change of T).
_STEP_TOLERANCE = 1e-12
#: The bracket search does not go beyond |log(T * 2**scale)| = 700 (exp(700) ~ 1e304).
_LOG_LIMIT = 700.0


def _normalised(z: np.ndarray) -> tuple[np.ndarray, int]:
    """``(d, e)`` with ``z = 2**e * d + (per-row constant)``; ``d <= 0``, row maxima 0 and
    ``max |d|`` in ``[0.5, 1)``, or ``d`` all zero. Scaling by a power of 2 is exact; working
    with ``d`` avoids overflow for logits near the float maximum, and the temperature for
    ``z`` is ``2**e`` times the one for ``d`` (softmax is invariant to row shifts)."""
    d = z.astype(np.float64)
    top = float(np.abs(d).max())
    if top == 0.0:
        return d, 0
    first = math.frexp(top)[1]
    d = np.ldexp(d, -first)  # |d| < 1
    d -= d.max(axis=1, keepdims=True)  # in (-2, 0]; exact row maxima 0
    spread = float(-d.min())
    if spread == 0.0:
        return d, 0
    second = math.frexp(spread)[1]
    return np.ldexp(d, -second), first + second


def _derivative(d: np.ndarray, d_label: np.ndarray, beta: float) -> tuple[float, float]:
    r"""``(G, dG/d log beta)`` at inverse temperature ``beta`` for the normalised logits ``d``.

    With :math:`p = \operatorname{softmax}(\beta d)`, :math:`f(\beta)` the mean NLL,
    :math:`G = f'(\beta) = \operatorname{mean}_i (E_p[d_i] - d_{i y_i})` and
    :math:`f''(\beta) = \operatorname{mean}_i \operatorname{Var}_p(d_i)`.
    """
    p = softmax(d, temperature=1.0 / beta)
    mean = np.einsum("ij,ij->i", p, d)
    centred = d - mean[:, None]
    variance = np.einsum("ij,ij,ij->i", p, centred, centred)
    return float(np.mean(mean - d_label)), beta * float(np.mean(variance))


def fit_temperature(logits: ArrayLike, labels: ArrayLike) -> float:
    r"""The temperature :math:`T > 0` minimising the mean NLL of ``softmax(logits / T)``.

    Temperature scaling (Guo et al. 2017): fit on a held-out set, then use
    ``softmax(logits, temperature=T)`` in place of ``softmax(logits)``. Predictions do not
    change; confidences shrink (:math:`T > 1`) or grow (:math:`T < 1`).

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Finite logits, one row per sample, classes on the last axis. Any real dtype and any
        finite magnitude (up to the float maximum).
    labels : array_like of int, shape (N,)
        The true class of each sample, in ``[0, K)``.

    Returns
    -------
    float
        The minimiser :math:`T^*`, to a relative accuracy far better than ``1e-6`` (Newton's
        method stops at a step of ``1e-12`` in :math:`\log T`). ``1.0`` when every row of
        ``logits`` is constant (then every :math:`T` gives the uniform distribution and the
        same NLL, so no rescaling is the answer).

    Raises
    ------
    TypeError
        If ``logits`` is not real or ``labels`` are not integers.
    ValueError
        If ``logits`` is not 2-d, has no rows or zero classes, or contains ``nan`` or
        ``±inf``; if ``labels`` do not have shape ``(N,)`` or lie outside ``[0, K)``; and if
        no finite :math:`T > 0` minimises the NLL: when every label has the largest logit of
        its row (the logits separate the data: the NLL decreases all the way to
        :math:`T \to 0`), or when the labels' logits are on average no larger than their
        rows' means (the NLL decreases all the way to :math:`T \to \infty`). Also when the
        optimum exists but is not a float64 (above ~1.8e308, e.g. for logits near the float
        maximum that barely beat chance, or below the smallest subnormal).

    See Also
    --------
    softmax_ce.softmax : with ``temperature=T`` gives the calibrated probabilities.
    softmax_ce.cross_entropy : ``cross_entropy(logits / T, labels)`` is the minimised NLL.
    expected_calibration_error

    Notes
    -----
    For one sample with logits :math:`z` and label :math:`y`, the NLL is
    :math:`\ell(T) = \operatorname{logsumexp}(z/T) - z_y/T`, and with
    :math:`p = \operatorname{softmax}(z/T)` and :math:`E_p[z] = \sum_j p_j z_j`,

    .. math::

        \frac{d \ell}{d T} = -\frac{E_p[z]}{T^2} + \frac{z_y}{T^2}
                           = \frac{z_y - E_p[z]}{T^2}, \qquad
        \frac{d}{dT} \operatorname{mean}_i \ell_i
            = \frac{1}{T^2} \operatorname{mean}_i \bigl(z_{i y_i} - E_{p_i}[z_i]\bigr).

    In the inverse temperature :math:`\beta = 1/T` the mean NLL
    :math:`f(\beta) = \operatorname{mean}_i(\operatorname{logsumexp}(\beta z_i) - \beta z_{iy_i})`
    is convex: :math:`f'(\beta) = \operatorname{mean}_i(E_{p_i}[z_i] - z_{iy_i})` and
    :math:`f''(\beta) = \operatorname{mean}_i \operatorname{Var}_{p_i}(z_i) \ge 0`, strictly
    positive unless every row is constant. So :math:`f'` increases from
    :math:`f'(0) = \operatorname{mean}_i(\bar z_i - z_{iy_i})` (row means) to
    :math:`f'(\infty) = \operatorname{mean}_i(\max_j z_{ij} - z_{iy_i}) \ge 0`, and a finite
    optimum exists exactly when :math:`f'(0) < 0 < f'(\infty)`; it is then unique. These two
    signs are checked first (the ``ValueError`` cases above).

    The root of :math:`f'` is found in :math:`s = \log \beta = -\log T`: a bracket is grown
    from :math:`T = 1` (after an exact power-of-2 rescaling of the logits, so that logits
    near the float maximum cannot overflow), then refined by Newton's method with
    :math:`df'/ds = \beta f''(\beta)`, falling back to bisection whenever a Newton step
    leaves the bracket. Probabilities come from :func:`softmax_ce.softmax`. The logits are
    used in float64 whatever their dtype.

    Examples
    --------
    >>> from softmax_ce import cross_entropy
    >>> logits = np.array([[4.0, 0.0], [4.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
    >>> labels = np.array([0, 0, 1, 1])  # 3 of 4 right, but the model says 98%
    >>> T = fit_temperature(logits, labels)
    >>> round(T, 6)  # softmax(logits / T) then predicts 75%: 4 / T = log 3
    3.640957
    >>> bool(cross_entropy(logits / T, labels) < cross_entropy(logits, labels))
    True
    >>> fit_temperature([[1.0, 0.0], [0.0, 1.0]], [0, 1])  # every label has the top logit
    Traceback (most recent call last):
        ...
    ValueError: logits: every label has the largest logit of its row ...
    """
    z = _rows(logits, "logits")
    n = z.shape[0]
    if n == 0:
        raise ValueError("logits: no samples (N = 0), the mean NLL has no minimiser")
    if not np.isfinite(z).all():
        bad = z[~np.isfinite(z)].flat[0]
        raise ValueError(f"logits: must be finite for temperature scaling, found {bad}")
    y = _labels(labels, n, z.shape[1], "logits")
    d, scale = _normalised(z)
    d_label = d[np.arange(n), y]
    if not (d != 0).any():  # every row constant: the NLL is log K for every T
        return 1.0
    slope_at_infinite_t = float(np.mean(d.mean(axis=1) - d_label))  # f'(0)
    if slope_at_infinite_t >= 0:
        raise ValueError(
            "logits: the labels' logits are on average no larger than their rows' means, so "
            "the mean NLL decreases as T -> inf and no finite T minimises it"
        )
    if not (d_label < 0).any():  # f'(inf) = mean(max_j d - d_y) = 0
        raise ValueError(
            "logits: every label has the largest logit of its row (the logits separate the "
            "labels), so the mean NLL decreases as T -> 0 and no T > 0 minimises it"
        )
    s = _solve(d, d_label)
    try:
        t = math.ldexp(math.exp(-s), scale)  # T = 2**scale / beta
    except OverflowError:
        t = math.inf
    if not 0 < t < math.inf:
        raise ValueError(
            f"logits: the optimal temperature, 2**{scale} * exp({-s:.6g}), is outside the "
            "range of float64"
        )
    return t


def _solve(d: np.ndarray, d_label: np.ndarray) -> float:
    """The root ``s = log beta`` of the increasing ``f'(e**s)`` (exists: checked by caller)."""
    s = 0.0
    g, slope = _derivative(d, d_label, 1.0)
    if g == 0.0:
        return s
    # grow a bracket [lo, hi] with f' < 0 at lo and f' > 0 at hi, in steps 1, 2, 4, ...
    direction = 1.0 if g < 0 else -1.0
    lo = hi = s
    step = 1.0
    while True:
        t = s + direction * step
        if abs(t) > _LOG_LIMIT:
            raise ValueError(
                "logits: the optimal temperature lies beyond exp(±700) times the logits' "
                "scale; the NLL is flat there"
            )
        g_t, slope_t = _derivative(d, d_label, math.exp(t))
        if g_t == 0.0:
            return t
        if (g_t > 0) == (direction > 0):  # sign change between s and t
            lo, hi = (s, t) if direction > 0 else (t, s)
            s, g, slope = t, g_t, slope_t
            break
        s, g, slope = t, g_t, slope_t
        step *= 2.0
    # safeguarded Newton on f'(e**s) = 0 in s
    for _ in range(200):
        step = -g / slope if slope > 0 else math.nan
        if abs(step) <= _STEP_TOLERANCE:  # converged (quadratically): s + step is the root
            return s + step
        t = s + step if lo < s + step < hi else 0.5 * (lo + hi)  # bisect if Newton leaves
        if hi - lo <= _STEP_TOLERANCE:
            return t
        s = t
        g, slope = _derivative(d, d_label, math.exp(s))
        if g == 0.0:
            return s
        if g < 0:
            lo = s
        else:
            hi = s
    return s  # not reached in practice: Newton converges quadratically inside the bracket
