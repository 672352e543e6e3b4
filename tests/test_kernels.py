"""The fast reductions equal their plain definitions, so the kernels are their mathematics.

``softmax_ce._kernels`` states softmax, log-softmax, log-sum-exp and the cross-entropy gradient
in terms of a few reductions over the classes (maximum, sum, sum without the maximum's term);
``softmax_ce._reductions`` computes those in whichever way is fastest for the number of classes
K. Here every fast path is checked against the plain NumPy definition on seeded data with ties,
``-inf``, ``nan``, ``+inf`` and huge magnitudes, on both block layouts; then the public functions
are computed once with the fast paths and once with every threshold set to 0 (the plain
``argmax`` / ``np.sum`` paths), and both are checked against mpmath.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import softmax_ce._reductions as reductions
from _oracles import mp_log_softmax, mp_logsumexp, mp_softmax
from softmax_ce import cross_entropy, cross_entropy_grad, log_softmax, logsumexp, softmax
from softmax_ce._blocks import FEW_CLASSES
from softmax_ce._reductions import (
    MATMUL_SUM_MAX_CLASSES,
    column_max,
    column_sum,
    pick,
    subtract_at,
    sum_exp_except_max,
)

# Around every threshold, and far from them.
CLASS_COUNTS = [1, 2, 3, FEW_CLASSES - 1, FEW_CLASSES, FEW_CLASSES + 1,
                MATMUL_SUM_MAX_CLASSES - 1, MATMUL_SUM_MAX_CLASSES, MATMUL_SUM_MAX_CLASSES + 1,
                1000]
DTYPES = [np.float32, np.float64]
LAYOUTS = ["staged", "transposed"]  # a contiguous (K, b) copy, or the (K, b) view of a (b, K)


def block(values: np.ndarray, layout: str) -> np.ndarray:
    """``values`` (K, b) in the memory layout the block driver hands to a kernel."""
    if layout == "staged":
        return np.ascontiguousarray(values)
    return np.ascontiguousarray(values.T).T


def logits(rng: np.random.Generator, k: int, dtype, kind: str) -> np.ndarray:
    """A (K, 40) block of logits, one column per sample, of the given kind."""
    b = 40
    if kind == "ties":  # small integers: many exact ties, also at the maximum
        return rng.integers(-2, 2, size=(k, b)).astype(dtype)
    huge = np.finfo(dtype).max / 4
    x = rng.uniform(-1, 1, size=(k, b)) * (huge if kind == "huge" else 30)
    x = x.astype(dtype)
    if kind == "non-finite":
        x[rng.random((k, b)) < 0.3] = -np.inf
        x[:, 0] = -np.inf  # all -inf
        x[0, 1] = np.inf
        x[-1, 2] = np.nan
        x[:, 3] = 5.0  # all tied
    return x


KINDS = ["normal", "ties", "huge", "non-finite"]
#: every (K, dtype, kind of logits, layout) a block can have, as pytest parameters
EVERY_BLOCK = pytest.mark.parametrize(
    "k, dtype, kind, layout", list(itertools.product(CLASS_COUNTS, DTYPES, KINDS, LAYOUTS))
)


@EVERY_BLOCK
def test_column_max_is_np_max_and_its_row_is_np_argmax(rng, k, dtype, kind, layout):
    x = block(logits(rng, k, dtype, kind), layout)
    with np.errstate(invalid="ignore"):
        m, top = column_max(x)
        expected = np.max(x, axis=0, keepdims=True)
    assert_array_equal(m, expected)  # bit for bit, nan where np.max gives nan
    if top is None:
        assert k <= FEW_CLASSES
    else:
        assert_array_equal(top, np.argmax(x, axis=0))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_column_sum_is_within_the_summation_error_bound_of_the_exact_sum(rng, k, dtype, layout):
    x = block(rng.standard_normal((k, 40)).astype(dtype), layout)
    exact = np.array([math.fsum(map(float, column)) for column in x.T])  # exact, then rounded
    bound = k * np.finfo(dtype).eps * np.abs(x).astype(np.float64).sum(axis=0)
    error = np.abs(column_sum(x)[0].astype(np.float64) - exact)
    assert np.all(error <= bound), (error / bound).max()


@EVERY_BLOCK
def test_sum_exp_except_max_is_the_sum_without_one_maximal_term(rng, k, dtype, kind, layout):
    x = block(logits(rng, k, dtype, kind), layout)
    with np.errstate(invalid="ignore", over="ignore"):
        m, top = column_max(x)
        d = x - m  # as the kernels shift: the maximum becomes exactly 0
        # the plain definition, exactly (math.fsum) from the float64 exponentials
        e = np.exp(d.astype(np.float64))
        e[np.argmax(d, axis=0), np.arange(d.shape[1])] = 0.0
        expected = np.array([math.fsum(column) for column in e.T])
        expected[~np.isfinite(m[0])] = np.nan  # a column with nan, +inf or all -inf
        scratch = np.empty_like(d)
        fast = sum_exp_except_max(d.copy(), scratch, top)[0]
        given_top = sum_exp_except_max(d.copy(), scratch, np.argmax(d, axis=0))[0]
    # exp in the block's dtype (<= 1 ulp per term) and a sum of non-negative terms
    rtol = (k + 2) * np.finfo(dtype).eps
    assert_allclose(fast, expected, rtol=rtol, atol=0)
    assert_allclose(given_top, expected, rtol=rtol, atol=0)


@pytest.mark.parametrize("layout", [*LAYOUTS, "strided"])
def test_pick_and_subtract_at_are_fancy_indexing(rng, layout):
    values = rng.standard_normal((7, 30))
    a = values[:, ::2] if layout == "strided" else block(values, layout)
    rows = rng.integers(0, a.shape[0], size=a.shape[1])
    columns = np.arange(a.shape[1])
    assert_array_equal(pick(a, rows), a[rows, columns])
    expected = a.copy()
    expected[rows, columns] -= 0.5
    subtract_at(a, rows, 0.5)
    assert_array_equal(a, expected)


# --- the public functions on the fast and on the plain paths ---------------------------------


@pytest.fixture(params=["fast paths", "plain paths"])
def paths(request, monkeypatch):
    """Run a test with the fast reductions, and again with every threshold set to 0."""
    if request.param == "plain paths":  # argmax for the maximum, np.sum for every sum
        monkeypatch.setattr(reductions, "FEW_CLASSES", 0)
        monkeypatch.setattr(reductions, "MATMUL_SUM_MAX_CLASSES", 0)
    return request.param


def test_the_plain_paths_fixture_really_switches_paths(monkeypatch):
    x = np.ones((3, 4))
    assert column_max(x)[1] is None
    monkeypatch.setattr(reductions, "FEW_CLASSES", 0)
    assert column_max(x)[1] is not None


FLOAT64_ROWS = {
    "pm_1e308": [1e308, -1e308, 1e308, 0.0],
    "near_ties_at_1e6": [1e6 + 0.5, 1e6, 1e6 - 1.25, 1e6 - 3.0],
    "gh18295": [0.0, -40.0],
    "ties": [2.0, 2.0, -1.0, 2.0],
}


@pytest.mark.parametrize("k", [4, FEW_CLASSES, FEW_CLASSES + 1, MATMUL_SUM_MAX_CLASSES + 1])
def test_both_paths_match_mpmath_to_1e13(paths, rng, k):
    x = rng.uniform(-700, 700, size=(5, k))
    for i, row in enumerate(FLOAT64_ROWS.values()):
        x[i, : len(row)] = row
    x[4, 1:] = x[4, 0]  # all tied
    # reference: mpmath at 60 digits
    assert_allclose(logsumexp(x), mp_logsumexp(x), rtol=1e-13, atol=0)
    assert_allclose(log_softmax(x), mp_log_softmax(x), rtol=1e-13, atol=0)
    assert_allclose(softmax(x), mp_softmax(x), rtol=1e-13, atol=1e-300)
    labels = rng.integers(0, k, size=5)
    expected_loss = -mp_log_softmax(x)[np.arange(5), labels]
    assert_allclose(cross_entropy(x, labels, reduction="none"), expected_loss, rtol=1e-13)
    expected_grad = mp_softmax(x) - np.eye(k)[labels]
    assert_allclose(cross_entropy_grad(x, labels, reduction="sum"), expected_grad,
                    rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_fast_and_plain_paths_agree_to_a_few_ulps(monkeypatch, rng, k, dtype):
    x = np.concatenate([logits(rng, k, dtype, kind).T for kind in KINDS])
    finite = np.isfinite(x).all(axis=1)
    probabilities = rng.dirichlet(np.ones(k), size=len(x)).astype(np.float64)
    labels = rng.integers(0, k, size=len(x))

    def results():
        with np.errstate(invalid="ignore", over="ignore"):
            return [softmax(x), log_softmax(x), logsumexp(x), softmax(x, temperature=0.3),
                    cross_entropy(x, labels, reduction="none", label_smoothing=0.1),
                    cross_entropy(x[finite], probabilities[finite], reduction="none"),
                    cross_entropy_grad(x, labels, reduction="sum")]

    fast = results()
    monkeypatch.setattr(reductions, "FEW_CLASSES", 0)
    monkeypatch.setattr(reductions, "MATMUL_SUM_MAX_CLASSES", 0)
    plain = results()
    # two summation orders, a few roundings after; absolute where a result of order 1
    # cancels (a gradient entry p - 1, a log-softmax near 0)
    tolerance = 4 * k * np.finfo(dtype).eps
    for f, p in zip(fast, plain, strict=True):
        assert_array_equal(f == np.inf, p == np.inf)
        assert_array_equal(f == -np.inf, p == -np.inf)
        assert_array_equal(np.isnan(f), np.isnan(p))
        both = np.isfinite(f) & np.isfinite(p)
        assert_allclose(f[both].astype(np.float64), p[both].astype(np.float64),
                        rtol=tolerance, atol=tolerance)
