r"""Entropy and Kullback-Leibler divergence of discrete distributions, with 0·log 0 = 0.

Together with :func:`softmax_ce.cross_entropy` they satisfy
:math:`H(y, \hat y) = H(y) + D_{\mathrm{KL}}(y \,\|\, \hat y)`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    cast_result,
    check_class_axis,
    check_distribution,
    check_num_classes,
    compute_dtype,
)

__all__ = ["entropy", "kl_divergence"]


def _distribution(p: ArrayLike, axis: Any, name: str) -> tuple[np.ndarray, int]:
    arr = as_float_array(p, name)
    axis = check_class_axis(arr.ndim, axis, name)
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


def kl_divergence(
    p: ArrayLike, q: ArrayLike, axis: int = -1, *, base: float | None = None
) -> np.ndarray:
    r"""Kullback-Leibler divergence :math:`D_{\mathrm{KL}}(p \| q) = \sum_j p_j \log(p_j / q_j)`.

    Parameters
    ----------
    p, q : array_like
        Probability distributions of the same shape (non-negative, summing to 1 along
        ``axis``, with the tolerance of :func:`entropy`). No broadcasting: unlike
        ``scipy.stats.entropy``, ``q`` must have exactly ``p``'s shape.
    axis : int, default -1
        The class axis.
    base : float, optional
        Logarithm base: ``None`` (default) for nats, 2 for bits.

    Returns
    -------
    numpy.ndarray or numpy scalar
        The shape without ``axis``, in the result floating dtype of ``p`` and ``q``: a NumPy
        scalar for 1-d input, an array otherwise.
        :math:`\ge 0` (up to rounding), 0 exactly when ``p == q``, ``+inf`` where some
        :math:`p_j > 0 = q_j`.

    Raises
    ------
    TypeError, ValueError
        As :func:`entropy` (naming ``p`` or ``q``); ``ValueError`` if ``q``'s shape differs
        from ``p``'s (checked before ``q``'s sums, so the message says so).

    See Also
    --------
    entropy, cross_entropy, scipy.special.rel_entr

    Notes
    -----
    Terms with :math:`p_j = 0` are 0 (also where :math:`q_j = 0`); a term with
    :math:`p_j > 0` and :math:`q_j = 0` is :math:`+\infty`. Each term is computed as
    :math:`p_j \log(p_j / q_j)` (one rounding in the ratio, none of the cancellation of
    :math:`\log p_j - \log q_j` when :math:`p_j \approx q_j`), and as
    :math:`p_j(\log p_j - \log q_j)` where the ratio would overflow or underflow. The sum
    is accurate to about :math:`\epsilon` *absolute*; as :math:`D_{\mathrm{KL}} \to 0`
    (``p`` close to ``q``) the terms of both signs cancel and the *relative* accuracy is
    lost.
    Cross-entropy decomposes as :math:`H(p, q) = H(p) + D_{\mathrm{KL}}(p \,\|\, q)`.

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
    """
    pa, axis = _distribution(p, axis, "p")
    qa = as_float_array(q, "q")
    if pa.shape != qa.shape:  # before q's sums: a wrong shape is the error to report
        raise ValueError(f"q: expected the shape of p, {pa.shape}, got {qa.shape}")
    qa, _ = _distribution(qa, axis, "q")
    scale = _log_base(base)
    dtype = np.result_type(pa, qa)
    work = compute_dtype(dtype)
    pw, qw = pa.astype(work, copy=False), qa.astype(work, copy=False)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        log_ratio = np.log(pw / qw)
        redo = ~np.isfinite(log_ratio) & (pw > 0) & (qw > 0)  # p / q over- or underflowed
        log_ratio[redo] = np.log(pw[redo]) - np.log(qw[redo])
        terms = pw * log_ratio  # +inf where p > 0 = q
    np.copyto(terms, 0.0, where=pw == 0)
    return cast_result(terms.sum(axis=axis) / scale, dtype)
