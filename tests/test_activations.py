"""softmax, log_softmax and logsumexp against oracles nobody here wrote.

Ground truth is mpmath at 60 digits on the exact binary value of each float
input (``tests/_oracles.py``); SciPy's ``scipy.special`` is the second oracle,
and SciPy's own regression cases (gh-18295, the ``log_softmax([1000, 1])``
docstring example) are kept by name.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import (
    finite_difference_gradient,
    mp_log_softmax,
    mp_logsumexp,
    mp_softmax,
    naive_log_softmax,
    ulp_relative_error,
)
from softmax_ce import log_softmax, logsumexp, softmax

#: The accuracy the spec promises, relative, against mpmath, in float64.
RTOL = 1e-13
#: Softmax entries below the normal range are compared absolutely (a subnormal
#: has fewer than 53 significant bits, so a relative bound is meaningless there).
SUBNORMAL_ATOL = 1e-300

_case_rng = np.random.default_rng(7)
FINITE_CASES = {
    # The spec's example: two huge equal-magnitude logits of opposite sign.
    "spec_1e5_mix": [1e5, -1e5, 3.0, 1e5 - 1],
    # Mixes at the edge of float64: exp of any of these overflows.
    "pm_1e308_mix": [1e308, -1e308, 1e308, 0.0],
    "max_float_pair": [np.finfo(np.float64).max, np.finfo(np.float64).max],
    "all_minus_1e308": [-1e308, -1e308, -1e308],
    # A spread of 1e-300: every probability is 1/K up to ~1e-300.
    "spread_1e-300": [1e-300, -1e-300, 2e-300, 0.0],
    "single_class": [3.5],
    "single_class_huge": [-1e308],
    # SciPy gh-18295: the result of logsumexp is 4.25e-18 above the max.
    "scipy_gh18295": [0.0, -40.0],
    # Close logits far from 0: x - logsumexp(x) cancels here.
    "near_ties_at_1e6": [1e6 + 0.5, 1e6, 1e6 - 1.25, 1e6 - 3.0],
    "wide_uniform_700": _case_rng.uniform(-700, 700, size=64),
    "standard_normal_K10000": _case_rng.standard_normal(10_000) * 5,
}


@pytest.mark.parametrize("x", FINITE_CASES.values(), ids=FINITE_CASES.keys())
def test_logsumexp_matches_mpmath_to_1e13_for_finite_logits_of_any_magnitude(x):
    x = np.asarray(x, dtype=np.float64)
    # reference: mpmath at 60 digits
    assert_allclose(logsumexp(x), mp_logsumexp(x), rtol=RTOL, atol=0)


@pytest.mark.parametrize("x", FINITE_CASES.values(), ids=FINITE_CASES.keys())
def test_log_softmax_matches_mpmath_to_1e13_for_finite_logits_of_any_magnitude(x):
    x = np.asarray(x, dtype=np.float64)
    # reference: mpmath at 60 digits (an entry of -2e308 rounds to -inf there too)
    assert_allclose(log_softmax(x), mp_log_softmax(x), rtol=RTOL, atol=0)


@pytest.mark.parametrize("x", FINITE_CASES.values(), ids=FINITE_CASES.keys())
def test_softmax_matches_mpmath_to_1e13_for_finite_logits_of_any_magnitude(x):
    x = np.asarray(x, dtype=np.float64)
    # reference: mpmath at 60 digits
    assert_allclose(softmax(x), mp_softmax(x), rtol=RTOL, atol=SUBNORMAL_ATOL)


def test_batched_rows_match_mpmath_row_by_row(rng):
    x = rng.standard_normal((6, 9)) * np.array([[1e-3], [1], [10], [100], [1e4], [1e6]])
    # reference: mpmath at 60 digits, one row at a time
    assert_allclose(logsumexp(x), mp_logsumexp(x), rtol=RTOL, atol=0)
    assert_allclose(log_softmax(x), mp_log_softmax(x), rtol=RTOL, atol=0)
    assert_allclose(softmax(x), mp_softmax(x), rtol=RTOL, atol=SUBNORMAL_ATOL)


# ------------------------------------------------------------ SciPy regressions
def test_logsumexp_of_0_and_minus40_is_log1p_exp_minus40_scipy_gh18295():
    # reference: SciPy's regression test gh-18295; log1p(exp(-40)) = 4.248354255291589e-18
    expected = np.log1p(np.exp(-40.0))
    result = logsumexp(np.array([0.0, -40.0]))
    assert result != 0.0
    assert_allclose(result, expected, rtol=1e-15, atol=0)


def test_log_softmax_of_0_and_minus40_keeps_the_tiny_first_entry_scipy_gh18295():
    x = np.array([0.0, -40.0])
    # reference: mpmath at 60 digits: [-4.248354255291589e-18, -40.0]
    expected = mp_log_softmax(x)
    assert expected[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15)
    assert_allclose(log_softmax(x), expected, rtol=1e-15, atol=0)


def test_log_softmax_of_1000_and_1_is_exactly_0_and_minus999_scipy_docstring():
    # reference: scipy.special.log_softmax docstring (np.log(softmax) gives [0, -inf] there)
    assert_array_equal(log_softmax(np.array([1000.0, 1.0])), [0.0, -999.0])


NAIVE_LOSES_DIGITS = {
    # x0 - logsumexp(x) rounds to 0 where the truth is -9.36e-14: all digits lost.
    "1e5_and_1e5_minus_30": [1e5, 1e5 - 30],
    # logsumexp rounds at the 1e6 scale (ulp 1.2e-10): ~5 digits lost in every entry.
    "near_ties_at_1e6": [1e6 + 0.5, 1e6, 1e6 - 1.25, 1e6 - 3.0],
    # ~8 digits lost at 1e8.
    "near_ties_at_1e8": [1e8, 1e8 - 1, 1e8 - 2.5],
}


@pytest.mark.parametrize("x", NAIVE_LOSES_DIGITS.values(), ids=NAIVE_LOSES_DIGITS.keys())
def test_log_softmax_keeps_the_digits_that_x_minus_logsumexp_loses(x):
    x = np.asarray(x, dtype=np.float64)
    truth = mp_log_softmax(x)  # reference: mpmath at 60 digits
    naive_error = ulp_relative_error(naive_log_softmax(x), truth)
    ours_error = ulp_relative_error(log_softmax(x), truth)
    # The case is a real trap: the subtraction loses at least 3 of ~16 digits ...
    assert naive_error >= 1e-13, naive_error
    # ... and log_softmax does not.
    assert ours_error <= 1e-13, ours_error


# ------------------------------------------------------------------ scipy oracle
@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
def test_softmax_log_softmax_logsumexp_agree_with_scipy_special_along_any_axis(rng, axis):
    x = rng.standard_normal((3, 4, 5)) * 4
    # reference: scipy.special (1.17), same axis
    assert_allclose(softmax(x, axis=axis), scipy.special.softmax(x, axis=axis), rtol=RTOL)
    # SciPy's log_softmax computes log(sum) rather than log1p: its largest entry, when
    # close to 0, is only accurate to ~1e-16 absolute, hence the atol for that oracle ...
    assert_allclose(
        log_softmax(x, axis=axis),
        scipy.special.log_softmax(x, axis=axis),
        rtol=RTOL,
        atol=4e-16,
    )
    # ... while against mpmath (60 digits) ours holds relatively everywhere.
    assert_allclose(log_softmax(x, axis=axis), mp_log_softmax(x, axis=axis), rtol=RTOL)
    assert_allclose(
        logsumexp(x, axis=axis), scipy.special.logsumexp(x, axis=axis), rtol=RTOL
    )
    assert_allclose(
        logsumexp(x, axis=axis, keepdims=True),
        scipy.special.logsumexp(x, axis=axis, keepdims=True),
        rtol=RTOL,
    )


def test_default_axis_is_the_last_one_unlike_scipy(rng):
    x = rng.standard_normal((3, 4))
    assert_allclose(softmax(x), scipy.special.softmax(x, axis=-1), rtol=RTOL)
    assert logsumexp(x).shape == (3,)


def test_softmax_is_the_gradient_of_logsumexp(rng):
    x = rng.standard_normal(7) * 3
    numeric = finite_difference_gradient(lambda z: float(logsumexp(z)), x)
    assert_allclose(softmax(x), numeric, rtol=1e-7, atol=1e-9)


def test_softmax_equals_exp_of_log_softmax(rng):
    x = rng.standard_normal((5, 8)) * 10
    assert_allclose(softmax(x), np.exp(log_softmax(x)), rtol=1e-14, atol=SUBNORMAL_ATOL)


# ------------------------------------------------------------------- temperature
@pytest.mark.parametrize("temperature", [1e-300, 1e-3, 0.1, 0.5, 2.0, 10.0, 1e3, 1e300])
def test_temperature_divides_the_logits_matches_mpmath(rng, temperature):
    x = rng.standard_normal((4, 6)) * 3
    # reference: mpmath at 60 digits of exp((x/T) - logsumexp(x/T)), x/T exact in mpmath
    assert_allclose(
        softmax(x, temperature=temperature),
        mp_softmax(x, temperature=temperature),
        rtol=RTOL,
        atol=SUBNORMAL_ATOL,
    )
    assert_allclose(
        log_softmax(x, temperature=temperature),
        mp_log_softmax(x, temperature=temperature),
        rtol=RTOL,
    )


def test_temperature_one_is_the_default(rng):
    x = rng.standard_normal((3, 5))
    assert_array_equal(softmax(x, temperature=1.0), softmax(x))
    assert_array_equal(log_softmax(x, temperature=1), log_softmax(x))


def test_small_temperature_tends_to_argmax_and_large_to_uniform():
    x = np.array([1.0, 3.0, 2.0, -1.0])
    assert_allclose(softmax(x, temperature=1e-3), [0.0, 1.0, 0.0, 0.0], atol=1e-300)
    assert_allclose(softmax(x, temperature=1e12), np.full(4, 0.25), rtol=1e-11)


# -------------------------------------------------------------- non-finite input
NAN = np.nan
INF = np.inf
NONFINITE_ROWS = {
    # -inf among finite entries: that class has probability exactly 0.
    "minus_inf_among_finite": [-INF, 0.0, np.log(3.0)],
    "two_minus_inf_among_finite": [-INF, 1.0, -INF, 1.0],
    # Rows the policy turns entirely into NaN.
    "all_minus_inf": [-INF, -INF, -INF],
    "plus_inf_with_finite": [INF, 0.0, 1.0],
    "plus_inf_with_minus_inf": [INF, -INF],
    "two_plus_inf": [INF, INF, 0.0],
    "nan_with_finite": [NAN, 0.0, 1.0],
    "nan_with_minus_inf": [NAN, -INF],
    "nan_with_plus_inf": [NAN, INF],
    "single_minus_inf": [-INF],
    "single_plus_inf": [INF],
}
NAN_ROWS = {
    "all_minus_inf",
    "plus_inf_with_finite",
    "plus_inf_with_minus_inf",
    "two_plus_inf",
    "nan_with_finite",
    "nan_with_minus_inf",
    "nan_with_plus_inf",
    "single_minus_inf",
    "single_plus_inf",
}


def _scipy_logsumexp_quietly(x, axis=-1):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return scipy.special.logsumexp(x, axis=axis)


@pytest.mark.parametrize("name", NONFINITE_ROWS)
def test_logsumexp_of_non_finite_input_follows_scipy(name):
    x = np.array(NONFINITE_ROWS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = logsumexp(x)
    # reference: scipy.special.logsumexp (1.17) on the same row
    assert_array_equal(result, _scipy_logsumexp_quietly(x))


@pytest.mark.parametrize("name", NONFINITE_ROWS)
def test_softmax_and_log_softmax_non_finite_policy(name):
    x = np.array(NONFINITE_ROWS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(x)
        logp = log_softmax(x)
    if name in NAN_ROWS:
        # all -inf, or any +inf or nan: the whole row is NaN (documented policy)
        assert np.isnan(p).all(), p
        assert np.isnan(logp).all(), logp
        return
    masked = np.isneginf(x)
    assert_array_equal(p[masked], 0.0)
    assert_array_equal(logp[masked], -np.inf)
    # the finite entries are the softmax of the finite entries alone
    # reference: mpmath at 60 digits on the finite sub-row
    assert_allclose(p[~masked], mp_softmax(x[~masked]), rtol=RTOL)
    assert_allclose(logp[~masked], mp_log_softmax(x[~masked]), rtol=RTOL)


def test_a_non_finite_row_does_not_contaminate_the_other_rows(rng):
    good = rng.standard_normal((2, 3))
    x = np.vstack([good[0], [-INF, -INF, -INF], [INF, 0.0, 1.0], [NAN, 0.0, 1.0], good[1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p, logp, lse = softmax(x), log_softmax(x), logsumexp(x)
    assert_array_equal(p[[0, 4]], softmax(good))
    assert_array_equal(logp[[0, 4]], log_softmax(good))
    assert_array_equal(lse[[0, 4]], logsumexp(good))
    assert np.isnan(p[1:4]).all() and np.isnan(logp[1:4]).all()
    # reference: scipy.special.logsumexp row by row
    assert_array_equal(lse[1:4], _scipy_logsumexp_quietly(x[1:4]))


# ----------------------------------------------------------- layout and shapes
#: Layout (strides, axis order) must not change results beyond a different summation
#: order: ~10 ulp. A real layout bug (a wrong axis, a stale block) is off by O(1).
LAYOUT_RTOL = 2e-15


FUNCTIONS = {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp}


@pytest.mark.parametrize("func", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_transposed_input_with_axis_0_equals_contiguous_input_with_axis_minus_1(rng, func):
    x = rng.standard_normal((7, 5)) * 20
    result = func(x.T, axis=0)
    expected = func(np.ascontiguousarray(x), axis=-1)
    expected = expected.T if expected.ndim == 2 else expected
    assert_allclose(result, expected, rtol=LAYOUT_RTOL)


@pytest.mark.parametrize("func", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_strided_and_fortran_inputs_equal_contiguous_ones(rng, func):
    big = rng.standard_normal((9, 16)) * 20
    strided = big[::2, 1::3]
    assert not strided.flags.c_contiguous
    contiguous = np.ascontiguousarray(strided)
    assert_allclose(func(strided), func(contiguous), rtol=LAYOUT_RTOL)
    fortran = np.asfortranarray(big)
    assert_allclose(func(fortran), func(np.ascontiguousarray(big)), rtol=LAYOUT_RTOL)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
@pytest.mark.parametrize("func", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_three_d_input_along_any_axis_equals_moving_that_axis_last(rng, func, axis):
    x = rng.standard_normal((3, 4, 5)) * 5
    result = func(x, axis=axis)
    expected = func(np.ascontiguousarray(np.moveaxis(x, axis, -1)), axis=-1)
    if func is not logsumexp:
        expected = np.moveaxis(expected, -1, axis)
    assert result.shape == expected.shape
    assert_allclose(result, expected, rtol=LAYOUT_RTOL)


def test_logsumexp_keepdims_keeps_the_class_axis_with_length_one(rng):
    x = rng.standard_normal((3, 4, 5))
    assert logsumexp(x, axis=1, keepdims=True).shape == (3, 1, 5)
    assert_array_equal(logsumexp(x, axis=1, keepdims=True)[:, 0, :], logsumexp(x, axis=1))
    assert logsumexp(x[0, 0]).shape == ()


def test_softmax_and_log_softmax_keep_the_input_shape_logsumexp_drops_the_axis(rng):
    x = rng.standard_normal((2, 3, 4))
    assert softmax(x).shape == log_softmax(x).shape == (2, 3, 4)
    assert logsumexp(x).shape == (2, 3)


def test_an_empty_batch_gives_empty_results():
    x = np.zeros((0, 3))
    assert softmax(x).shape == (0, 3)
    assert log_softmax(x).shape == (0, 3)
    assert logsumexp(x).shape == (0,)


def test_python_lists_are_accepted_and_give_float64(rng):
    assert softmax([1.0, 2.0]).dtype == np.float64
    assert_array_equal(softmax([1.0, 2.0]), softmax(np.array([1.0, 2.0])))


@pytest.mark.parametrize("func", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_float16_is_rounded_once_from_a_wider_computation(rng, func):
    # K = 4096: accumulating in float16 itself costs about one ulp; computing in float32
    # and rounding once stays within half an ulp (plus float32's own error).
    x16 = (rng.standard_normal((8, 4096)) * 3).astype(np.float16)
    x64 = x16.astype(np.float64)
    result = func(x16)
    assert result.dtype == np.float16
    spread = float(np.max(x64.max(axis=-1, keepdims=True) - x64))
    rtol = 0.5 * float(np.finfo(np.float16).eps) + float(np.finfo(np.float32).eps) * (8 + spread)
    # reference: the float64 result on the same float16 values
    assert_allclose(
        result.astype(np.float64),
        func(x64),
        rtol=rtol,
        atol=float(np.finfo(np.float16).smallest_subnormal),
    )


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_large_logits_do_not_overflow_in_their_own_dtype(dtype):
    big = float(np.finfo(dtype).max)
    x = np.array([big, big / 2, -big], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(x)
        logp = log_softmax(x)
        lse = logsumexp(x)
    assert p.dtype == logp.dtype == lse.dtype == dtype
    assert_array_equal(p, np.array([1.0, 0.0, 0.0], dtype=dtype))
    assert logp[0] == 0 and np.isneginf(logp[2])
    assert lse == x[0]


@pytest.mark.parametrize(
    "x, temperature",
    [
        (np.array([1.0, 2.0], np.float32), 1e-300),  # T below float32's range: 0 in float32
        (np.array([1.0, 2.0], np.float16), 1e-46),  # below float32's subnormals too
        (np.array([1e38, -1e38], np.float32), 1e39),  # T above float32's largest value
        (np.array([3.0, -1.0, 0.5], np.float32), 1e-40),  # a float32 subnormal: inexact
        (np.array([1e4, -2e4], np.float16), 1e5),  # T above float16's range
    ],
    ids=["f32_tiny_T", "f16_tiny_T", "f32_huge_T", "f32_subnormal_T", "f16_huge_T"],
)
def test_temperature_outside_the_float_range_of_the_input_is_applied_exactly(x, temperature):
    # reference: mpmath on the exact x / T, rounded once to x's dtype
    x64 = x.astype(np.float64)
    expected = mp_softmax(x64 / temperature).astype(x.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = softmax(x, temperature=temperature)
        got_log = log_softmax(x, temperature=temperature)
    assert got.dtype == x.dtype and got_log.dtype == x.dtype
    assert_allclose(got.astype(np.float64), expected, rtol=2 * np.finfo(x.dtype).eps)
    expected_log = mp_log_softmax(x64 / temperature)
    with np.errstate(over="ignore"):  # -1e300 rounds to -inf in float32
        finite = np.isfinite(expected_log.astype(x.dtype))
    assert_allclose(
        got_log[finite].astype(np.float64), expected_log[finite], rtol=2 * np.finfo(x.dtype).eps
    )
    assert_array_equal(np.isinf(got_log), ~finite)


def test_temperature_accepts_a_0d_array():
    x = np.array([1.0, 2.0, 3.0])
    assert_array_equal(softmax(x, temperature=np.array(2.0)), softmax(x, temperature=2.0))
    assert_array_equal(log_softmax(x, temperature=np.float32(2.0)), log_softmax(x, temperature=2.0))
