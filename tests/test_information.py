"""entropy and kl_divergence against scipy.stats.entropy and mpmath, with 0·log 0 = 0."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import mp_entropy
from softmax_ce import cross_entropy, entropy, kl_divergence, softmax

_data = np.random.default_rng(17)
P = _data.dirichlet(np.ones(6), size=5)
Q = _data.dirichlet(np.ones(6), size=5)
P[2] = [0.0, 0.5, 0.0, 0.25, 0.25, 0.0]  # zero-probability classes


@pytest.mark.parametrize("base", [None, 2, 10, np.e])
def test_entropy_matches_scipy_stats_entropy(base):
    # reference: scipy.stats.entropy (1.17), row by row
    expected = scipy.stats.entropy(P, base=base, axis=-1)
    assert_allclose(entropy(P, base=base), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("base", [None, 2, 10])
def test_kl_divergence_matches_scipy_stats_entropy_of_p_and_q(base):
    # reference: scipy.stats.entropy(p, q) = D_KL(p‖q), row by row
    expected = scipy.stats.entropy(P, Q, base=base, axis=-1)
    assert_allclose(kl_divergence(P, Q, base=base), expected, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_entropy_and_kl_along_any_axis_match_scipy(axis):
    p = P.T if axis == 0 else P
    q = Q.T if axis == 0 else Q
    assert_allclose(entropy(p, axis=axis), scipy.stats.entropy(p, axis=axis), rtol=1e-14)
    assert_allclose(
        kl_divergence(p, q, axis=axis), scipy.stats.entropy(p, q, axis=axis), rtol=1e-13
    )


def test_entropy_matches_mpmath_for_tiny_probabilities():
    p = np.array([1.0 - 3e-12, 1e-12, 1e-12, 1e-12])
    # reference: mpmath at 60 digits of -Σ p log p on the float values of p
    assert_allclose(entropy(p), mp_entropy(p), rtol=1e-13)


def test_zero_times_log_zero_is_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert entropy(np.array([1.0, 0.0, 0.0])) == 0.0
        assert_allclose(entropy(np.array([0.5, 0.0, 0.5])), np.log(2.0), rtol=1e-15)
        # classes with p = 0 contribute 0 to the KL even where q = 0 as well
        kl = kl_divergence(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0]))
    assert_allclose(kl, 0.5 * np.log(2.0) + 0.5 * np.log(0.5 / 0.75), rtol=1e-14)


def test_kl_is_infinite_where_q_is_zero_and_p_is_not():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kl = kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    # reference: scipy.stats.entropy([0.5, 0.5], [1, 0]) = inf
    assert kl == np.inf == scipy.stats.entropy([0.5, 0.5], [1.0, 0.0])


def test_kl_of_a_distribution_with_itself_is_exactly_zero():
    assert_array_equal(kl_divergence(P, P), np.zeros(5))


def test_entropy_of_uniform_is_log_k_and_bits_divide_by_log_2():
    # reference: closed form, H(uniform on K) = log K nats = log2 K bits
    for k in (1, 2, 8, 1000):
        u = np.full(k, 1.0 / k)
        assert_allclose(entropy(u), np.log(k), rtol=1e-13, atol=1e-16)
    assert_allclose(entropy(np.full(8, 0.125), base=2), 3.0, rtol=1e-15)
    assert_allclose(entropy(P, base=2), entropy(P) / np.log(2.0), rtol=1e-15)


def test_cross_entropy_is_entropy_plus_kl(rng):
    logits = rng.standard_normal((5, 6)) * 2
    loss = cross_entropy(logits, P, reduction="none")
    assert_allclose(loss, entropy(P) + kl_divergence(P, softmax(logits)), rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_entropy_and_kl_keep_the_dtype(dtype):
    assert entropy(P.astype(dtype)).dtype == dtype
    assert kl_divergence(P.astype(dtype), Q.astype(dtype)).dtype == dtype


def test_entropy_and_kl_shapes_drop_the_axis():
    p3 = np.stack([P, Q])  # (2, 5, 6)
    assert entropy(p3).shape == (2, 5)
    assert entropy(np.moveaxis(p3, -1, 1), axis=1).shape == (2, 5)
    assert kl_divergence(p3, p3[::-1]).shape == (2, 5)


def _float32_normalised_in_float64(shape: tuple[int, int], seed: int) -> np.ndarray:
    """Probabilities normalised in float32 (as torch/JAX produce them), then widened."""
    z = np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * 3
    y = softmax(z).astype(np.float64)
    # the test is only meaningful if some row is off by more than sqrt(eps_float64) = 1.5e-8
    assert np.abs(y.sum(axis=-1) - 1).max() > 2e-8
    return y


def test_entropy_and_kl_accept_float32_normalised_probabilities_widened_to_float64():
    y = _float32_normalised_in_float64((64, 1000), seed=3)
    assert_allclose(entropy(y), scipy.stats.entropy(y, axis=-1), rtol=1e-6)
    q = _float32_normalised_in_float64((64, 1000), seed=4)
    assert_allclose(kl_divergence(y, q), scipy.stats.entropy(y, q, axis=-1), rtol=1e-5)


@pytest.mark.parametrize(
    "bad",
    [[0.2, 0.3, 0.5 + 1e-3], [10.0, 20.0, 70.0], [1.0, 2.0, 1.0], [0.5, -0.5, 1.0]],
    ids=["off_by_1e-3", "percentages", "counts", "logits"],
)
def test_float64_tolerance_still_catches_unnormalised_input(bad):
    with pytest.raises(ValueError, match="^p: "):
        entropy(np.array(bad))


def test_entropy_of_a_certain_outcome_is_plus_zero_not_minus_zero():
    assert np.signbit(entropy([1.0, 0.0])) == False  # noqa: E712
    assert not np.signbit(entropy(np.array([[1.0, 0.0], [0.0, 1.0]]))).any()
    assert not np.signbit(entropy(np.array([1.0, 0.0], np.float32)))


def test_entropy_and_kl_of_one_distribution_return_a_numpy_scalar_as_documented():
    assert isinstance(entropy([0.5, 0.5]), np.float64)
    assert isinstance(kl_divergence([0.5, 0.5], [0.9, 0.1]), np.float64)
    assert isinstance(entropy(np.full((2, 2), 0.5)), np.ndarray)


def test_entropy_of_nan_raises():
    with pytest.raises(ValueError, match="^p: .*nan"):
        entropy([np.nan, 0.5])
