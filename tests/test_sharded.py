"""Vocabulary-parallel cross-entropy simulated over P shards equals the single-array result.

Reference values: the package's ``cross_entropy``, ``cross_entropy_grad`` and ``logsumexp`` on
the whole ``(N, V)`` array (themselves tested against mpmath).
"""

from __future__ import annotations

import numpy as np
import pytest

import softmax_ce as sce
from softmax_ce_book.sharded import merge_pairs, shard_pair, sharded_cross_entropy


@pytest.mark.claim("ch5.sharded-equals-single")
@pytest.mark.parametrize("num_shards", [1, 2, 3, 7, 50])
def test_sharded_loss_and_gradient_equal_the_single_array(rng, num_shards):
    z = rng.normal(scale=8.0, size=(12, 50))
    y = rng.integers(0, 50, size=12)
    result = sharded_cross_entropy(z, y, num_shards, order=rng.permutation(num_shards))
    np.testing.assert_allclose(result.loss, sce.cross_entropy(z, y), rtol=1e-14)
    np.testing.assert_allclose(result.grad, sce.cross_entropy_grad(z, y), rtol=1e-12,
                               atol=1e-17)
    np.testing.assert_allclose(result.log_sum_exp, sce.logsumexp(z), rtol=1e-14)
    assert len(result.pairs) == num_shards


def test_huge_logits_and_an_all_minus_inf_shard(rng):
    z = rng.normal(scale=1e4, size=(5, 12))
    z[:, 8:] = -np.inf  # a shard of padding words: its pair is the identity (-inf, 0)
    y = rng.integers(0, 8, size=5)
    result = sharded_cross_entropy(z, y, num_shards=3)
    m_pad, s_pad = result.pairs[2]
    assert np.all(np.isneginf(m_pad)) and np.all(s_pad == 0)
    np.testing.assert_allclose(result.loss, sce.cross_entropy(z, y), rtol=1e-13)
    np.testing.assert_array_equal(result.grad[:, 8:], 0.0)


def test_merge_has_the_identity_and_does_not_depend_on_order(rng):
    a = shard_pair(rng.normal(size=(3, 4)))
    b = shard_pair(rng.normal(size=(3, 6)))
    empty = (np.full(3, -np.inf), np.zeros(3))
    for left, right in [(empty, a), (a, empty)]:
        m, s = merge_pairs(left, right)
        np.testing.assert_array_equal(m, a[0])
        np.testing.assert_allclose(s, a[1], rtol=1e-15)
    m, s = merge_pairs(empty, empty)
    assert np.all(np.isneginf(m)) and np.all(s == 0)
    np.testing.assert_allclose(merge_pairs(a, b)[1], merge_pairs(b, a)[1], rtol=1e-15)


@pytest.mark.parametrize("bad, match", [
    (dict(num_shards=0), "num_shards"),
    (dict(num_shards=11), "num_shards"),
    (dict(num_shards=2, order=[0, 0]), "order"),
    (dict(num_shards=2, target=np.zeros(3, int)), "target"),
    (dict(num_shards=2, logits=np.zeros(10)), "logits"),
])
def test_bad_input_names_the_argument(bad, match):
    args = dict(logits=np.zeros((4, 10)), target=np.zeros(4, int))
    args.update(bad)
    with pytest.raises(ValueError, match=match):
        sharded_cross_entropy(**args)
