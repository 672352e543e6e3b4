"""The gaps a practitioner met (issue 11): KL divergence in log space with reductions, weighted
binary cross-entropy and its gradient, nll_loss refusing what cannot be log-probabilities, and
messages that say what to do. Torch's semantics are checked through stored fixtures elsewhere;
here the references are mpmath (50 digits), SciPy, and the definitions written out."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special

import softmax_ce as sce


def _mp_log_softmax(row):
    """log softmax of one row, in mpmath at 50 digits (reference)."""
    with mpmath.workdps(50):
        z = [mpmath.mpf(float(v)) for v in row]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        return [v - lse for v in z]


def _mp_kl_from_logits(zp, zq):
    """KL(softmax(zp) || softmax(zq)) at 50 digits (reference)."""
    with mpmath.workdps(50):
        lp, lq = _mp_log_softmax(zp), _mp_log_softmax(zq)
        return float(mpmath.fsum(mpmath.exp(a) * (a - b) for a, b in zip(lp, lq)))


# --- KL divergence -------------------------------------------------------------------------

def test_kl_of_a_confident_student_is_exact_from_logits_where_probabilities_underflow():
    teacher, student = np.array([0.0, -30.0]), np.array([0.0, -800.0])
    assert sce.kl_divergence(sce.softmax(teacher), sce.softmax(student)) == np.inf
    got = sce.kl_divergence(teacher, student, p_form="logits", q_form="logits")
    expected = _mp_kl_from_logits(teacher, student)  # mpmath, 50 digits
    assert expected == pytest.approx(7.196e-11, rel=1e-3)  # the value torch's kl_div gives
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("p_form", ["probs", "log_probs", "logits"])
@pytest.mark.parametrize("q_form", ["probs", "log_probs", "logits"])
def test_kl_forms_agree_with_scipy_rel_entr_where_nothing_underflows(rng, p_form, q_form):
    zp, zq = rng.normal(size=(6, 5)), 2 * rng.normal(size=(6, 5))
    p, q = scipy.special.softmax(zp, axis=-1), scipy.special.softmax(zq, axis=-1)
    expected = scipy.special.rel_entr(p, q).sum(axis=-1)  # SciPy reference
    as_form = {"probs": lambda z, s: s, "log_probs": lambda z, s: np.log(s),
               "logits": lambda z, s: z + 3.0}  # logits need not be normalised
    got = sce.kl_divergence(as_form[p_form](zp, p), as_form[q_form](zq, q),
                            p_form=p_form, q_form=q_form)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3)])
def test_kl_reductions_follow_their_definitions(rng, shape):
    zp, zq = rng.normal(size=shape), rng.normal(size=shape)
    rows = sce.kl_divergence(zp, zq, p_form="logits", q_form="logits")
    kw = dict(p_form="logits", q_form="logits")
    assert rows.shape == shape[:-1]
    assert sce.kl_divergence(zp, zq, reduction="sum", **kw) == pytest.approx(rows.sum(), rel=1e-14)
    assert sce.kl_divergence(zp, zq, reduction="mean", **kw) == pytest.approx(rows.mean(), rel=1e-14)
    # batchmean: the sum over the first axis' length, as torch.nn.functional.kl_div
    batchmean = sce.kl_divergence(zp, zq, reduction="batchmean", **kw)
    assert batchmean == pytest.approx(rows.sum() / shape[0], rel=1e-14)
    assert isinstance(batchmean, np.float64)


def test_kl_batchmean_of_one_distribution_is_its_divergence():
    p, q = np.array([0.25, 0.75]), np.array([0.5, 0.5])
    assert sce.kl_divergence(p, q, reduction="batchmean") == sce.kl_divergence(p, q)


def test_kl_with_a_zero_probability_term_in_log_form_is_zero_not_nan():
    # p = (1, 0) as log-probabilities (0, -inf) against uniform q: log 2, the p_2 term is 0
    got = sce.kl_divergence([0.0, -np.inf], [0.0, 0.0], p_form="log_probs", q_form="logits")
    assert got == pytest.approx(np.log(2.0), rel=1e-15)


def test_kl_rejects_log_probabilities_that_are_not_normalised():
    with pytest.raises(ValueError, match=r"^q: .*sum of"):
        sce.kl_divergence([0.5, 0.5], np.log([0.5, 0.4]), q_form="log_probs")
    with pytest.raises(ValueError, match=r"^p: log-probabilities must be <= 0"):
        sce.kl_divergence([0.2, 0.5], [0.5, 0.5], p_form="log_probs")


def test_kl_float32_stays_float32(rng):
    z = rng.normal(size=(3, 4)).astype(np.float32)
    assert sce.kl_divergence(z, z[::-1], p_form="logits", q_form="logits").dtype == np.float32


# --- weighted binary cross-entropy ---------------------------------------------------------

def _mp_bce(x, t, w=1.0, a=1.0):
    """w [a t softplus(-x) + (1 - t) softplus(x)] at 50 digits (reference)."""
    with mpmath.workdps(50):
        x, t, w, a = (mpmath.mpf(float(v)) for v in (x, t, w, a))
        softplus = lambda v: mpmath.log1p(mpmath.exp(v))  # noqa: E731
        return float(w * (a * t * softplus(-x) + (1 - t) * softplus(x)))


def _mp_bce_grad(x, t, w=1.0, a=1.0):
    with mpmath.workdps(50):
        x, t, w, a = (mpmath.mpf(float(v)) for v in (x, t, w, a))
        s = 1 / (1 + mpmath.exp(-x))
        return float(w * ((a * t + 1 - t) * s - a * t))


CASES = [(0.3, 1.0), (-2.0, 0.25), (40.0, 0.0), (-40.0, 1.0), (700.0, 0.5), (-1e4, 0.999)]


@pytest.mark.parametrize("x,t", CASES)
@pytest.mark.parametrize("w,a", [(1.0, 3.0), (0.5, 0.2), (2.0, 1.0)])
def test_weighted_bce_and_its_gradient_match_mpmath(x, t, w, a):
    loss = sce.binary_cross_entropy_with_logits([x], [t], weight=[w], pos_weight=[a],
                                                reduction="none")
    grad = sce.binary_cross_entropy_with_logits_grad([x], [t], weight=[w], pos_weight=[a],
                                                     reduction="sum")
    assert loss[0] == pytest.approx(_mp_bce(x, t, w, a), rel=4e-15)
    assert grad[0] == pytest.approx(_mp_bce_grad(x, t, w, a), rel=4e-15, abs=1e-300)


def test_pos_weight_one_and_no_weights_give_identical_losses(rng):
    x, t = 5 * rng.normal(size=(50, 3)), rng.uniform(size=(50, 3))
    plain = sce.binary_cross_entropy_with_logits(x, t, reduction="none")
    np.testing.assert_array_equal(
        sce.binary_cross_entropy_with_logits(x, t, weight=np.ones(3), reduction="none"), plain)
    np.testing.assert_allclose(
        sce.binary_cross_entropy_with_logits(x, t, pos_weight=np.ones(3), reduction="none"),
        plain, rtol=2e-16, atol=0)


def test_bce_weights_broadcast_per_sample_and_per_label(rng):
    x, t = rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    sample_w, label_a = rng.uniform(size=(4, 1)), rng.uniform(0.5, 3, size=3)
    got = sce.binary_cross_entropy_with_logits(x, t, weight=sample_w, pos_weight=label_a,
                                               reduction="none")
    expected = np.array([[_mp_bce(x[i, j], t[i, j], sample_w[i, 0], label_a[j])
                          for j in range(3)] for i in range(4)])
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    mean = sce.binary_cross_entropy_with_logits(x, t, weight=sample_w, pos_weight=label_a)
    assert mean == pytest.approx(expected.mean(), rel=1e-14)  # torch: divide by the entries


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_gradient_matches_a_central_difference_of_the_loss(rng, reduction):
    x, t = rng.normal(size=(3, 4)), rng.uniform(size=(3, 4))
    w, a = rng.uniform(0.5, 2, size=(3, 1)), rng.uniform(0.5, 2, size=4)
    h = 1e-6
    numeric = np.zeros_like(x)
    for idx in np.ndindex(x.shape):  # an independent central difference
        step = np.zeros_like(x)
        step[idx] = h
        up = sce.binary_cross_entropy_with_logits(x + step, t, weight=w, pos_weight=a,
                                                  reduction=reduction)
        down = sce.binary_cross_entropy_with_logits(x - step, t, weight=w, pos_weight=a,
                                                    reduction=reduction)
        numeric[idx] = (up - down) / (2 * h)
    analytic = sce.binary_cross_entropy_with_logits_grad(x, t, weight=w, pos_weight=a,
                                                         reduction=reduction)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


def test_bce_weight_zero_drops_an_infinite_loss():
    loss = sce.binary_cross_entropy_with_logits([np.inf, 0.0], [0.0, 1.0], weight=[0.0, 1.0],
                                                reduction="sum")
    assert loss == pytest.approx(np.log(2.0), rel=1e-15)


def test_bce_gradient_keeps_float32_and_is_finite_for_huge_logits():
    g = sce.binary_cross_entropy_with_logits_grad(np.array([1e30, -1e30], np.float32),
                                                  np.array([0.0, 0.0], np.float32))
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, np.array([0.5, 0.0], np.float32))


# --- nll_loss and messages -----------------------------------------------------------------

def test_nll_loss_refuses_probabilities_and_says_so():
    with pytest.raises(ValueError, match=r"^log_probs: .*never positive.*probabilities"):
        sce.nll_loss(np.array([[0.7, 0.2, 0.1]]), [0])


def test_nll_loss_refuses_logits_and_says_so():
    with pytest.raises(ValueError, match=r"^log_probs: .*never positive.*logits"):
        sce.nll_loss(np.array([[2.0, 1.0, 0.1]]), [0])


def test_nll_loss_accepts_log_probabilities_rounded_just_above_zero():
    # torch's float32 log_softmax can return +1e-7 for a probability of 1
    lp = np.array([[1e-7, -20.0]], np.float32)
    assert sce.nll_loss(lp, [0]) == pytest.approx(-1e-7, rel=1e-5)


def test_padding_label_minus_100_suggests_ignore_index():
    with pytest.raises(ValueError, match=r"pass ignore_index=-100"):
        sce.cross_entropy(np.zeros((2, 3)), [0, -100])
    assert sce.cross_entropy(np.zeros((2, 3)), [0, -100], ignore_index=-100) == pytest.approx(
        np.log(3.0), rel=1e-15)


def test_entropy_of_a_scalar_asks_for_probabilities_not_logits():
    with pytest.raises(ValueError, match=r"^p: .*array of probabilities$"):
        sce.entropy(0.5)


def test_probability_sum_message_prints_a_plain_number():
    with pytest.raises(ValueError, match=r"found a sum of 0\.9$"):
        sce.entropy([0.5, 0.4])


# --- one rule for what a function returns --------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: sce.logsumexp(np.array([0.0, 1.0])),
    lambda: sce.cross_entropy(np.array([0.0, 1.0]), np.array(1), reduction="none"),
    lambda: sce.nll_loss(np.log([0.5, 0.5]), np.array(0), reduction="none"),
    lambda: sce.cross_entropy(np.zeros((2, 3)), [0, 1]),
    lambda: sce.entropy([0.5, 0.5]),
    lambda: sce.kl_divergence([0.5, 0.5], [0.9, 0.1]),
    lambda: sce.binary_cross_entropy_with_logits(np.zeros(3), np.ones(3)),
    lambda: sce.linear_cross_entropy(np.ones(2), np.eye(2), np.array(1), reduction="none"),
], ids=["logsumexp_1d", "ce_none_one_sample", "nll_none_one_sample", "ce_mean", "entropy_1d",
        "kl_1d", "bce_mean", "linear_ce_one_token"])
def test_a_result_with_no_axes_is_a_numpy_scalar_that_json_accepts(call):
    import json

    result = call()
    assert isinstance(result, np.float64) and not isinstance(result, np.ndarray)
    json.dumps(result)


def test_a_result_with_axes_stays_an_array():
    assert isinstance(sce.logsumexp(np.zeros((1, 2))), np.ndarray)
    assert sce.logsumexp(np.zeros(2), keepdims=True).shape == (1,)
