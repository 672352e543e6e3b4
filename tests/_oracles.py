"""Reference implementations, independent of the package under test.

* ``mp_*``: mpmath at 60 significant digits, evaluated on the *exact* binary
  value of every float input (``mpmath.mpf(float(x))``) and rounded once, at the
  end, to the nearest float64.  These are the ground truth for accuracy tests.
* ``finite_difference_gradient``: a fourth-order centred difference in float64,
  independent of the package's own ``softmax_ce.gradcheck``.

The ``torch.nn.functional`` references (values and autograd gradients) are stored
fixtures, read by ``_torch_fixtures``: the tests never import torch.

Only the test suite imports this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath
import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Working precision (decimal digits) of every mpmath reference.
MP_DIGITS = 60


def _row_to_mpf(row: ArrayLike) -> list[mpmath.mpf]:
    return [mpmath.mpf(float(v)) for v in np.asarray(row, dtype=np.float64)]


def _mp_shifted(values: Sequence[mpmath.mpf]) -> tuple[mpmath.mpf, list, mpmath.mpf]:
    """(m, [v − m], log Σ exp(v − m)); the differences are exact (any number of bits),
    so that even 1e308 − (−1e308) or 1e5 − 1e-300 lose nothing."""
    top = max(values)
    diffs = [mpmath.fsub(v, top, exact=True) for v in values]
    # log Σ exp(d) = log1p(t), t the sum without one exp(0) = 1 term: log(1 + t) at any
    # fixed precision would lose a t below 1e-60 (e.g. 1e-226), log1p keeps it. Terms with
    # d < -2000 (below 1e-868) are left out: they cannot change a float64 result, and
    # mpmath's log1p of a number like exp(-1e308) would need ~1e308 bits.
    others = list(diffs)
    others.remove(0)
    t = mpmath.fsum(mpmath.exp(d) for d in others if d > _NEGLIGIBLE)
    return top, diffs, mpmath.log1p(t)


#: exp(-2000) ≈ 1e-869 is far below the smallest float64 (5e-324).
_NEGLIGIBLE = -2000


def _mp_logsumexp_row(values: Sequence[mpmath.mpf]) -> mpmath.mpf:
    top, _, log_sum = _mp_shifted(values)
    return mpmath.fadd(top, log_sum, exact=True)


def mp_logsumexp(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """log Σ exp(x) along ``axis`` at 60 digits, for finite ``x``."""

    def one_row(row: NDArray[np.float64]) -> float:
        with mpmath.workdps(MP_DIGITS):
            return float(_mp_logsumexp_row(_row_to_mpf(row)))

    return np.apply_along_axis(one_row, axis, np.asarray(x, dtype=np.float64))


def mp_log_softmax(
    x: ArrayLike, axis: int = -1, temperature: float = 1.0
) -> NDArray[np.float64]:
    """x/T − logsumexp(x/T) along ``axis`` at 60 digits, for finite ``x``."""

    def one_row(row: NDArray[np.float64]) -> NDArray[np.float64]:
        with mpmath.workdps(MP_DIGITS):
            t = mpmath.mpf(float(temperature))
            values = [v / t for v in _row_to_mpf(row)]
            _, diffs, log_sum = _mp_shifted(values)
            return np.array([float(mpmath.fsub(d, log_sum, exact=True)) for d in diffs])

    return np.apply_along_axis(one_row, axis, np.asarray(x, dtype=np.float64))


def mp_softmax(
    x: ArrayLike, axis: int = -1, temperature: float = 1.0
) -> NDArray[np.float64]:
    """exp(x/T) / Σ exp(x/T) along ``axis`` at 60 digits, for finite ``x``."""

    def one_row(row: NDArray[np.float64]) -> NDArray[np.float64]:
        with mpmath.workdps(MP_DIGITS):
            t = mpmath.mpf(float(temperature))
            values = [v / t for v in _row_to_mpf(row)]
            _, diffs, log_sum = _mp_shifted(values)
            return np.array(
                [float(mpmath.exp(d - log_sum)) if d > _NEGLIGIBLE else 0.0 for d in diffs]
            )

    return np.apply_along_axis(one_row, axis, np.asarray(x, dtype=np.float64))


def mp_binary_cross_entropy_with_logits(
    logit: float, target: float
) -> float:
    """−[t·log σ(z) + (1−t)·log(1−σ(z))] at 60 digits, for one finite logit."""
    with mpmath.workdps(MP_DIGITS):
        z = mpmath.mpf(float(logit))
        t = mpmath.mpf(float(target))
        # log σ(z) = −log(1 + e^{−z}); log(1 − σ(z)) = −log(1 + e^{z}).
        # Written with the larger exponent factored out so that 60 digits
        # suffice even for |z| = 1e300.
        def log1p_exp(u: mpmath.mpf) -> mpmath.mpf:
            if u > 0:
                return u + mpmath.log1p(mpmath.exp(-u))
            return mpmath.log1p(mpmath.exp(u))

        return float(t * log1p_exp(-z) + (1 - t) * log1p_exp(z))


def mp_entropy(p: ArrayLike) -> float:
    """−Σ p log p in nats at 60 digits, with 0·log 0 = 0 (one 1-D row)."""
    with mpmath.workdps(MP_DIGITS):
        total = mpmath.fsum(-v * mpmath.log(v) for v in _row_to_mpf(p) if v != 0)
        return float(total)


# ------------------------------------------------------------- finite differences
#: Step of :func:`finite_difference_gradient` relative to max(1, |x_i|): eps^(1/5) ≈ 7.4e-4
#: balances the fourth-order stencil's truncation error (~h^4) against rounding (~eps/h).
FD_RELATIVE_STEP = float(np.finfo(np.float64).eps ** 0.2)


def finite_difference_gradient(
    f: Callable[[NDArray[np.float64]], float], x: ArrayLike
) -> NDArray[np.float64]:
    """Gradient of a scalar ``f`` at ``x`` by the fourth-order centred difference

        (f(x − 2h·e_i) − 8 f(x − h·e_i) + 8 f(x + h·e_i) − f(x + 2h·e_i)) / 12h,

    in float64, with ``h`` the power of two at or below ``FD_RELATIVE_STEP · max(1, |x_i|)``
    (a power of two, so that ``h``, ``2h`` and ``12h`` carry no rounding of their own).
    Error ~ eps^(4/5) ≈ 3e-13 relative to the scale of ``f`` for a smooth ``f``. Written here, independently of
    ``softmax_ce.gradcheck`` (a second-order stencil with another step), so that it can
    check it.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        h = 2.0 ** np.floor(np.log2(FD_RELATIVE_STEP * max(1.0, abs(x[i]))))
        values = []
        for offset in (-2.0, -1.0, 1.0, 2.0):
            shifted = x.copy()
            shifted[i] += offset * h
            values.append(float(f(shifted)))
        f_m2, f_m1, f_p1, f_p2 = values
        grad[i] = (f_m2 - 8.0 * f_m1 + 8.0 * f_p1 - f_p2) / (12.0 * h)
    return grad


def naive_log_softmax(x: ArrayLike) -> NDArray[np.float64]:
    """``x - logsumexp(x)`` with SciPy's (accurate) logsumexp: the cancelling recipe."""
    from scipy.special import logsumexp

    x = np.asarray(x, dtype=np.float64)
    return x - logsumexp(x, axis=-1, keepdims=True)


def ulp_relative_error(actual: ArrayLike, expected: ArrayLike) -> float:
    """max |actual − expected| / |expected| over entries with expected ≠ 0."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    mask = expected != 0
    if not mask.any():
        return 0.0
    return float(np.max(np.abs(actual[mask] - expected[mask]) / np.abs(expected[mask])))


__all__ = [
    "FD_RELATIVE_STEP",
    "MP_DIGITS",
    "finite_difference_gradient",
    "mp_binary_cross_entropy_with_logits",
    "mp_entropy",
    "mp_log_softmax",
    "mp_logsumexp",
    "mp_softmax",
    "naive_log_softmax",
    "ulp_relative_error",
]
