"""Chapter 2 (对数似然): the SymPy derivations of ``softmax_ce.symbolic.likelihood`` tied to the
NumPy package and to mpmath, and the chapter's claims that are better checked by a test."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import softmax_ce as sce
from softmax_ce_book import naive
from softmax_ce.symbolic import lambdify_rows
from softmax_ce.symbolic.likelihood import (
    derive_bernoulli_likelihood,
    derive_log_likelihood_gradient,
    derive_one_hot_loss,
    derive_product_to_sum,
    derive_soft_label_minimum,
)

from _oracles import finite_difference_gradient, mp_log_softmax

CLASS_COUNTS = [2, 3, 4, 5, 6]


@pytest.mark.claim("ch2.log-turns-product-into-sum")
def test_log_of_product_is_sum_of_logs_for_symbolic_n() -> None:
    result = derive_product_to_sum()
    assert sp.expand_log(result.log_product, force=True) == result.sum_of_logs
    assert result.log_derivative.is_positive
    # and numerically, on positive numbers whose float64 product is still representable
    values = np.random.default_rng(0).uniform(0.1, 1.0, size=50)
    assert np.isclose(np.log(np.prod(values)), np.sum(np.log(values)), rtol=1e-13)


@pytest.mark.claim("ch2.bernoulli-likelihood")
def test_bernoulli_negative_log_pmf_is_binary_cross_entropy(rng: np.random.Generator) -> None:
    r = derive_bernoulli_likelihood()
    logits = rng.normal(0.0, 4.0, size=200)
    labels = rng.integers(0, 2, size=200).astype(np.float64)
    neg_log_pmf = sp.lambdify((r.p, r.y), -r.log_pmf, "numpy")
    expected = neg_log_pmf(1.0 / (1.0 + np.exp(-logits)), labels)
    actual = sce.binary_cross_entropy_with_logits(logits, labels, reduction="none")
    np.testing.assert_allclose(actual, expected, rtol=1e-10)


@pytest.mark.claim("ch2.one-hot-picks-true-class")
@pytest.mark.parametrize("num_classes", CLASS_COUNTS)
def test_one_hot_loss_equals_cross_entropy_and_mpmath(num_classes: int, rng: np.random.Generator) -> None:
    r = derive_one_hot_loss(num_classes)
    z = rng.normal(0.0, 3.0, size=(32, num_classes))
    # mpmath reference (60 digits): -log_softmax(z)_c
    reference = -mp_log_softmax(z)
    for c in range(num_classes):
        np.testing.assert_allclose(-sce.log_softmax(z)[:, c], reference[:, c], rtol=1e-13)
        # relative accuracy even for tiny losses: (max z - z_c) + log1p(t), nothing cancels
        package = sce.cross_entropy(z, np.full(32, c), reduction="none")
        np.testing.assert_allclose(package, reference[:, c], rtol=1e-13)
        # the literal symbolic formulas lose a few digits when p_c is near 1
        np.testing.assert_allclose(lambdify_rows(r.gap_forms[c], r.logits)(z), reference[:, c], rtol=1e-9)
        general = lambdify_rows(r.loss, (r.logits, r.labels))
        np.testing.assert_allclose(general(z, sce.one_hot(np.full(32, c), num_classes)), reference[:, c], rtol=1e-9)


@pytest.mark.claim("ch2.zero-loss-not-attained")
@pytest.mark.parametrize("num_classes", CLASS_COUNTS)
def test_hard_label_loss_is_positive_for_finite_logits(num_classes: int, rng: np.random.Generator) -> None:
    r = derive_one_hot_loss(num_classes)
    assert all(gap.is_positive is True for gap in r.gap_forms)
    # a large but finite lead of the true class: the exact loss (mpmath) is still > 0
    lead = 30.0
    z = np.zeros(num_classes)
    z[0] = lead
    exact = mpmath.log1p((num_classes - 1) * mpmath.exp(-lead))
    assert exact > 0
    assert sce.cross_entropy(z, 0) == pytest.approx(float(exact), rel=1e-13)


@pytest.mark.claim("ch2.source-gradient-sign")
@pytest.mark.parametrize("num_classes", CLASS_COUNTS)
def test_log_likelihood_gradient_is_y_minus_p(num_classes: int, rng: np.random.Generator) -> None:
    r = derive_log_likelihood_gradient(num_classes)
    z = rng.normal(0.0, 2.0, size=num_classes)
    y = sce.one_hot(int(rng.integers(num_classes)), num_classes)
    p = sce.softmax(z)
    fd = finite_difference_gradient(lambda v: float(np.sum(y * sce.log_softmax(v))), z)
    np.testing.assert_allclose(fd, y - p, atol=1e-8)
    np.testing.assert_allclose(lambdify_rows(r.gradient, (r.logits, r.labels))(z, y), y - p, atol=1e-14)
    assert not np.allclose(fd, p - y, atol=1e-3)


@pytest.mark.claim("ch2.gradient-needs-sum-one")
@pytest.mark.parametrize("num_classes", CLASS_COUNTS)
def test_loss_gradient_is_total_times_p_minus_y(num_classes: int, rng: np.random.Generator) -> None:
    r = derive_log_likelihood_gradient(num_classes)
    z = rng.normal(0.0, 2.0, size=num_classes)
    y = rng.uniform(0.0, 2.0, size=num_classes)  # not a distribution
    p = sce.softmax(z)
    fd = finite_difference_gradient(lambda v: float(-np.sum(y * sce.log_softmax(v))), z)
    np.testing.assert_allclose(fd, y.sum() * p - y, atol=1e-8)
    np.testing.assert_allclose(-lambdify_rows(r.gradient, (r.logits, r.labels))(z, y), y.sum() * p - y, atol=1e-13)
    # with a distribution, the package's gradient is p - y
    y_dist = y / y.sum()
    np.testing.assert_allclose(sce.cross_entropy_grad(z, y_dist, reduction="sum"), p - y_dist, atol=1e-15)
    loss_grad = lambdify_rows(r.loss_gradient_normalized, (r.logits, r.labels))(z, y_dist)
    np.testing.assert_allclose(loss_grad, p - y_dist, atol=1e-13)


@pytest.mark.parametrize("num_classes", [2, 3, 4])
def test_soft_label_minimum_is_entropy_attained_at_log_y(num_classes: int, rng: np.random.Generator) -> None:
    r = derive_soft_label_minimum(num_classes)
    assert r.hessian.is_positive_definite
    y = rng.dirichlet(np.ones(num_classes))
    minimum = float(r.minimum.subs(dict(zip(r.labels, y))))
    assert sce.entropy(y) == pytest.approx(minimum, rel=1e-13)
    assert sce.cross_entropy(np.log(y), y) == pytest.approx(minimum, rel=1e-13)
    # any other prediction is worse
    others = sce.cross_entropy(rng.normal(0.0, 1.0, size=(100, num_classes)), np.broadcast_to(y, (100, num_classes)), reduction="none")
    assert np.all(others > minimum)


@pytest.mark.claim("ch2.recipe-clip-caps-loss")
def test_epsilon_clip_caps_the_loss() -> None:
    z = np.array([[0.0, 50.0]])
    y = sce.one_hot(np.array([0]), 2)
    capped = naive.stable_cross_entropy(y, naive.stable_softmax(z))
    assert capped == pytest.approx(-np.log(1e-15), rel=1e-12)
    # exact loss (mpmath): log(1 + e^50)
    exact = float(mpmath.log1p(mpmath.exp(50)))
    assert sce.cross_entropy(z, np.array([0])) == pytest.approx(exact, rel=1e-15)
    assert exact - capped > 15


@pytest.mark.claim("ch2.recipe-clip-zero-gradient")
def test_epsilon_clip_has_zero_gradient_below_epsilon() -> None:
    z = np.array([0.0, 50.0])
    y = sce.one_hot(np.array([0]), 2)
    fd = finite_difference_gradient(
        lambda v: float(naive.stable_cross_entropy(y, naive.stable_softmax(v.reshape(1, 2)))), z
    )
    assert np.all(fd == 0.0)
    np.testing.assert_allclose(sce.cross_entropy_grad(z, 0), [-1.0, 1.0], atol=1e-15)


@pytest.mark.parametrize("bad", [1, 0, -3, 2.0, True])
def test_derivations_reject_bad_class_counts(bad: object) -> None:
    for derive in (derive_one_hot_loss, derive_log_likelihood_gradient, derive_soft_label_minimum):
        with pytest.raises(ValueError, match="num_classes"):
            derive(bad)  # type: ignore[arg-type]
