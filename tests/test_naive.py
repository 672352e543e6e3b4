"""The source documents' recipes (``softmax_ce_book.naive``): each failure mode, measured and pinned.

Every number asserted here is what the recipe *actually* returns on this platform (IEEE-754
binary16/32/64 through NumPy), next to the exact value: reference values come from mpmath
(``mpmath.mpf(float(x))`` is the exact binary value of a float) or from the package's accurate
functions, as commented. Warnings the recipes emit are recorded and asserted, never ignored.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest

import softmax_ce as sce
from softmax_ce_book import naive
from softmax_ce.gradcheck import check_gradient, numerical_gradient

EPS = 1e-15
#: -log(float(1e-15)) computed by mpmath at 50 digits from the exact binary value of 1e-15.
with mpmath.workdps(50):
    CAP = float(-mpmath.log(mpmath.mpf(EPS)))
    #: -log(float(1 - 1e-15)): the floor of the clipped loss for a perfect prediction.
    FLOOR = float(-mpmath.log(mpmath.mpf(1.0 - EPS)))

CLIPPED_LOSSES = [naive.stable_cross_entropy, naive.safe_cross_entropy]


def record(fn: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """Call ``fn`` and return its result and the sorted set of warning messages it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args)
    return result, sorted({str(w.message) for w in caught})


DIVIDE = "divide by zero encountered in log"
INVALID_MUL = "invalid value encountered in multiply"


# --- softmax recipes -------------------------------------------------------------------------


def test_stable_softmax_matches_the_package_on_2d_batches(rng: np.random.Generator) -> None:
    x = 30 * rng.standard_normal((6, 5))
    np.testing.assert_allclose(naive.stable_softmax(x), sce.softmax(x), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(
        naive.stable_softmax(x + 1e4), sce.softmax(x), rtol=1e-9, atol=1e-300
    )


def test_stable_softmax_rejects_1d_input_because_axis_1_is_hard_coded() -> None:
    with pytest.raises(np.exceptions.AxisError):
        naive.stable_softmax(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(np.exceptions.AxisError):
        naive.cross_entropy_gradient(np.array([0.0, 1.0]), np.array([1.0, 2.0]))


def test_stable_softmax_normalises_axis_1_not_the_class_axis_for_3d_input(
    rng: np.random.Generator,
) -> None:
    x = rng.standard_normal((2, 3, 4))  # (N, d, K) with classes last
    p = naive.stable_softmax(x)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert not np.allclose(p.sum(axis=-1), 1.0)


def test_stable_softmax_gives_nan_for_a_row_with_plus_inf() -> None:
    p, messages = record(naive.stable_softmax, np.array([[np.inf, 0.0]]))
    assert np.all(np.isnan(p)) and messages == ["invalid value encountered in subtract"]


@pytest.mark.parametrize(
    ("dtype", "first_bad"),
    [(np.float64, 710), (np.float32, 89), (np.float16, 12)],  # ceil(log(finfo.max))
)
def test_naive_softmax_overflows_just_above_log_of_the_largest_float(
    dtype: type, first_bad: int
) -> None:
    threshold = np.log(float(np.finfo(dtype).max))
    assert first_bad - 1 < threshold < first_bad
    ok, messages = record(naive.naive_softmax, np.array([first_bad - 1, 0.0], dtype=dtype))
    assert np.all(np.isfinite(ok)) and messages == []
    bad, messages = record(naive.naive_softmax, np.array([first_bad, 0.0], dtype=dtype))
    assert np.isnan(bad[0]) and bad[1] == 0
    assert messages == ["invalid value encountered in divide", "overflow encountered in exp"]
    # the package stays finite: p = (1/(1 + e^-t), e^-t/(1 + e^-t)), exact values from mpmath
    p = sce.softmax(np.array([first_bad, 0.0], dtype=dtype))
    small = float(mpmath.exp(-first_bad) / (1 + mpmath.exp(-first_bad)))
    assert p.dtype == dtype and p[0] == 1.0
    np.testing.assert_allclose(
        p[1],
        small,
        rtol=4 * float(np.finfo(dtype).eps),
        atol=2 * float(np.finfo(dtype).smallest_subnormal),
    )


def test_naive_softmax_gives_nan_when_every_exp_underflows() -> None:
    p, messages = record(naive.naive_softmax, np.array([-1000.0, -1000.0]))
    assert np.all(np.isnan(p)) and messages == ["invalid value encountered in divide"]
    np.testing.assert_array_equal(sce.softmax(np.array([-1000.0, -1000.0])), [0.5, 0.5])


# --- the epsilon-clip losses -----------------------------------------------------------------


@pytest.mark.parametrize("loss", CLIPPED_LOSSES)
def test_clip_caps_every_term_at_minus_log_eps(loss: Callable[..., Any]) -> None:
    y = np.array([[0.0, 1.0]])
    assert CAP == pytest.approx(34.538776394910684, rel=1e-15)
    # true class probability exactly 0: true loss +inf, clipped loss 34.54
    assert loss(y, np.array([[1.0, 0.0]])) == CAP
    # true class probability 1e-20: true loss -log(1e-20) = 46.05, clipped loss still 34.54
    true_loss = float(sce.cross_entropy(np.log(np.array([[1.0, 1e-20]])), y, reduction="sum"))
    assert true_loss == pytest.approx(46.051701859880914, rel=1e-14)
    clipped = loss(y, np.array([[1.0, 1e-20]]))
    assert clipped == CAP
    assert true_loss - clipped == pytest.approx(11.512925464970229, rel=1e-12)  # the bias, log(1e5)


@pytest.mark.parametrize("loss", CLIPPED_LOSSES)
def test_clip_gives_a_perfect_prediction_a_positive_loss(loss: Callable[..., Any]) -> None:
    value = loss(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))
    assert value == FLOOR
    assert FLOOR == pytest.approx(9.992007221626415e-16, rel=1e-15)


def test_clip_gradient_is_exactly_zero_below_eps() -> None:
    y = np.array([[0.0, 1.0]])
    p = np.array([[0.5, 1e-17]])
    g = numerical_gradient(lambda q: naive.stable_cross_entropy(y, q), p, h=[[1e-6, 1e-18]])
    assert g[0, 1] == 0.0  # the true derivative -y/p is -1e17
    # Through the softmax: a confidently wrong prediction (p_true = 1.9e-22 < eps) gets no
    # gradient at all, where the correct gradient p - y is about (1, -1).
    logits = np.array([[0.0, -50.0]])
    flat = numerical_gradient(
        lambda o: naive.stable_cross_entropy(y, naive.stable_softmax(o)), logits
    )
    np.testing.assert_array_equal(flat, [[0.0, 0.0]])
    np.testing.assert_allclose(
        sce.cross_entropy_grad(logits, y, reduction="sum"), [[1.0, -1.0]], rtol=1e-15
    )


def test_float32_rounds_the_upper_clip_to_one_but_keeps_eps() -> None:
    assert np.float32(1 - EPS) == 1.0 and np.float32(EPS) > 0
    y = np.array([[1.0, 0.0]], dtype=np.float32)
    perfect, messages = record(
        naive.stable_cross_entropy, y, np.array([[1.0, 0.0]], dtype=np.float32)
    )
    assert perfect == 0.0 and perfect.dtype == np.float32 and messages == []  # (it is -0.0)
    capped = naive.stable_cross_entropy(y[:, ::-1], np.array([[1.0, 0.0]], dtype=np.float32))
    assert capped.dtype == np.float32
    assert capped == np.float32(-np.log(np.float32(EPS)))
    assert float(capped) == pytest.approx(CAP, rel=1e-7)


def test_float16_rounds_the_clip_to_zero_and_one_so_log_zero_returns() -> None:
    assert np.float16(EPS) == 0.0 and np.float16(1 - EPS) == 1.0
    one_hot = np.array([[1.0, 0.0]], dtype=np.float16)
    # label on a class predicted with probability 0: +inf instead of the cap
    wrong, messages = record(naive.stable_cross_entropy, one_hot[:, ::-1], one_hot)
    assert wrong == np.inf and wrong.dtype == np.float16 and messages == [DIVIDE]
    # a *perfect* prediction: 0 * log(0) = nan for the other class
    perfect, messages = record(naive.stable_cross_entropy, one_hot, one_hot)
    assert np.isnan(perfect) and messages == [DIVIDE, INVALID_MUL]
    # the package's loss on logits needs no clip: finite in float16
    assert np.isfinite(sce.cross_entropy(np.array([[8.0, -8.0]], dtype=np.float16), [0]))


@pytest.mark.parametrize("loss", CLIPPED_LOSSES)
def test_clipped_losses_sum_over_the_batch_instead_of_averaging(
    loss: Callable[..., Any], rng: np.random.Generator
) -> None:
    x = rng.standard_normal((1, 4))
    y = np.eye(4)[[2]]
    one = loss(y, sce.softmax(x))
    batch = loss(np.repeat(y, 10, axis=0), np.repeat(sce.softmax(x), 10, axis=0))
    assert batch == pytest.approx(10 * one, rel=1e-14)
    assert batch == pytest.approx(
        float(sce.cross_entropy(np.repeat(x, 10, 0), np.full(10, 2), reduction="sum")), rel=1e-13
    )


def test_safe_and_stable_cross_entropy_are_the_same_function(rng: np.random.Generator) -> None:
    y = rng.dirichlet(np.ones(5), size=8)
    p = rng.dirichlet(np.ones(5), size=8)
    p[0, 1] = 0.0
    p[3, 2] = 1e-30
    assert naive.safe_cross_entropy(y, p) == naive.stable_cross_entropy(y, p)
    assert naive.safe_cross_entropy(y, p, 1e-7) == naive.stable_cross_entropy(y, p, epsilon=1e-7)


def test_log_likelihood_is_the_log_likelihood_not_the_loss(rng: np.random.Generator) -> None:
    y = np.eye(3)[rng.integers(0, 3, size=6)]
    p = rng.dirichlet(np.ones(3), size=6)
    ll = naive.log_likelihood(y, p)
    assert ll < 0
    assert ll == -naive.stable_cross_entropy(y, p)
    np.testing.assert_allclose(ll, np.sum(np.log(p[y.astype(bool)])), rtol=1e-14)


# --- the logit recipes -----------------------------------------------------------------------


def test_cross_entropy_with_logits_is_inf_when_the_true_class_underflows() -> None:
    value, messages = record(
        naive.cross_entropy_with_logits, np.array([[0.0, 1.0]]), np.array([[0.0, -1000.0]])
    )
    assert value == np.inf and messages == [DIVIDE]
    exact = sce.cross_entropy(np.array([[0.0, -1000.0]]), np.array([1]), reduction="sum")
    assert exact == 1000.0  # log(1 + e^-1000) + 1000 rounds to 1000 exactly


def test_cross_entropy_with_logits_is_nan_for_a_correct_confident_prediction() -> None:
    value, messages = record(
        naive.cross_entropy_with_logits, np.array([[1.0, 0.0]]), np.array([[0.0, -1000.0]])
    )
    assert np.isnan(value) and messages == [DIVIDE, INVALID_MUL]
    assert sce.cross_entropy(np.array([[0.0, -1000.0]]), np.array([0]), reduction="sum") == 0.0


@pytest.mark.parametrize(
    ("dtype", "first_bad_gap"),
    [(np.float64, 746), (np.float32, 104), (np.float16, 18)],  # just past -log(smallest subnormal)
)
def test_cross_entropy_with_logits_breaks_where_the_probability_underflows(
    dtype: type, first_bad_gap: int
) -> None:
    y = np.array([[0.0, 1.0]], dtype=dtype)
    assert first_bad_gap - 2 < -np.log(float(np.finfo(dtype).smallest_subnormal)) < first_bad_gap
    fine, messages = record(
        naive.cross_entropy_with_logits, y, np.array([[0.0, -(first_bad_gap - 1)]], dtype=dtype)
    )
    assert np.isfinite(fine) and messages == []
    broken, messages = record(
        naive.cross_entropy_with_logits, y, np.array([[0.0, -first_bad_gap]], dtype=dtype)
    )
    assert broken == np.inf and messages == [DIVIDE]
    exact = sce.cross_entropy(
        np.array([[0.0, -first_bad_gap]], dtype=dtype), np.array([1]), reduction="sum"
    )
    assert exact == pytest.approx(first_bad_gap, rel=float(np.finfo(dtype).eps))


def test_cross_entropy_with_logits_equals_the_package_sum_on_moderate_logits(
    rng: np.random.Generator,
) -> None:
    x = 4 * rng.standard_normal((7, 5))
    y = rng.dirichlet(np.ones(5), size=7)
    expected = sce.cross_entropy(x, y, reduction="sum")
    assert naive.cross_entropy_with_logits(y, x) == pytest.approx(float(expected), rel=1e-13)
    assert naive.cross_entropy_with_logits(y, x) == pytest.approx(
        7 * float(sce.cross_entropy(x, y)), rel=1e-13
    )


def test_cross_entropy_gradient_is_the_gradient_of_the_summed_loss(
    rng: np.random.Generator,
) -> None:
    x = 2 * rng.standard_normal((4, 3))
    y = rng.dirichlet(np.ones(3), size=4)
    g = naive.cross_entropy_gradient(y, x)
    np.testing.assert_allclose(
        g, sce.cross_entropy_grad(x, y, reduction="sum"), rtol=1e-12, atol=1e-16
    )
    np.testing.assert_allclose(
        g / 4, sce.cross_entropy_grad(x, y, reduction="mean"), rtol=1e-12, atol=1e-16
    )
    check_gradient(lambda o: naive.cross_entropy_with_logits(y, o), g, x)


def test_cross_entropy_gradient_is_wrong_when_labels_do_not_sum_to_one(
    rng: np.random.Generator,
) -> None:
    x = 2 * rng.standard_normal((3, 4))
    y = 2.0 * rng.dirichlet(np.ones(4), size=3)  # each row sums to 2
    numeric = numerical_gradient(lambda o: naive.cross_entropy_with_logits(y, o), x)
    recipe = naive.cross_entropy_gradient(y, x)
    np.testing.assert_allclose(
        numeric - recipe, sce.softmax(x), rtol=1e-7, atol=1e-9
    )  # (sum y - 1) p
    with pytest.raises(AssertionError, match="gradient mismatch"):
        check_gradient(lambda o: naive.cross_entropy_with_logits(y, o), recipe, x)
