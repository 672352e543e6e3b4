"""cross_entropy and cross_entropy_grad against torch.nn.functional.cross_entropy
(values and autograd gradients stored in tests/fixtures/torch/cross_entropy.json by
scripts/make_torch_fixtures.py, float32 and float64), mpmath and finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import finite_difference_gradient, mp_log_softmax
from _torch_fixtures import TorchCase, load_cases
from softmax_ce import cross_entropy, cross_entropy_grad, one_hot, softmax

N, K = 6, 5
REDUCTIONS = ["none", "mean", "sum"]
#: Agreement with torch in float64 (both are accurate to a few ulp).
TORCH_RTOL, TORCH_ATOL = 1e-12, 1e-15
#: Agreement with torch in float32: both round every step to float32 (eps 1.2e-7), in
#: different orders. Largest differences in the stored cases: 2.2e-7 relative on losses,
#: 2.4e-7 absolute on gradient entries (2 ulp of 1). A mishandled option is off by 1e-3 or more.
TORCH32_RTOL, TORCH32_ATOL = 1e-6, 1e-6
TORCH_TOLERANCE = {
    np.dtype(np.float64): {"rtol": TORCH_RTOL, "atol": TORCH_ATOL},
    np.dtype(np.float32): {"rtol": TORCH32_RTOL, "atol": TORCH32_ATOL},
}

# reference: torch.nn.functional.cross_entropy, value and autograd gradient, stored
TORCH_CASES = load_cases("cross_entropy")


def torch_cases(prefix: str) -> list[TorchCase]:
    """The stored torch cases whose id starts with ``prefix``."""
    cases = [case for case in TORCH_CASES if case.id.startswith(prefix)]
    assert cases, prefix
    return cases


def torch_case(case_id: str) -> TorchCase:
    (case,) = [case for case in TORCH_CASES if case.id == case_id]
    return case


def assert_matches_torch(case: TorchCase) -> None:
    """cross_entropy and cross_entropy_grad on the case's inputs give torch's value and
    autograd gradient, with torch's shapes and dtype, to the dtype's tolerance."""
    loss = cross_entropy(*case.args, **case.kwargs)
    grad = cross_entropy_grad(*case.args, **case.kwargs)
    loss_ref, grad_ref = case.expected["value"], case.expected["grad"]
    assert np.shape(loss) == loss_ref.shape
    assert np.asarray(loss).dtype == loss_ref.dtype
    assert grad.shape == grad_ref.shape and grad.dtype == grad_ref.dtype
    tolerance = TORCH_TOLERANCE[case.args[0].dtype]
    assert_allclose(loss, loss_ref, **tolerance)
    assert_allclose(grad, grad_ref, **tolerance)


_data = np.random.default_rng(11)
LOGITS = _data.standard_normal((N, K)) * 3
LABELS = np.array([0, 2, 4, 2, 1, 3])
LABELS_WITH_MINUS_100 = np.array([0, -100, 4, 2, -100, 3])
WEIGHT = np.array([0.5, 2.0, 1.0, 0.25, 3.0])
PROBS = _data.dirichlet(np.ones(K), size=N)
PROBS[1] = [0.0, 0.0, 1.0, 0.0, 0.0]  # a one-hot row among soft ones
PROBS[3] = [0.5, 0.0, 0.0, 0.5, 0.0]  # zero-probability classes


@pytest.mark.parametrize("case", torch_cases("index/"), ids=str)
def test_index_targets_match_torch_value_and_autograd(case):
    # every combination of weight, ignore_index (-100 or a class), label_smoothing, reduction
    assert_matches_torch(case)


@pytest.mark.parametrize("case", torch_cases("probs/"), ids=str)
def test_probability_targets_match_torch_value_and_autograd(case):
    # every combination of weight, label_smoothing, reduction
    assert_matches_torch(case)


@pytest.mark.parametrize("case", torch_cases("layout/"), ids=str)
def test_every_layout_matches_torch_with_index_and_probability_targets(case):
    # torch's (N, C, d...) with axis=1, classes last, classes first, a single 1-D sample
    assert_matches_torch(case)


@pytest.mark.parametrize("case", torch_cases("edge/"), ids=str)
def test_edge_cases_match_torch_value_and_autograd(case):
    # all rows ignored, a -inf non-target logit, zero total weight, a 0-d target
    assert_matches_torch(case)


#: A different summation order is allowed (~10 ulp); a real layout bug is off by O(1).
LAYOUT_RTOL = 2e-15


def test_strided_fortran_and_transposed_logits_give_the_contiguous_results(rng):
    big = rng.standard_normal((N, 2 * K)) * 3
    strided = big[:, ::2]
    contiguous = np.ascontiguousarray(strided)
    kwargs = {"weight": WEIGHT, "label_smoothing": 0.1, "reduction": "none"}
    for target in (LABELS, PROBS):
        expected_loss = cross_entropy(contiguous, target, **kwargs)
        expected_grad = cross_entropy_grad(contiguous, target, **kwargs)
        for logits in (strided, np.asfortranarray(contiguous)):
            loss = cross_entropy(logits, target, **kwargs)
            assert_allclose(loss, expected_loss, rtol=LAYOUT_RTOL)
            grad = cross_entropy_grad(logits, target, **kwargs)
            assert_allclose(grad, expected_grad, rtol=LAYOUT_RTOL)
        # the same data with the class axis first
        probs_t = target.T if target.ndim == 2 else target
        loss = cross_entropy(contiguous.T, probs_t, axis=0, **kwargs)
        assert_allclose(loss, expected_loss, rtol=LAYOUT_RTOL)
        assert_allclose(
            cross_entropy_grad(contiguous.T, probs_t, axis=0, **kwargs),
            expected_grad.T,
            rtol=LAYOUT_RTOL,
        )


def test_python_int_target_for_a_single_sample():
    case = torch_case("edge/single_sample_int_target/float64")
    logits, target = case.args
    assert target.shape == () and target == 3
    # reference: torch F.cross_entropy with a 0-d target tensor (stored)
    assert_allclose(cross_entropy(logits, 3), case.expected["value"], rtol=TORCH_RTOL)
    assert_allclose(
        cross_entropy_grad(logits, 3), case.expected["grad"], rtol=TORCH_RTOL, atol=TORCH_ATOL
    )


# ---------------------------------------------------------- finite differences
FD_CASES = {
    "index_mean": (LABELS, {}),
    "index_weight_smoothing_ignore_sum": (
        LABELS_WITH_MINUS_100,
        {"weight": WEIGHT, "label_smoothing": 0.2, "ignore_index": -100, "reduction": "sum"},
    ),
    "index_weight_mean": (LABELS, {"weight": WEIGHT}),
    "index_none": (LABELS, {"reduction": "none"}),
    "prob_mean": (PROBS, {}),
    "prob_weight_smoothing_none": (
        PROBS,
        {"weight": WEIGHT, "label_smoothing": 0.3, "reduction": "none"},
    ),
}


@pytest.mark.parametrize("case", FD_CASES, ids=str)
def test_gradient_matches_finite_differences(case):
    target, kwargs = FD_CASES[case]

    def total_loss(z):
        return float(np.sum(cross_entropy(z, target, **kwargs)))

    numeric = finite_difference_gradient(total_loss, LOGITS)
    assert_allclose(cross_entropy_grad(LOGITS, target, **kwargs), numeric, rtol=1e-6, atol=1e-8)


def test_reduction_none_gradient_is_softmax_minus_y_scaled_by_the_weights():
    grad = cross_entropy_grad(LOGITS, LABELS, weight=WEIGHT, reduction="none")
    expected = WEIGHT[LABELS][:, None] * (softmax(LOGITS) - one_hot(LABELS, K))
    assert_allclose(grad, expected, rtol=1e-14, atol=1e-16)
    grad = cross_entropy_grad(LOGITS, PROBS, reduction="none")
    assert_allclose(grad, softmax(LOGITS) - PROBS, rtol=1e-14, atol=1e-16)


def test_mean_gradient_is_the_sum_gradient_divided_by_sum_of_target_weights():
    grad_sum = cross_entropy_grad(LOGITS, LABELS, weight=WEIGHT, reduction="sum")
    grad_mean = cross_entropy_grad(LOGITS, LABELS, weight=WEIGHT, reduction="mean")
    assert_allclose(grad_mean, grad_sum / WEIGHT[LABELS].sum(), rtol=1e-14)


def test_weighted_mean_divides_by_sum_of_target_weights_for_indices_and_by_n_for_probabilities():
    per_row = cross_entropy(LOGITS, LABELS, weight=WEIGHT, reduction="none")
    mean = cross_entropy(LOGITS, LABELS, weight=WEIGHT)
    assert_allclose(mean, per_row.sum() / WEIGHT[LABELS].sum(), rtol=1e-14)
    per_row = cross_entropy(LOGITS, PROBS, weight=WEIGHT, reduction="none")
    mean = cross_entropy(LOGITS, PROBS, weight=WEIGHT)
    assert_allclose(mean, per_row.sum() / N, rtol=1e-14)


def test_label_smoothing_mixes_with_the_uniform_distribution_eps_over_k_on_every_class():
    eps = 0.2
    smoothed = (1 - eps) * one_hot(LABELS, K) + eps / K
    assert_allclose(
        cross_entropy(LOGITS, LABELS, label_smoothing=eps, reduction="none"),
        cross_entropy(LOGITS, smoothed, reduction="none"),
        rtol=1e-14,
    )


# ------------------------------------------------------------ accuracy (mpmath)
HUGE_LOGITS = {
    "spec_1e5_mix": [1e5, -1e5, 3.0, 1e5 - 1],
    "near_ties_at_1e8": [1e8, 1e8 - 1, 1e8 - 2.5, 1e8 - 7],
    "scipy_gh18295": [0.0, -40.0, -45.0, -50.0],
}


@pytest.mark.parametrize("logits", HUGE_LOGITS.values(), ids=HUGE_LOGITS.keys())
def test_index_target_loss_is_minus_log_softmax_to_1e13_for_logits_of_any_magnitude(logits):
    logits = np.array(logits)
    k = logits.size
    batch = np.tile(logits, (k, 1))
    labels = np.arange(k)
    # reference: -log_softmax from mpmath at 60 digits
    expected = -mp_log_softmax(logits)
    assert_allclose(cross_entropy(batch, labels, reduction="none"), expected, rtol=1e-13)


def test_probability_target_loss_matches_mpmath_at_huge_logits():
    logits = np.array([1e8, 1e8 - 1, 1e8 - 2.5, 1e8 - 7])
    y = np.array([0.125, 0.5, 0.375, 0.0])
    # reference: -Σ y log_softmax with log_softmax from mpmath at 60 digits (terms ≥ 0)
    expected = -np.sum(y * np.where(y > 0, mp_log_softmax(logits), 0.0))
    assert_allclose(cross_entropy(logits, y), expected, rtol=1e-13)


def test_loss_at_plus_minus_1e308_is_exact_without_warnings():
    logits = np.array([[1e308, -1e308], [-1e308, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, np.array([0, 1]), reduction="none")
        grad = cross_entropy_grad(logits, np.array([0, 1]), reduction="none")
    # reference: log1p(exp(-2e308)) = 0 to every digit; softmax = one-hot of the target
    assert_array_equal(loss, [0.0, 0.0])
    assert_array_equal(grad, np.zeros((2, 2)))


def test_mean_of_huge_finite_losses_is_their_mean_not_inf():
    # four rows whose loss is 1e308 each: the sum overflows float64, the mean does not
    logits = np.tile([0.0, -1e308], (4, 1))
    labels = np.ones(4, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_row = cross_entropy(logits, labels, reduction="none")
        mean = cross_entropy(logits, labels)
        mean_soft = cross_entropy(logits, np.tile([0.0, 1.0], (4, 1)))
    # reference: (m - z_y) + log1p(e^{-1e308}) = 1e308 exactly in float64
    assert_array_equal(per_row, np.full(4, 1e308))
    assert mean == 1e308
    assert mean_soft == 1e308


# ------------------------------------------------------------ masking and -inf
def test_all_ignored_batch_under_mean_is_nan_like_torch_with_zero_gradient():
    case = torch_case("edge/all_ignored/reduction=mean/float64")
    logits, labels = case.args
    assert (labels == -100).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, labels, ignore_index=-100)
        grad = cross_entropy_grad(logits, labels, ignore_index=-100)
        loss_sum = cross_entropy(logits, labels, ignore_index=-100, reduction="sum")
    # reference: torch gives nan (0/0, the mean of an empty set) and a zero gradient (stored)
    assert np.isnan(case.expected["value"]) and np.isnan(loss)
    assert_array_equal(grad, case.expected["grad"])
    assert_array_equal(grad, np.zeros_like(logits))
    assert loss_sum == 0.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ignored_rows_give_zero_loss_and_exactly_zero_gradient(rng, reduction):
    logits = rng.standard_normal((5, K))
    logits[1] = [1e308, -1e308, 0.0, 1e308, -1e308]  # extreme but finite
    logits[3] = -np.inf  # a fully masked padding row
    labels = np.array([0, -100, 2, -100, 4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, labels, ignore_index=-100, reduction=reduction)
        grad = cross_entropy_grad(logits, labels, ignore_index=-100, reduction=reduction)
    assert_array_equal(grad[[1, 3]], 0.0)
    kept = [0, 2, 4]
    loss_kept = cross_entropy(logits[kept], labels[kept], reduction=reduction)
    grad_kept = cross_entropy_grad(logits[kept], labels[kept], reduction=reduction)
    assert_allclose(grad[kept], grad_kept, rtol=1e-15)
    if reduction == "none":
        assert_array_equal(loss[[1, 3]], 0.0)
        assert_allclose(loss[kept], loss_kept, rtol=1e-15)
    else:
        assert_allclose(loss, loss_kept, rtol=1e-15)


def test_minus_inf_non_target_logit_gives_finite_loss_and_finite_gradient():
    case = torch_case("edge/minus_inf_non_target_logit/reduction=none/float64")
    logits, labels = case.args
    assert_array_equal(logits, [[0.0, -np.inf, 1.0], [2.0, 0.5, -np.inf]])
    assert_array_equal(labels, [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, labels, reduction="none")
        grad = cross_entropy_grad(logits, labels, reduction="none")
    # reference: closed form log(1 + e), log(1 + e^{1.5}); torch agrees
    assert_allclose(loss, [np.log1p(np.e), np.log1p(np.exp(1.5))], rtol=1e-15)
    assert np.isfinite(grad).all()
    assert grad[0, 1] == 0.0 and grad[1, 2] == 0.0
    # reference: torch's autograd gradient (stored)
    assert_allclose(grad, case.expected["grad"], rtol=TORCH_RTOL, atol=TORCH_ATOL)


def test_zero_probability_class_with_minus_inf_logit_contributes_exactly_zero():
    # 0 · log 0 = 0: torch gives nan here; the spec asks for the limit value
    logits = np.array([[0.0, 0.0, -np.inf], [0.0, -np.inf, -np.inf]])
    y = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, y, reduction="none")
        grad = cross_entropy_grad(logits, y, reduction="none")
    # reference: closed form, -(0.5 log 0.5 + 0.5 log 0.5) = log 2 and -1·log 1 = 0
    assert_allclose(loss, [np.log(2.0), 0.0], rtol=1e-15, atol=0)
    assert_array_equal(grad, np.zeros((2, 3)))


INF, NAN = np.inf, np.nan
CE_NON_FINITE = {
    # (logits row, target, expected loss) -- the documented policy of cross_entropy
    "minus_inf_on_the_target_class": ([0.0, -INF, 1.0], 1, INF),
    "all_minus_inf": ([-INF, -INF, -INF], 0, NAN),
    "plus_inf_on_the_target": ([INF, 0.0, 0.0], 0, NAN),
    "plus_inf_elsewhere": ([INF, 0.0, 0.0], 1, NAN),
    "nan_logit": ([NAN, 0.0, 0.0], 1, NAN),
    "probs_all_minus_inf": ([-INF, -INF, -INF], [1.0, 0.0, 0.0], NAN),
    "probs_plus_inf": ([0.0, INF, 0.0], [0.5, 0.5, 0.0], NAN),
    "probs_zero_mass_on_minus_inf": ([2.0, -INF, 2.0], [0.5, 0.0, 0.5], np.log(2.0)),
}


@pytest.mark.parametrize("case", CE_NON_FINITE, ids=str)
def test_non_finite_logits_follow_the_documented_policy_row_by_row(rng, case):
    row, target, expected = CE_NON_FINITE[case]
    good = rng.standard_normal(3)
    logits = np.array([good, row, good])
    if np.ndim(target) == 0:
        targets = np.array([0, target, 2])
    else:
        targets = np.array([[1.0, 0.0, 0.0], target, [0.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, targets, reduction="none")
    assert_array_equal(loss[1], expected)
    # the other rows are untouched
    others = cross_entropy(logits[[0, 2]], targets[[0, 2]], reduction="none")
    assert_array_equal(loss[[0, 2]], others)


@pytest.mark.parametrize("case", torch_cases("edge/zero_total_weight/"), ids=str)
def test_zero_total_weight_mean_is_nan_with_the_torch_gradient(case):
    logits, labels = case.args
    assert case.kwargs["weight"][labels[0]] == 0 and "reduction" not in case.kwargs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(logits, labels, **case.kwargs)
        grad = cross_entropy_grad(logits, labels, **case.kwargs)
    # reference: torch -- nan loss; nan gradient on weighted-zero rows, 0 on ignored (stored)
    assert np.isnan(loss) and np.isnan(case.expected["value"])
    assert_array_equal(grad, case.expected["grad"])


def test_positive_probability_on_a_minus_inf_logit_gives_infinite_loss():
    # the true cross-entropy is +inf: the target puts mass on an impossible class
    logits = np.array([0.0, -np.inf])
    y = np.array([0.5, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cross_entropy(logits, y) == np.inf


# ------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_loss_and_gradient_keep_the_logits_dtype(dtype):
    logits = LOGITS.astype(dtype)
    for target in (LABELS, PROBS.astype(dtype)):
        assert cross_entropy(logits, target).dtype == dtype
        assert cross_entropy(logits, target, reduction="none").dtype == dtype
        assert cross_entropy_grad(logits, target).dtype == dtype


@pytest.mark.parametrize("label_dtype", [np.int8, np.uint8, np.int32, np.int64, np.uint64])
def test_any_integer_dtype_is_accepted_for_class_indices(label_dtype):
    expected = cross_entropy(LOGITS, LABELS)
    assert_array_equal(cross_entropy(LOGITS, LABELS.astype(label_dtype)), expected)


def test_integer_logits_promote_to_float64():
    logits = np.array([[1, 2, 3], [0, 0, 5]])
    loss = cross_entropy(logits, np.array([2, 0]))
    assert loss.dtype == np.float64
    assert_allclose(loss, cross_entropy(logits.astype(float), np.array([2, 0])), rtol=0)


def test_empty_batch_sums_to_zero_and_its_mean_is_nan():
    logits = np.zeros((0, K))
    labels = np.zeros(0, dtype=np.int64)
    assert cross_entropy(logits, labels, reduction="none").shape == (0,)
    assert cross_entropy(logits, labels, reduction="sum") == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the mean of an empty set, as in torch
        assert np.isnan(cross_entropy(logits, labels))
        assert cross_entropy_grad(logits, labels).shape == (0, K)


def test_probabilities_normalised_in_float32_are_accepted_as_float64_targets():
    z = np.random.default_rng(5).standard_normal((64, 1000)).astype(np.float32) * 3
    y32 = softmax(z)
    y64 = y32.astype(np.float64)
    assert np.abs(y64.sum(axis=-1) - 1).max() > 2e-8  # beyond sqrt(eps_float64): meaningful
    assert_allclose(cross_entropy(z, y64), cross_entropy(z, y32), rtol=1e-6)
    # float64 logits too: torch/JAX float32 softmax outputs converted with .double()
    assert np.isfinite(cross_entropy(z.astype(np.float64), y64))
    assert np.isfinite(cross_entropy_grad(z.astype(np.float64), y64)).all()


def test_probability_targets_that_are_counts_or_off_by_1e_3_are_still_rejected():
    for bad in ([[1.0, 2.0, 1.0]], [[0.2, 0.3, 0.501]]):
        with pytest.raises(ValueError, match="^target: .*sum to 1"):
            cross_entropy(np.zeros((1, 3)), np.array(bad))


def test_huge_finite_weights_give_the_exact_weighted_mean_without_warnings():
    # weight [1e308, 1], both targets class 0, zero logits: every loss is log 2,
    # the mean is log 2 and the mean's gradient is (p - y) / 2 = [-0.25, 0.25] per row
    z = np.zeros((2, 2))
    w = [1e308, 1.0]
    assert cross_entropy(z, [0, 0], weight=w) == np.log(2.0)
    assert_array_equal(cross_entropy_grad(z, [0, 0], weight=w), [[-0.25, 0.25]] * 2)
    assert cross_entropy(z.astype(np.float32), [0, 0], weight=[1e39, 1.0]) == np.float32(
        np.log(2.0)
    )
    # the sum is left unscaled: 2 * 1e308 * log 2 = 1.386e308 is still a float
    assert_allclose(cross_entropy(z, [0, 0], weight=w, reduction="sum"), np.log(2.0) * 1e308 * 2)


def test_weighted_mean_is_bit_identical_after_the_power_of_two_weight_scaling(rng):
    z = rng.standard_normal((7, 5))
    labels = rng.integers(0, 5, 7)
    w = rng.uniform(0.5, 3.0, 5)
    expected = cross_entropy(z, labels, weight=w, reduction="sum") / w[labels].sum()
    assert cross_entropy(z, labels, weight=w) == expected


def test_label_smoothing_accepts_a_0d_array():
    z = np.array([[2.0, 1.0, 0.1]])
    assert cross_entropy(z, [0], label_smoothing=np.array(0.1)) == cross_entropy(
        z, [0], label_smoothing=0.1
    )


def test_weight_zero_masked_class_adds_nothing_under_label_smoothing_in_both_target_forms():
    # A class with weight 0 and logit -inf contributes exactly 0 (0·log 0 = 0) in the smoothing
    # term too, so the index form agrees with the probability form. Reference: the same loss
    # with that class removed from the logits (weight 0 takes it out of every weighted sum),
    # closed form: (1 - eps) * 0 + eps/K * w_0 * (lse - z_0) = 0 for the one remaining class.
    logits = np.array([[0.0, -np.inf]])
    kwargs = dict(label_smoothing=0.1, weight=[1.0, 0.0], reduction="none")
    by_index = cross_entropy(logits, np.array([0]), **kwargs)
    by_probs = cross_entropy(logits, np.array([[1.0, 0.0]]), **kwargs)
    np.testing.assert_array_equal(by_index, [0.0])
    np.testing.assert_array_equal(by_probs, [0.0])
    grad = cross_entropy_grad(logits, np.array([0]), **kwargs)
    assert np.isfinite(grad).all()
