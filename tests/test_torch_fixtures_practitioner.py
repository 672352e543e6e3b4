"""The practitioner API of issue 11/9 has torch's semantics: KL divergence as ``F.kl_div``,
weighted binary cross-entropy and its gradient as ``F.binary_cross_entropy_with_logits`` with
autograd, and the chunked linear cross-entropy as ``F.cross_entropy(F.linear(...))`` with its
autograd gradients. References: values torch computed, stored in tests/fixtures/torch/ by
scripts/make_torch_fixtures.py (the file records the torch version and each exact call)."""

from __future__ import annotations

import numpy as np
import pytest
from _torch_fixtures import load_cases

import softmax_ce as sce

#: float64: the two libraries differ by rounding only; float32: about 8 float32 ulps.
RTOL = {np.dtype("float64"): 1e-12, np.dtype("float32"): 1e-6}


def _tol(case):
    return RTOL[case.args[0].dtype]


@pytest.mark.parametrize("case", load_cases("kl_div"), ids=str)
def test_kl_divergence_matches_torch_kl_div(case):
    p, log_q = case.args
    reduction, log_target = case.kwargs["reduction"], case.kwargs["log_target"]
    got = sce.kl_divergence(p, log_q, p_form="log_probs" if log_target else "probs",
                            q_form="log_probs", reduction=reduction)
    expected = case.expected["value"]
    if reduction == "none":  # torch returns the elementwise terms: the divergence is their sum
        expected = expected.astype(np.float64).sum(axis=-1)
    np.testing.assert_allclose(got, expected, rtol=_tol(case), atol=1e-6 * _tol(case))
    assert np.asarray(got).dtype == p.dtype


def test_confident_student_fixture_is_the_exact_value():
    (case,) = [c for c in load_cases("kl_div") if c.id.startswith("confident-student")]
    assert float(case.expected["value"]) == pytest.approx(7.196e-11, rel=1e-3)


@pytest.mark.parametrize("case", load_cases("binary_cross_entropy_with_logits_weighted"), ids=str)
def test_weighted_bce_and_gradient_match_torch(case):
    logits, target = case.args
    kwargs = dict(case.kwargs)
    value = sce.binary_cross_entropy_with_logits(logits, target, **kwargs)
    grad = sce.binary_cross_entropy_with_logits_grad(logits, target, **kwargs)
    np.testing.assert_allclose(value, case.expected["value"], rtol=_tol(case))
    np.testing.assert_allclose(grad, case.expected["grad"], rtol=_tol(case),
                               atol=_tol(case) * np.abs(case.expected["grad"]).max())
    assert grad.dtype == logits.dtype


@pytest.mark.parametrize("chunk_size", [None, 5])
@pytest.mark.parametrize("case", load_cases("linear_cross_entropy"), ids=str)
def test_linear_cross_entropy_and_gradients_match_torch_autograd(case, chunk_size):
    hidden, weight, target = case.args
    kwargs = dict(case.kwargs, chunk_size=chunk_size)
    loss, g_hidden, g_weight, g_bias = sce.linear_cross_entropy_value_and_grad(
        hidden, weight, target, **kwargs)
    # logits of 1e4 in float32 carry an absolute rounding error of about 1e4 * eps32 each
    big = "logits=1e4" in case.id
    atol_loss = 4 * 1e4 * np.finfo(hidden.dtype).eps if big else 0.0
    np.testing.assert_allclose(loss, case.expected["value"], rtol=_tol(case), atol=atol_loss)
    np.testing.assert_allclose(sce.linear_cross_entropy(hidden, weight, target, **kwargs),
                               case.expected["value"], rtol=_tol(case), atol=atol_loss)
    for name, got in (("hidden", g_hidden), ("weight", g_weight), ("bias", g_bias)):
        key = f"grad_{name}"
        if key not in case.expected:
            assert got is None
            continue
        expected = case.expected[key]
        scale = np.abs(expected).max()
        np.testing.assert_allclose(got, expected, rtol=_tol(case), atol=_tol(case) * scale)
        assert got.dtype == hidden.dtype
