"""Chapter 3 (交叉熵损失): the SymPy results of :mod:`softmax_ce.symbolic.ce_properties`
tied to the NumPy package on seeded inputs, for several numbers of classes.

Reference values come from SymPy (through ``sympy.lambdify`` / :func:`lambdify_rows`); the
numerical side is the package. Each test is the (second) check of a ledger claim of chapter 3.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from softmax_ce import cross_entropy, cross_entropy_grad, entropy, one_hot, softmax
from softmax_ce.squared_error import squared_error, squared_error_grad
from softmax_ce.symbolic import lambdify_rows
from softmax_ce.symbolic.ce_properties import (
    derive_brier_decomposition,
    derive_hard_label_path,
    derive_label_smoothing_optimum,
    derive_squared_error_gradients,
    derive_weighted_constant_optimum,
)


@pytest.mark.claim("ch3.minimisers")
@pytest.mark.parametrize("K", [2, 3, 5, 10])
def test_hard_label_path_is_strictly_decreasing_and_matches_package(K: int) -> None:
    path = derive_hard_label_path()
    t = np.linspace(-5.0, 30.0, 141)
    # reference: the SymPy closed form evaluated with 40 significant digits (a plain lambdify
    # would compute log(1 + tiny) in float64 and lose the relative precision for large t)
    reference = np.array([float(path.closed_form.subs({path.K: K, path.t: sp.Float(tv, 40)}).evalf(40))
                          for tv in t])
    z = np.zeros((t.size, K))
    z[:, 0] = t
    loss = cross_entropy(z, np.zeros(t.size, dtype=np.int64), reduction="none")
    np.testing.assert_allclose(loss, reference, rtol=1e-13)
    assert np.all(np.diff(loss) < 0) and np.all(loss > 0)
    grad = cross_entropy_grad(z, np.zeros(t.size, dtype=np.int64), reduction="none")
    assert np.all(np.abs(grad).max(axis=1) > 0)


@pytest.mark.claim("ch3.label-smoothing-optimum")
@pytest.mark.parametrize("K", [2, 3, 6])
@pytest.mark.parametrize("eps", [0.05, 0.3])
def test_label_smoothing_minimiser_is_the_derived_gap(K: int, eps: float) -> None:
    ls = derive_label_smoothing_optimum()
    gap = float(ls.gap.subs({ls.K: K, ls.eps: sp.Rational(eps).limit_denominator(1000)}))  # SymPy
    minimum = float(ls.entropy.subs({ls.K: K, ls.eps: sp.Rational(eps).limit_denominator(1000)}))
    z = np.zeros(K)
    for _ in range(6000):
        z = z - 2.0 * cross_entropy_grad(z, 1 % K, label_smoothing=eps)
    c = 1 % K
    others = np.delete(z, c)
    np.testing.assert_allclose(z[c] - others, gap, rtol=1e-9)
    np.testing.assert_allclose(cross_entropy(z, c, label_smoothing=eps), minimum, rtol=1e-12)
    smoothed = (1 - eps) * one_hot(c, K) + eps / K
    np.testing.assert_allclose(minimum, entropy(smoothed), rtol=1e-13)
    assert minimum > 0


@pytest.mark.claim("ch3.class-weight-optimum")
@pytest.mark.parametrize("K", [2, 3, 4])
def test_weighted_constant_predictor_optimum(K: int, rng: np.random.Generator) -> None:
    opt = derive_weighted_constant_optimum(K)
    q_of = lambdify_rows(opt.q, (opt.n, opt.w))  # SymPy
    counts = rng.integers(5, 60, size=K)
    weight = rng.uniform(0.2, 5.0, size=K)
    labels = np.repeat(np.arange(K), counts)
    b = np.zeros(K)
    for _ in range(4000):
        b = b - 1.0 * cross_entropy_grad(np.broadcast_to(b, (labels.size, K)), labels, weight=weight).sum(0)
    np.testing.assert_allclose(softmax(b), q_of(counts, weight), atol=1e-10)
    # not the class frequencies, unless the weights are equal
    assert not np.allclose(softmax(b), counts / counts.sum(), atol=1e-3)


@pytest.mark.claim("ch3.table-gradient")
@pytest.mark.parametrize("K", [2, 3, 4])
def test_squared_error_gradient_matches_package(K: int, rng: np.random.Generator) -> None:
    der = derive_squared_error_gradients(K)
    grad_of = lambdify_rows(der.se_grad_softmax, (der.logits, der.target))  # SymPy
    z = rng.normal(scale=2.0, size=(7, K))
    y = rng.dirichlet(np.ones(K), size=7)
    np.testing.assert_allclose(grad_of(z, y), squared_error_grad(z, y, reduction="none"),
                               rtol=1e-10, atol=1e-14)
    # confidently wrong: the squared-error gradient vanishes, the cross-entropy one does not
    wrong = np.zeros(K)
    wrong[1] = 15.0
    assert np.abs(squared_error_grad(wrong, 0)).max() < 1e-5
    assert cross_entropy_grad(wrong, 0)[0] < -0.999


@pytest.mark.claim("ch3.table-probability")
@pytest.mark.parametrize("K", [2, 3, 5])
def test_brier_score_is_minimised_at_the_true_distribution(K: int, rng: np.random.Generator) -> None:
    brier = derive_brier_decomposition(K)
    closed = lambdify_rows(brier.decomposition, (brier.y, brier.p))  # SymPy
    y = rng.dirichlet(np.ones(K))
    z = rng.normal(size=(9, K))
    expected = sum(y[c] * squared_error(z, np.full(9, c), reduction="none") for c in range(K))
    np.testing.assert_allclose(expected, closed(y, softmax(z)), rtol=1e-12)
    at_truth = closed(y, y)
    assert np.all(expected > at_truth)


@pytest.mark.parametrize(
    "derive", [derive_weighted_constant_optimum, derive_squared_error_gradients, derive_brier_decomposition]
)
def test_derivations_reject_fewer_than_two_classes(derive) -> None:
    with pytest.raises(ValueError, match="K"):
        derive(1)
