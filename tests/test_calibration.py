"""softmax_ce.calibration against independent computations.

* ECE: its definition (Guo et al. 2017), evaluated by a plain Python loop over samples.
* Reliability bins: ``np.histogram`` of the negated confidences (left-closed bins of ``-c``
  are right-closed bins of ``c``).
* Temperature: ``scipy.optimize.minimize_scalar`` (bounded) on the mean NLL computed with
  ``scipy.special.log_softmax``; the closed-form derivative ``d/dT`` is checked in SymPy.

Bad-input rows are in tests/test_bad_input.py, no-mutation and no-warning rows in
tests/test_no_mutation_no_warnings.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import sympy as sp
from numpy.testing import assert_allclose, assert_array_equal

from softmax_ce import cross_entropy, softmax
from softmax_ce.calibration import (
    ReliabilityBins,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
)


def _model(seed: int, n: int, k: int, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """Seeded logits (N, K) in ``dtype`` with labels that agree with them more often than not."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    logits = rng.standard_normal((n, k)) * 3
    logits[np.arange(n), labels] += 2.0
    return logits.astype(dtype), labels


# ----------------------------------------------------------------- ECE and reliability bins


def _ece_by_definition(probs: np.ndarray, labels: np.ndarray, n_bins: int) -> float:
    """ECE = sum_b |B_b|/n |acc(B_b) - conf(B_b)|, bins (b/M, (b+1)/M], one sample at a time."""
    in_bin: list[list[tuple[bool, float]]] = [[] for _ in range(n_bins)]
    for row, label in zip(probs.tolist(), labels.tolist()):
        confidence = max(row)
        predicted = row.index(confidence)  # the first maximum, as numpy.argmax
        for b in range(n_bins):
            if b / n_bins < confidence <= (b + 1) / n_bins:
                in_bin[b].append((predicted == label, confidence))
    n = len(probs)
    assert sum(len(members) for members in in_bin) == n  # every sample in exactly one bin
    ece = 0.0
    for members in in_bin:
        if members:
            accuracy = sum(hit for hit, _ in members) / len(members)
            confidence = sum(c for _, c in members) / len(members)
            ece += len(members) / n * abs(accuracy - confidence)
    return ece


def _probabilities(seed: int, n: int, k: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    logits, labels = _model(seed, n, k)
    return softmax(logits / 2.5).astype(dtype), labels


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("n_bins", [1, 7, 15, 100])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ece_equals_its_definition_evaluated_sample_by_sample(seed, n_bins, dtype):
    probs, labels = _probabilities(seed, 300, 5, dtype)
    expected = _ece_by_definition(probs, labels, n_bins)
    assert_allclose(expected_calibration_error(probs, labels, n_bins=n_bins), expected, rtol=1e-12)


def test_ece_on_confidences_exactly_on_the_bin_edges_uses_right_closed_bins():
    # max probabilities 0.4, 0.5, ..., 1.0: each exactly the edge b/10 (correctly rounded)
    top = np.arange(4, 11) / 10
    probs = np.column_stack([top, (1 - top) / 2, (1 - top) / 2])
    labels = np.array([0, 1, 0, 1, 0, 1, 0])
    expected = _ece_by_definition(probs, labels, 10)
    assert_allclose(expected_calibration_error(probs, labels, n_bins=10), expected, rtol=1e-15)
    # right-closed: the confidence b/10 is counted in bin b - 1, the one ending at it
    count = reliability_bins(probs, labels, n_bins=10).count
    assert_array_equal(count, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1])


def test_ece_known_values():
    certain = np.eye(3)
    assert expected_calibration_error(certain, [0, 1, 2]) == 0.0  # sure and right
    assert expected_calibration_error(certain, [1, 2, 0]) == 1.0  # sure and wrong
    # two bins: (0.5, 1]: confidences 0.9 and 0.6, one right -> |0.5 - 0.75| * 2/2
    assert_allclose(expected_calibration_error([[0.9, 0.1], [0.4, 0.6]], [1, 1], n_bins=2), 0.25)


def _bins_by_histogram(probs: np.ndarray, labels: np.ndarray, n_bins: int):
    """Per-bin count, accuracy, confidence from np.histogram of -c (bins [-1, -(M-1)/M), ...,
    [-1/M, 0], i.e. c in ((M-1)/M, 1], ..., [0, 1/M]), reversed into increasing order."""
    confidence = probs.max(axis=1).astype(np.float64)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    reversed_edges = -(np.arange(n_bins + 1) / n_bins)[::-1]
    count = np.histogram(-confidence, bins=reversed_edges)[0][::-1]
    hits = np.histogram(-confidence, bins=reversed_edges, weights=correct)[0][::-1]
    total = np.histogram(-confidence, bins=reversed_edges, weights=confidence)[0][::-1]
    with np.errstate(invalid="ignore"):  # 0/0 in empty bins: nan
        return count, hits / count, total / count


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n_bins", [3, 15, 40])
def test_reliability_bins_match_a_histogram_of_the_confidences(n_bins, dtype):
    probs, labels = _probabilities(7, 500, 4, dtype)
    probs[:20] = np.eye(4, dtype=dtype)[labels[:20]]  # confidence exactly 1: the last bin
    bins = reliability_bins(probs, labels, n_bins=n_bins)
    count, accuracy, confidence = _bins_by_histogram(probs, labels, n_bins)
    assert isinstance(bins, ReliabilityBins)
    assert bins.edges.tolist() == [b / n_bins for b in range(n_bins + 1)]  # correctly rounded
    assert bins.count.dtype == np.int64 and bins.count.sum() == len(probs)
    assert_array_equal(bins.count, count)
    assert_allclose(bins.accuracy, accuracy, rtol=1e-12)  # nan in the same (empty) bins
    assert_allclose(bins.confidence, confidence, rtol=1e-12)  # sums in another order
    if n_bins == 40:  # some bins are empty, and were checked as nan above
        assert (bins.count == 0).any() and np.isnan(bins.accuracy[bins.count == 0]).all()
    # the ECE is the count-weighted gap of the bins
    nonempty = bins.count > 0
    gap = np.abs(bins.accuracy - bins.confidence)[nonempty]
    assert_allclose(
        expected_calibration_error(probs, labels, n_bins=n_bins),
        (bins.count[nonempty] * gap).sum() / len(probs),
        rtol=1e-12,
    )


def test_empty_bins_are_nan_and_no_samples_give_an_all_empty_result_and_nan_ece():
    bins = reliability_bins([[0.95, 0.05]], [0], n_bins=4)  # pytest turns warnings into errors
    assert_array_equal(bins.count, [0, 0, 0, 1])
    assert np.isnan(bins.accuracy[:3]).all() and np.isnan(bins.confidence[:3]).all()
    empty = reliability_bins(np.zeros((0, 3)), np.zeros(0, dtype=int), n_bins=3)
    assert_array_equal(empty.count, [0, 0, 0])
    assert np.isnan(empty.accuracy).all()
    assert np.isnan(expected_calibration_error(np.zeros((0, 3)), []))


def test_a_confidence_above_1_within_the_sum_tolerance_falls_in_the_last_bin():
    probs = np.array([[1.0001, 0.0], [0.7, 0.3]])  # row sum 1.0001, within 3.5e-4 of 1
    assert_array_equal(reliability_bins(probs, [0, 0], n_bins=2).count, [0, 2])


def test_ties_predict_the_first_class_as_numpy_argmax():
    probs = [[0.5, 0.5], [0.5, 0.5]]
    assert_array_equal(reliability_bins(probs, [0, 1], n_bins=2).accuracy, [0.5, np.nan])


# ----------------------------------------------------------------- temperature scaling


def _mean_nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    # reference: scipy.special.log_softmax, independent of softmax_ce
    z = np.asarray(logits, dtype=np.float64) / temperature
    return -float(np.mean(scipy.special.log_softmax(z, axis=1)[np.arange(len(labels)), labels]))


def _scipy_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    # reference: scipy.optimize.minimize_scalar (bounded Brent) over log T in [-5, 5]
    result = scipy.optimize.minimize_scalar(
        lambda s: _mean_nll(logits, labels, math.exp(s)),
        bounds=(-5.0, 5.0),
        method="bounded",
        options={"xatol": 1e-12, "maxiter": 500},
    )
    assert result.success
    return math.exp(result.x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fit_temperature_matches_scipy_minimize_scalar_on_the_mean_nll(seed, dtype):
    logits, labels = _model(seed, 400, 6, dtype)
    t = fit_temperature(logits, labels)
    assert isinstance(t, float)
    # Brent's minimiser of a flat-bottomed function is good to ~sqrt(eps) only: ~1e-8 here
    assert_allclose(t, _scipy_temperature(logits, labels), rtol=1e-6)
    # and T is a minimum: the NLL is larger 1e-4 either side
    nll = _mean_nll(logits, labels, t)
    assert nll < _mean_nll(logits, labels, t * (1 + 1e-4))
    assert nll < _mean_nll(logits, labels, t * (1 - 1e-4))


@pytest.mark.parametrize("seed", [4, 5])
def test_fitted_temperature_is_a_zero_of_the_derivative_computed_with_scipy(seed):
    # d/dT mean NLL = (1/T^2) mean(z_y - E_p[z]), p from scipy.special.softmax; relative to the
    # size of its terms it is ~1e-12 at the fitted T (the solver's tolerance, 1e-6, is far wider)
    logits, labels = _model(seed, 1000, 10)
    t = fit_temperature(logits, labels)
    p = scipy.special.softmax(logits / t, axis=1)
    terms = logits[np.arange(len(labels)), labels] - (p * logits).sum(axis=1)
    assert abs(terms.mean()) <= 1e-10 * np.abs(terms).mean()


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels():
    # labels drawn from softmax(z / 2.5): the maximum-likelihood T is close to 2.5
    rng = np.random.default_rng(11)
    logits = rng.standard_normal((20000, 5)) * 4
    p = softmax(logits, temperature=2.5)
    labels = (rng.random((20000, 1)) > p.cumsum(axis=1)).sum(axis=1)
    t = fit_temperature(logits, labels)
    assert abs(t / 2.5 - 1) < 0.03
    # and scaling by it lowers the ECE of these over-confident probabilities
    before = expected_calibration_error(softmax(logits), labels)
    after = expected_calibration_error(softmax(logits, temperature=t), labels)
    assert after < before / 3


def test_fit_temperature_is_equivariant_to_scaling_and_invariant_to_row_shifts():
    logits, labels = _model(3, 200, 4)
    t = fit_temperature(logits, labels)
    assert fit_temperature(logits * 2.0**-40, labels) == t * 2.0**-40  # exact: powers of 2
    # other factors: the logits' rounding and the solver's stopping, both ~1 ulp
    for factor in (3.0, 1e300, 1e-300):
        assert_allclose(fit_temperature(logits * factor, labels), t * factor, rtol=1e-14)
    shifts = np.random.default_rng(0).uniform(-100, 100, (200, 1))
    assert_allclose(fit_temperature(logits + shifts, labels), t, rtol=1e-11)


def test_fit_temperature_of_float16_and_float32_logits_equals_that_of_their_float64_values():
    logits, labels = _model(8, 300, 5, np.float16)
    assert fit_temperature(logits, labels) == fit_temperature(logits.astype(np.float64), labels)
    big = (logits.astype(np.float32) * np.float32(1e34)).astype(np.float32)  # up to ~3e38
    assert_allclose(
        fit_temperature(big, labels), fit_temperature(big.astype(np.float64), labels), rtol=1e-15
    )


def test_constant_rows_leave_every_temperature_optimal_and_give_1():
    logits = np.tile(np.array([[2.0], [-7.0], [0.0]]), (1, 4))  # each row constant
    for t in (0.1, 1.0, 10.0):  # the NLL is log K whatever T
        assert_allclose(cross_entropy(logits / t, [0, 3, 1]), math.log(4), rtol=1e-15)
    assert fit_temperature(logits, [0, 3, 1]) == 1.0


def test_constant_rows_do_not_change_the_fitted_temperature_of_the_others():
    logits, labels = _model(2, 100, 3)
    with_constant = np.vstack([logits, np.full((5, 3), 4.0)])
    t = fit_temperature(with_constant, np.concatenate([labels, [0, 1, 2, 0, 1]]))
    assert_allclose(t, fit_temperature(logits, labels), rtol=1e-10)


def test_separable_data_raise_because_the_nll_decreases_as_t_goes_to_0():
    logits, labels = _model(1, 50, 4)
    top = logits.argmax(axis=1)
    nll = [_mean_nll(logits, top, t) for t in (1.0, 0.1, 0.01)]
    assert nll[0] > nll[1] > nll[2]  # no minimum at any T > 0
    with pytest.raises(ValueError, match=r"^logits: every label has the largest logit.*T -> 0"):
        fit_temperature(logits, top)
    # ties with the label's class count as separable too: log 2 is approached from above
    with pytest.raises(ValueError, match=r"T -> 0"):
        fit_temperature([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]], [0, 1])


def test_anti_informative_logits_raise_because_the_nll_decreases_as_t_goes_to_infinity():
    logits, labels = _model(1, 50, 4)
    bottom = logits.argmin(axis=1)
    nll = [_mean_nll(logits, bottom, t) for t in (1.0, 10.0, 100.0)]
    assert nll[0] > nll[1] > nll[2]
    with pytest.raises(ValueError, match=r"^logits: .*T -> inf"):
        fit_temperature(logits, bottom)


def test_one_misclassified_sample_makes_a_finite_but_small_temperature():
    # 99 rows right with margin 4, one wrong by 1e-3: the optimum exists, T is small
    logits = np.tile([4.0, 0.0], (100, 1))
    logits[0] = [0.0, 1e-3]
    t = fit_temperature(logits, np.zeros(100, dtype=int))
    assert 0 < t < 1
    assert_allclose(t, _scipy_temperature(logits, np.zeros(100, dtype=int)), rtol=1e-6)


def test_an_optimal_temperature_beyond_the_float_range_raises_instead_of_overflowing():
    # logits of ±1e308 that are right in 4999 of 10000 rows plus 1: T* ~ 1e312
    logits = np.tile([1e308, -1e308], (10000, 1))
    labels = np.zeros(10000, dtype=int)
    labels[:4999] = 1
    with pytest.raises(ValueError, match=r"^logits: the optimal temperature.*range of float64"):
        fit_temperature(logits, labels)
    # the same data scaled down have a finite optimum, 1e-300 times too large for a float
    assert 1e308 < fit_temperature(logits * 1e-300, labels) * 1e300


# ----------------------------------------------------------------- the derivative, in SymPy


def _symbolic_mean_nll(n: int, k: int, labels: list[int]):
    """Symbols z (n x k), T > 0, the mean NLL and the closed-form d/dT."""
    z = sp.Matrix(n, k, lambda i, j: sp.Symbol(f"z{i}{j}", real=True))
    t = sp.Symbol("T", positive=True)
    nll, closed = 0, 0
    for i, y in enumerate(labels):
        partition = sum(sp.exp(z[i, j] / t) for j in range(k))
        nll += sp.log(partition) - z[i, y] / t
        expected_z = sum(sp.exp(z[i, j] / t) / partition * z[i, j] for j in range(k))
        closed += z[i, y] - expected_z
    return z, t, nll / n, closed / (n * t**2)


def test_closed_form_temperature_derivative_equals_sympys_derivative():
    labels = [0, 2, 1]
    z, t, mean_nll, closed = _symbolic_mean_nll(3, 3, labels)
    derivative = sp.diff(mean_nll, t)
    # symbolically, one sample (the mean is a sum of such terms)
    z1, t1, nll1, closed1 = _symbolic_mean_nll(1, 3, [1])
    assert sp.simplify(sp.diff(nll1, t1) - closed1) == 0
    # numerically, the whole mean, on seeded logits and temperatures
    symbols = (*z, t)
    by_sympy = sp.lambdify(symbols, derivative, "numpy")
    by_closed_form = sp.lambdify(symbols, closed, "numpy")
    rng = np.random.default_rng(5)
    for _ in range(20):
        values = rng.standard_normal(9) * 3
        temperature = math.exp(rng.uniform(-1, 2))
        assert_allclose(
            by_closed_form(*values, temperature), by_sympy(*values, temperature), rtol=1e-12
        )
    # and the library's T is where SymPy's derivative changes sign from - to +
    logits = np.array([[2.0, 0.5, -1.0], [0.3, -0.2, 1.5], [1.0, 0.0, 0.8]])  # row 3 wrong
    fitted = fit_temperature(logits, labels)
    at = lambda temperature: by_sympy(*logits.ravel(), temperature)  # noqa: E731
    scale = abs(at(fitted * 2))
    assert abs(at(fitted)) <= 1e-9 * scale
    assert at(fitted * (1 - 1e-5)) < 0 < at(fitted * (1 + 1e-5))
