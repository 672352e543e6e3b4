"""linear_cross_entropy equals the cross-entropy of the materialised logits
``hidden @ weight.T + bias`` (and so torch's ``F.cross_entropy(F.linear(...))``), for every
block size, with its gradients; the references are the package's own materialised path (tested
against mpmath and torch elsewhere) and an independent float64 computation written out here."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import softmax_ce as sce


def _reference(H, W, b, y, ignore_index=None, reduction="mean"):
    """Loss and gradients from the materialised logits, in float64 with scipy (reference)."""
    H, W = H.astype(np.float64), W.astype(np.float64)
    Z = H @ W.T + (0 if b is None else b.astype(np.float64))
    keep = np.ones(len(y), bool) if ignore_index is None else y != ignore_index
    safe = np.where(keep, y, 0)
    lse = scipy.special.logsumexp(Z, axis=1)
    losses = np.where(keep, lse - Z[np.arange(len(y)), safe], 0.0)
    G = scipy.special.softmax(Z, axis=1)
    G[np.arange(len(y)), safe] -= 1
    G[~keep] = 0
    if reduction == "mean":
        loss, G = losses.sum() / keep.sum(), G / keep.sum()
    elif reduction == "sum":
        loss = losses.sum()
    else:
        loss = losses
    return loss, G @ W, G.T @ H, G.sum(0)


def _problem(rng, n=37, d=5, v=23, scale=1.0):
    H = scale * rng.normal(size=(n, d))
    W = rng.normal(size=(v, d))
    b = rng.normal(size=v)
    y = rng.integers(0, v, size=n)
    return H, W, b, y


@pytest.mark.parametrize("chunk_size", [None, 1, 5, 36, 37, 1000])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("with_bias", [True, False])
def test_loss_and_gradients_equal_the_materialised_path(rng, chunk_size, reduction, with_bias):
    H, W, b, y = _problem(rng)
    b = b if with_bias else None
    loss, gH, gW, gb = _reference(H, W, b, y, reduction=reduction)
    kw = dict(bias=b, reduction=reduction, chunk_size=chunk_size)
    np.testing.assert_allclose(sce.linear_cross_entropy(H, W, y, **kw), loss, rtol=1e-13)
    value, *grads = sce.linear_cross_entropy_value_and_grad(H, W, y, **kw)
    np.testing.assert_allclose(value, loss, rtol=1e-13)
    for got, expected in zip(grads, (gH, gW, gb)):
        if expected is None or not with_bias and got is None:
            assert got is None
            continue
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    for got, expected in zip(sce.linear_cross_entropy_grad(H, W, y, **kw), grads):
        assert (got is None and expected is None) or np.array_equal(got, expected)


def test_ignore_index_leaves_tokens_out_of_loss_gradient_and_mean(rng):
    H, W, b, y = _problem(rng)
    y[::3] = -100
    loss, gH, gW, gb = _reference(H, W, b, y, ignore_index=-100)
    value, *grads = sce.linear_cross_entropy_value_and_grad(H, W, y, bias=b, ignore_index=-100,
                                                            chunk_size=4)
    np.testing.assert_allclose(value, loss, rtol=1e-13)
    np.testing.assert_array_equal(grads[0][::3], 0.0)
    for got, expected in zip(grads, (gH, gW, gb)):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_every_token_ignored_gives_nan_mean_without_warning(rng):
    H, W, b, y = _problem(rng, n=4)
    assert np.isnan(sce.linear_cross_entropy(H, W, np.full(4, -1), ignore_index=-1))


@pytest.mark.parametrize("magnitude", [1e2, 1e4])
def test_logits_of_magnitude_1e4_in_float32_stay_accurate(rng, magnitude):
    H, W, b, y = _problem(rng, n=16, d=8, v=50)
    H = (H / np.abs(H @ W.T).max() * magnitude).astype(np.float32)
    W32 = W.astype(np.float32)
    loss, gH, gW, _ = _reference(H, W32, None, y)
    value, *grads = sce.linear_cross_entropy_value_and_grad(H, W32, y, chunk_size=3)
    assert value.dtype == np.float32 and grads[0].dtype == grads[1].dtype == np.float32
    # float32 logits of size M carry an absolute rounding error of about M * eps32
    assert abs(float(value) - loss) <= 16 * magnitude * np.finfo(np.float32).eps
    np.testing.assert_allclose(grads[1], gW, atol=1e-3 * np.abs(gW).max())


def test_leading_dimensions_are_flattened_like_torch_linear(rng):
    H, W, b, y = _problem(rng, n=12)
    H3, y3 = H.reshape(3, 4, -1), y.reshape(3, 4)
    per_token = sce.linear_cross_entropy(H3, W, y3, bias=b, reduction="none")
    assert per_token.shape == (3, 4)
    np.testing.assert_allclose(per_token.ravel(), _reference(H, W, b, y, reduction="none")[0],
                               rtol=1e-13)
    assert sce.linear_cross_entropy_grad(H3, W, y3, bias=b)[0].shape == (3, 4, 5)


def test_online_merge_of_word_blocks_matches_one_block(rng, monkeypatch):
    import sys

    lce = sys.modules["softmax_ce.linear_cross_entropy"]  # the module, not the function
    H, W, b, y = _problem(rng, n=9, v=101)
    whole = sce.linear_cross_entropy(H, W, y, bias=b, reduction="none")
    monkeypatch.setattr(lce, "BLOCK_BYTES", 3 * 8 * 7)  # blocks of 3 tokens x 7 words
    blocked = sce.linear_cross_entropy(H, W, y, bias=b, reduction="none", chunk_size=3)
    np.testing.assert_allclose(blocked, whole, rtol=1e-14)


def test_inputs_are_not_modified(rng):
    H, W, b, y = _problem(rng)
    copies = [a.copy() for a in (H, W, b, y)]
    sce.linear_cross_entropy_value_and_grad(H, W, y, bias=b, chunk_size=7)
    for a, c in zip((H, W, b, y), copies):
        np.testing.assert_array_equal(a, c)
