"""Chapter 1 (Softmax): the entropy-temperature derivation of ``softmax_ce.symbolic.temperature``
tied to mpmath and to the NumPy package."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import softmax_ce as sce
from softmax_ce.symbolic import lambdify_rows
from softmax_ce.symbolic.temperature import derive_entropy_temperature_derivative

CLASS_COUNTS = [2, 3, 4, 5]


def _mp_entropy(z: np.ndarray, T: mpmath.mpf) -> mpmath.mpf:
    """Entropy (nats) of softmax(z / T), evaluated in mpmath at the current precision."""
    weights = [mpmath.exp(mpmath.mpf(float(zk)) / T) for zk in z]
    total = mpmath.fsum(weights)
    return -mpmath.fsum(w / total * mpmath.log(w / total) for w in weights)


@pytest.mark.claim("ch1.temperature-entropy-derivative")
@pytest.mark.parametrize("K", CLASS_COUNTS)
def test_entropy_derivative_in_temperature_matches_mpmath(K: int) -> None:
    d = derive_entropy_temperature_derivative(K)
    formula = lambdify_rows(d.variance / d.T**3, (d.z, d.T))
    rng = np.random.default_rng(100 + K)
    z = rng.normal(0.0, 2.0, size=(10, K))
    temperatures = rng.uniform(0.2, 5.0, size=10)
    with mpmath.workdps(40):
        # mpmath.diff: a high-precision numerical derivative, independent of SymPy and NumPy
        reference = [float(mpmath.diff(lambda t, zr=zr: _mp_entropy(zr, t), mpmath.mpf(float(t))))
                     for zr, t in zip(z, temperatures)]
    np.testing.assert_allclose(formula(z, temperatures), reference, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("K", CLASS_COUNTS)
def test_entropy_derivative_vanishes_for_equal_logits(K: int) -> None:
    d = derive_entropy_temperature_derivative(K)
    c = sp.Symbol("c", real=True)
    equal = {zk: c for zk in d.z}
    assert sp.simplify(d.derivative.xreplace(equal)) == 0
    assert sp.simplify(d.variance.xreplace(equal)) == 0


def test_package_entropy_increases_strictly_with_temperature() -> None:
    rng = np.random.default_rng(7)
    temperatures = np.geomspace(0.05, 50.0, 200)
    for z in rng.normal(0.0, 2.0, size=(20, 6)):
        entropies = np.array([sce.entropy(sce.softmax(z, temperature=t)) for t in temperatures])
        assert np.all(np.diff(entropies) > 0)
        assert entropies[-1] < np.log(6)


@pytest.mark.parametrize("K", [1, 0, -3, 2.0, True])
def test_rejects_class_counts_below_two(K: object) -> None:
    with pytest.raises(ValueError, match="K"):
        derive_entropy_temperature_derivative(K)  # type: ignore[arg-type]
