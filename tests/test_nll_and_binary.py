"""nll_loss and binary_cross_entropy_with_logits against torch.nn.functional (values
stored in tests/fixtures/torch/ by scripts/make_torch_fixtures.py, float32 and float64)
and mpmath."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import mp_binary_cross_entropy_with_logits
from _torch_fixtures import load_cases
from softmax_ce import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    log_softmax,
    nll_loss,
)

REDUCTIONS = ["none", "mean", "sum"]
K = 4
_data = np.random.default_rng(13)
LOG_PROBS = np.log(_data.dirichlet(np.ones(K), size=7))
LABELS = np.array([0, 3, 1, 1, 2, 0, 3])
LABELS_WITH_MINUS_100 = np.array([0, -100, 1, 1, -100, 0, 3])
WEIGHT = np.array([1.5, 0.5, 2.0, 0.75])

# reference: torch.nn.functional.nll_loss / binary_cross_entropy_with_logits, stored
NLL_CASES = load_cases("nll_loss")
BCE_CASES = load_cases("binary_cross_entropy_with_logits")
#: Agreement with torch: nll_loss is a weighted sum of its inputs (a few ulp either way).
#: In float32 every step rounds to float32 (eps 1.2e-7) in another order: largest stored
#: differences 1.2e-7 relative (nll_loss), 1.8e-7 relative and 6e-8 absolute (BCE).
NLL_TOLERANCE = {
    np.dtype(np.float64): {"rtol": 1e-14, "atol": 0},
    np.dtype(np.float32): {"rtol": 1e-6, "atol": 0},
}
#: float64: torch's BCE rounds max(z, 0) - z·t + log(1 + e^-|z|), an absolute error of a few
#: eps·|z| on a loss that can be far smaller (4.5e-12 relative at z = -8.6, seen on another
#: seeds); the package is exact to 1e-13 against mpmath (test below). On these inputs (the
#: live comparison's seed) the two agree to 4.5e-14.
BCE_TOLERANCE = {
    np.dtype(np.float64): {"rtol": 1e-13, "atol": 1e-16},
    np.dtype(np.float32): {"rtol": 1e-6, "atol": 1e-7},
}


def assert_matches_torch(function, case, tolerance):
    """``function(*args, **kwargs)`` gives torch's value, shape and dtype."""
    result = function(*case.args, **case.kwargs)
    expected = case.expected["value"]
    assert np.shape(result) == expected.shape
    assert np.asarray(result).dtype == expected.dtype
    assert_allclose(result, expected, **tolerance[expected.dtype])


@pytest.mark.parametrize("case", [c for c in NLL_CASES if c.id.startswith("NC/")], ids=str)
def test_nll_loss_matches_torch(case):
    # every combination of weight, ignore_index (-100 or a class) and reduction
    assert_matches_torch(nll_loss, case, NLL_TOLERANCE)


@pytest.mark.parametrize("case", [c for c in NLL_CASES if c.id.startswith("NCd_axis1/")], ids=str)
def test_nll_loss_with_class_axis_1_on_n_c_d_matches_torch(case):
    assert case.kwargs["axis"] == 1 and case.args[0].ndim == 3
    assert_matches_torch(nll_loss, case, NLL_TOLERANCE)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_of_log_softmax_is_cross_entropy(rng, reduction):
    logits = rng.standard_normal((6, K)) * 4
    labels = rng.integers(0, K, size=6)
    kwargs = {"weight": WEIGHT, "reduction": reduction}
    assert_allclose(
        nll_loss(log_softmax(logits), labels, **kwargs),
        cross_entropy(logits, labels, **kwargs),
        rtol=1e-14,
    )


@pytest.mark.parametrize("case", [c for c in NLL_CASES if c.id.startswith("edge/all_ignored/")],
                         ids=str)
def test_nll_loss_all_ignored_mean_is_nan_like_torch_without_warnings(case):
    log_probs, labels = case.args
    assert (labels == -100).all() and case.kwargs["reduction"] == "mean"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = nll_loss(log_probs, labels, **case.kwargs)
    # reference: torch gives nan (mean over an empty set), stored
    assert np.isnan(case.expected["value"])
    assert np.isnan(result)


def test_nll_loss_ignores_minus_inf_in_an_ignored_row():
    log_probs = LOG_PROBS.copy()
    log_probs[1] = -np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_row = nll_loss(log_probs, LABELS_WITH_MINUS_100, ignore_index=-100, reduction="none")
    assert per_row[1] == 0.0
    assert np.isfinite(per_row).all()


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_nll_loss_keeps_the_dtype(dtype):
    assert nll_loss(LOG_PROBS.astype(dtype), LABELS).dtype == dtype


# ------------------------------------------------------------------------ binary
@pytest.mark.parametrize("case", BCE_CASES, ids=str)
def test_binary_cross_entropy_with_logits_matches_torch_for_hard_and_soft_targets(case):
    # random logits (|z| up to ~20) and z = ±1e-3, ±40, ±100, with 0/1 and soft targets
    assert_matches_torch(binary_cross_entropy_with_logits, case, BCE_TOLERANCE)


BCE_EXTREMES = [
    -1e300, -1e17, -745.0, -40.0, -1.0, -1e-10, 0.0, 1e-10, 1.0, 40.0, 745.0, 1e17, 1e300,
]


@pytest.mark.parametrize("target", [0.0, 1.0, 0.5, 0.25])
def test_binary_cross_entropy_with_logits_is_exact_up_to_abs_logit_1e300(target):
    logits = np.array(BCE_EXTREMES)
    targets = np.full_like(logits, target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = binary_cross_entropy_with_logits(logits, targets, reduction="none")
    # reference: mpmath at 60 digits of t·log(1+e^{-z}) + (1-t)·log(1+e^{z})
    expected = [mp_binary_cross_entropy_with_logits(z, target) for z in BCE_EXTREMES]
    if target in (0.0, 1.0):
        assert_allclose(result, expected, rtol=1e-13, atol=0)
    else:
        # soft targets: max(z,0) − z·t cancels for large |z|; the error stays at the ulp of
        # the terms, |z|·eps, which is exact in relative terms for |z| ≥ 1
        assert_allclose(result, expected, rtol=1e-13, atol=1e-15)


def test_binary_cross_entropy_at_1e300_is_exactly_0_or_1e300():
    logits = np.array([1e300, -1e300, 1e300, -1e300])
    targets = np.array([1.0, 0.0, 0.0, 1.0])
    result = binary_cross_entropy_with_logits(logits, targets, reduction="none")
    # reference: log(1 + e^{-1e300}) = 0 to every digit; log(1 + e^{1e300}) = 1e300
    assert_array_equal(result, [0.0, 0.0, 1e300, 1e300])


def test_mean_of_huge_finite_losses_is_their_mean_not_inf():
    # four losses of 1e308 each: their sum overflows float64, their mean does not
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = binary_cross_entropy_with_logits(np.full(4, -1e308), np.ones(4))
        nll = nll_loss(np.tile([0.0, -1e308], (4, 1)), np.ones(4, dtype=np.int64))
    assert bce == 1e308
    assert nll == 1e308


def test_binary_cross_entropy_keeps_tiny_losses_relative_precision():
    # log1p(exp(-40)) = 4.248354255291589e-18, not 0
    result = binary_cross_entropy_with_logits(np.array([40.0]), np.array([1.0]), reduction="sum")
    assert_allclose(result, np.log1p(np.exp(-40.0)), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_binary_cross_entropy_keeps_the_dtype(dtype):
    z = np.array([1.0, -2.0, 3.0], dtype=dtype)
    y = np.array([1.0, 0.0, 0.5], dtype=dtype)
    assert binary_cross_entropy_with_logits(z, y).dtype == dtype
    assert binary_cross_entropy_with_logits(z, y, reduction="none").dtype == dtype


def test_binary_cross_entropy_with_logits_is_two_class_cross_entropy(rng):
    z = rng.standard_normal(8) * 3
    y = rng.integers(0, 2, size=8)
    two_class = np.stack([np.zeros_like(z), z], axis=-1)  # softmax([0, z]) = [1-σ(z), σ(z)]
    assert_allclose(
        binary_cross_entropy_with_logits(z, y.astype(float), reduction="none"),
        cross_entropy(two_class, y, reduction="none"),
        rtol=1e-13,
        atol=1e-16,
    )


def test_nll_loss_with_huge_finite_weights_is_the_exact_weighted_mean():
    import warnings as _w

    with _w.catch_warnings():
        _w.simplefilter("error")
        assert nll_loss(np.full((2, 2), -1.0), [0, 0], weight=[1e308, 1.0]) == 1.0
