"""nll_loss and binary_cross_entropy_with_logits against torch.nn.functional
(PyTorch 2.13 CPU, float64) and mpmath."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import (
    mp_binary_cross_entropy_with_logits,
    torch_binary_cross_entropy_with_logits,
    torch_nll_loss,
)
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

NLL_CONFIGS = {
    "plain": (LABELS, {}),
    "weight": (LABELS, {"weight": WEIGHT}),
    "ignore_index_minus_100": (LABELS_WITH_MINUS_100, {"ignore_index": -100}),
    "ignore_index_in_range_1": (LABELS, {"ignore_index": 1}),
    "weight+ignore_index": (LABELS_WITH_MINUS_100, {"weight": WEIGHT, "ignore_index": -100}),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("config", NLL_CONFIGS, ids=str)
def test_nll_loss_matches_torch(config, reduction):
    target, kwargs = NLL_CONFIGS[config]
    # reference: torch 2.13 F.nll_loss in float64
    expected = torch_nll_loss(LOG_PROBS, target, reduction=reduction, **kwargs)
    result = nll_loss(LOG_PROBS, target, reduction=reduction, **kwargs)
    assert np.shape(result) == expected.shape
    assert_allclose(result, expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_with_class_axis_1_on_n_c_d_matches_torch(rng, reduction):
    log_probs = log_softmax(rng.standard_normal((3, K, 5)), axis=1)
    labels = rng.integers(0, K, size=(3, 5))
    # reference: torch 2.13 F.nll_loss, (N, C, d) layout, float64
    expected = torch_nll_loss(log_probs, labels, axis=1, weight=WEIGHT, reduction=reduction)
    result = nll_loss(log_probs, labels, axis=1, weight=WEIGHT, reduction=reduction)
    assert_allclose(result, expected, rtol=1e-14, atol=0)


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


def test_nll_loss_all_ignored_mean_is_nan_like_torch_without_warnings():
    labels = np.full(LABELS.shape, -100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = nll_loss(LOG_PROBS, labels, ignore_index=-100)
    # reference: torch 2.13 gives nan (mean over an empty set)
    assert np.isnan(torch_nll_loss(LOG_PROBS, labels, ignore_index=-100))
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
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_matches_torch_for_hard_and_soft_targets(
    rng, reduction
):
    logits = rng.standard_normal((5, 3)) * 6
    targets = np.concatenate([rng.integers(0, 2, size=(2, 3)), rng.uniform(size=(3, 3))])
    # reference: torch 2.13 F.binary_cross_entropy_with_logits in float64
    expected = torch_binary_cross_entropy_with_logits(logits, targets, reduction=reduction)
    result = binary_cross_entropy_with_logits(logits, targets, reduction=reduction)
    assert np.shape(result) == expected.shape
    assert_allclose(result, expected, rtol=1e-13, atol=1e-16)


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
