"""Property-based tests (Hypothesis, derandomized by ``conftest.py``).

Each property holds for every input the strategy can draw: shift invariance,
rows summing to 1, CE ≥ 0 (never nan for finite logits), CE = H + KL, the
gradient equal to finite differences, the integer-label and one-hot forms in
agreement, and the float16/float32/float64 matrix with tolerances scaled by
``np.finfo(dtype).eps``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import (
    finite_difference_gradient,
    mp_binary_cross_entropy_with_logits,
    mp_log_softmax,
    mp_logsumexp,
    mp_softmax,
)
from softmax_ce import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_grad,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    one_hot,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)

F64_EPS = float(np.finfo(np.float64).eps)
ANY_FINITE = st.floats(allow_nan=False, allow_infinity=False)


def logit_arrays(max_abs: float | None = 30.0, max_rows: int = 4, max_classes: int = 7):
    """(rows, K) float64 logits; ``max_abs=None`` draws any finite float64."""
    elements = (
        ANY_FINITE
        if max_abs is None
        else st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False)
    )
    shapes = st.tuples(st.integers(1, max_rows), st.integers(1, max_classes))
    return shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=elements))


@st.composite
def problems(draw, max_abs: float | None = 30.0, max_rows: int = 4, max_classes: int = 7):
    """A cross-entropy problem: logits, labels, soft targets, weights, smoothing."""
    logits = draw(logit_arrays(max_abs, max_rows, max_classes))
    n, k = logits.shape
    labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    raw = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0.0, 1.0)))
    raw[np.arange(n), labels] += 0.5  # every row has positive mass
    probs = raw / raw.sum(axis=1, keepdims=True)
    weight = draw(
        st.none() | hnp.arrays(np.float64, (k,), elements=st.floats(0.125, 8.0))
    )
    smoothing = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    return logits, labels, probs, weight, smoothing


# ---------------------------------------------------------------- softmax family
@given(logit_arrays(max_abs=None))
def test_softmax_rows_are_distributions_for_any_finite_logits(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(x)
    assert ((p >= 0) & (p <= 1)).all()
    k = x.shape[-1]
    assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=2 * k * F64_EPS)


@given(logit_arrays(max_abs=None))
def test_log_softmax_is_at_most_zero_and_logsumexp_at_least_the_max(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logp = log_softmax(x)
        lse = logsumexp(x)
    assert not np.isnan(logp).any() and (logp <= 0).all()
    assert (lse >= x.max(axis=-1)).all()
    assert (lse <= x.max(axis=-1) + np.log(x.shape[-1]) * (1 + 4 * F64_EPS)).all()


@given(logit_arrays(max_abs=None, max_rows=3, max_classes=5))
def test_softmax_family_matches_mpmath_for_any_finite_logits(x):
    # reference: mpmath at 60 digits on the exact float values
    assert_allclose(log_softmax(x), mp_log_softmax(x), rtol=1e-13, atol=0)
    assert_allclose(softmax(x), mp_softmax(x), rtol=1e-13, atol=1e-300)
    # logsumexp = m + log1p(t): relative to the result, except where m and log1p(t)
    # cancel (m < 0), which costs at most a few ulps of log1p(t) <= log K
    ref = mp_logsumexp(x)
    slack = 4 * F64_EPS * np.log(x.shape[-1]) + 1e-13 * np.abs(ref)
    assert (np.abs(logsumexp(x) - ref) <= slack).all()


@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 6),
        elements=st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False),
    ),
    st.data(),
)
def test_binary_cross_entropy_matches_mpmath_for_logits_up_to_1e300(z, data):
    t = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(0.0, 1.0)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = binary_cross_entropy_with_logits(z, t, reduction="none")
    # reference: mpmath at 60 digits, two non-negative terms
    expected = [mp_binary_cross_entropy_with_logits(a, b) for a, b in zip(z, t)]
    assert_allclose(loss, expected, rtol=1e-13, atol=1e-300)


@given(logit_arrays(max_abs=50.0, max_classes=6), st.data())
def test_jacobian_is_symmetric_rows_sum_to_zero_and_jvp_is_j_times_v(x, data):
    v = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-10, 10)))
    jac = softmax_jacobian(x)
    assert jac.shape == x.shape + (x.shape[-1],)
    assert_array_equal(jac, np.swapaxes(jac, -1, -2))
    assert_allclose(jac.sum(axis=-1), 0.0, atol=4 * F64_EPS)
    expected = np.einsum("...ij,...j->...i", jac, v)
    assert_allclose(softmax_jvp(x, v), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("offset", [1e6, 1e8, -1e8])
@given(x=logit_arrays(max_abs=50.0))
def test_shift_invariance_at_large_offsets(offset, x):
    shifted = x + offset
    # `shifted - offset` is exact (Sterbenz): both arrays hold logits with the very same
    # differences, so every result must agree to rounding ...
    same_differences = shifted - offset
    assert_allclose(softmax(shifted), softmax(same_differences), rtol=1e-14, atol=1e-300)
    assert_allclose(log_softmax(shifted), log_softmax(same_differences), rtol=1e-14, atol=1e-300)
    labels = np.argmin(x, axis=-1)
    assert_allclose(
        cross_entropy(shifted, labels, reduction="none"),
        cross_entropy(same_differences, labels, reduction="none"),
        rtol=1e-14,
        atol=1e-300,
    )
    # ... and against the unshifted logits the only change is the rounding of x + offset,
    # at most half an ulp of the offset in each logit (tolerance scaled by eps·|offset|).
    ulp = abs(offset) * F64_EPS
    assert_allclose(log_softmax(shifted), log_softmax(x), rtol=0, atol=2 * ulp)
    assert_allclose(softmax(shifted), softmax(x), rtol=4 * ulp, atol=1e-300)


# -------------------------------------------------------------------- cross-entropy
@given(problems(max_abs=None))
def test_cross_entropy_is_non_negative_and_never_nan_for_finite_logits(problem):
    logits, labels, probs, weight, smoothing = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for target in (labels, probs):
            loss = cross_entropy(
                logits, target, weight=weight, label_smoothing=smoothing, reduction="none"
            )
            assert not np.isnan(loss).any(), (target, loss)
            assert (loss >= 0).all(), loss


@given(problems(max_abs=20.0))
def test_cross_entropy_equals_entropy_plus_kl_for_probability_targets(problem):
    logits, _, probs, _, _ = problem
    loss = cross_entropy(logits, probs, reduction="none")
    expected = entropy(probs) + kl_divergence(probs, softmax(logits))
    assert_allclose(loss, expected, rtol=1e-12, atol=1e-13)


@given(problems(max_abs=10.0, max_rows=3, max_classes=5), st.sampled_from(["none", "mean", "sum"]))
def test_gradient_matches_finite_differences(problem, reduction):
    logits, labels, probs, weight, smoothing = problem
    for target in (labels, probs):
        kwargs = {"weight": weight, "label_smoothing": smoothing, "reduction": reduction}

        def total(z, target=target, kwargs=kwargs):
            return float(np.sum(cross_entropy(z, target, **kwargs)))

        numeric = finite_difference_gradient(total, logits)
        scale = 1.0 + abs(total(logits))
        assert_allclose(
            cross_entropy_grad(logits, target, **kwargs), numeric, rtol=1e-6, atol=1e-7 * scale
        )


@given(problems(max_abs=30.0))
def test_integer_labels_and_one_hot_targets_agree_with_weight_and_smoothing(problem):
    logits, labels, _, weight, smoothing = problem
    k = logits.shape[-1]
    onehot = one_hot(labels, k)
    kwargs = {"weight": weight, "label_smoothing": smoothing}
    for reduction in ("none", "sum"):
        assert_allclose(
            cross_entropy(logits, labels, reduction=reduction, **kwargs),
            cross_entropy(logits, onehot, reduction=reduction, **kwargs),
            rtol=1e-13,
            atol=1e-15,
        )
        assert_allclose(
            cross_entropy_grad(logits, labels, reduction=reduction, **kwargs),
            cross_entropy_grad(logits, onehot, reduction=reduction, **kwargs),
            rtol=1e-13,
            atol=1e-15,
        )
    # The weighted mean divides by Σ w[label] for indices and by N for probabilities.
    n = logits.shape[0]
    total_weight = n if weight is None else weight[labels].sum()
    assert_allclose(
        cross_entropy(logits, labels, **kwargs) * total_weight / n,
        cross_entropy(logits, onehot, **kwargs),
        rtol=1e-13,
        atol=1e-15,
    )


# ---------------------------------------------------------------------- dtypes
DTYPES = [np.float16, np.float32, np.float64]


def _tolerance(x64: np.ndarray, dtype) -> float:
    """Relative tolerance of a result in ``dtype`` against float64 on the same values.

    float32/float64: eps(dtype) times (a few roundings + the condition number of exp,
    max |x − max x|). float16 is computed in float32 and rounded once, so it must be
    within half an ulp (eps16/2) plus that float32 error: a float16 accumulator fails.
    """
    spread = float(np.max(x64.max(axis=-1, keepdims=True) - x64))
    if dtype == np.float16:
        return 0.5 * float(np.finfo(np.float16).eps) + _tolerance(x64, np.float32)
    return float(np.finfo(dtype).eps) * (8.0 + spread)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@given(x=logit_arrays(max_abs=30.0))
def test_dtype_matrix_softmax_family_within_eps_of_float64(dtype, x):
    x_d = x.astype(dtype)
    x64 = x_d.astype(np.float64)  # the same values, so only the computation is compared
    tol = _tolerance(x64, dtype)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    p = softmax(x_d)
    logp = log_softmax(x_d)
    lse = logsumexp(x_d)
    assert p.dtype == logp.dtype == lse.dtype == dtype
    assert_allclose(p.astype(np.float64), softmax(x64), rtol=tol, atol=tiny)
    assert_allclose(logp.astype(np.float64), log_softmax(x64), rtol=tol, atol=tiny)
    lse_scale = np.abs(x64).max(axis=-1) + np.log(x.shape[-1]) + 1.0
    assert (np.abs(lse.astype(np.float64) - logsumexp(x64)) <= tol * lse_scale).all()


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@given(problem=problems(max_abs=30.0))
def test_dtype_matrix_cross_entropy_within_eps_of_float64(dtype, problem):
    logits, labels, probs, _, _ = problem
    z = logits.astype(dtype)
    z64 = z.astype(np.float64)
    tol = _tolerance(z64, dtype)
    for reduction in ("none", "mean"):
        loss = cross_entropy(z, labels, reduction=reduction)
        assert loss.dtype == dtype
        expected = cross_entropy(z64, labels, reduction=reduction)
        assert_allclose(loss.astype(np.float64), expected, rtol=tol, atol=tol * 1e-3)
    probs_d = probs.astype(dtype)
    loss = cross_entropy(z, probs_d, reduction="none")
    assert loss.dtype == dtype
    # the rounded probabilities need not sum to 1 in float64, so the reference is the
    # defining formula -Σ y log softmax(z) on exactly those values
    expected = -np.sum(probs_d.astype(np.float64) * log_softmax(z64), axis=-1)
    assert_allclose(loss.astype(np.float64), expected, rtol=tol, atol=tol * 1e-3)
    grad = cross_entropy_grad(z, labels)
    assert grad.dtype == dtype
    assert_allclose(
        grad.astype(np.float64),
        cross_entropy_grad(z64, labels),
        rtol=tol,
        atol=float(np.finfo(dtype).eps),
    )


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.bool_])
def test_integers_and_bools_promote_to_float64(dtype):
    x = np.array([[1, 0, 1], [0, 0, 1]], dtype=dtype)
    x64 = x.astype(np.float64)
    for func in (softmax, log_softmax, logsumexp):
        result = func(x)
        assert result.dtype == np.float64
        assert_array_equal(result, func(x64))
    labels = np.array([0, 2])
    assert cross_entropy(x, labels).dtype == np.float64
    assert cross_entropy_grad(x, labels).dtype == np.float64
