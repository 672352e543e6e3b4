"""The online-softmax merge (chapter 5): the SymPy proof, its ability to fail, and NumPy.

The derivation is :func:`softmax_ce.symbolic.derive_online_softmax_merge`. Reference values
here come from SymPy (``sympy.lambdify`` of the derived merge) and from the package's
:func:`softmax_ce.logsumexp` (itself tested against mpmath), on seeded inputs that include
``-inf`` (an empty or fully masked block).
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest
import sympy as sp

import softmax_ce as sce
from softmax_ce.symbolic import (
    DerivationError,
    derive_online_softmax_merge,
    online_softmax_merge,
)


@pytest.fixture(scope="module")
def derivation():
    return derive_online_softmax_merge()


@pytest.mark.claim("ch5.merge-rule")
def test_every_step_is_checked_on_both_branches_and_all_six_orderings(derivation):
    claims = [step.claim for step in derivation.steps]
    for branch in ("m_1 >= m_2", "m_1 < m_2"):
        assert sum(f"the branch {branch}" in c for c in claims) == 4  # M, exponents, value, order
    assert sorted(derivation.orderings) == sorted(
        [(1, 2, 3), (1, 3, 2), (2, 1, 3), (2, 3, 1), (3, 1, 2), (3, 2, 1)])
    assert sum("= (max m, sum_k" in c for c in claims) == 12  # 6 orderings x 2 bracketings
    assert derivation.identity == (-sp.oo, 0)


def _forgets_to_rescale(a, b):
    return sp.Max(a[0], b[0]), a[1] + b[1]


def _shifts_by_the_minimum(a, b):  # exact in value, but exp(m - min) overflows
    low = sp.Min(a[0], b[0])
    return low, a[1] * sp.exp(a[0] - low) + b[1] * sp.exp(b[0] - low)


def _rescales_the_wrong_way(a, b):
    M = sp.Max(a[0], b[0])
    return M, a[1] * sp.exp(M - a[0]) + b[1] * sp.exp(M - b[0])


def _not_associative(a, b):  # averages the sums: commutative, has no identity, not exact
    M = sp.Max(a[0], b[0])
    return M, (a[1] * sp.exp(a[0] - M) + b[1] * sp.exp(b[0] - M)) / 2


@pytest.mark.parametrize("wrong", [_forgets_to_rescale, _shifts_by_the_minimum,
                                   _rescales_the_wrong_way, _not_associative])
def test_a_wrong_merge_rule_fails_the_derivation(wrong):
    with pytest.raises(DerivationError):
        derive_online_softmax_merge(wrong)


def test_a_rule_right_only_when_the_first_maximum_is_larger_fails():
    def always_shift_by_first(a, b):  # exact in value, but e^(m' - m) overflows when m < m'
        return a[0], a[1] + b[1] * sp.exp(b[0] - a[0])

    with pytest.raises(DerivationError, match="branch"):
        derive_online_softmax_merge(always_shift_by_first)


def _pairs(rng, n, empty_every=0):
    """Seeded pairs (m, s) of random blocks; every ``empty_every``-th one is empty (-inf, 0)."""
    m = rng.normal(scale=30.0, size=n)
    s = rng.uniform(1.0, 50.0, size=n)  # s >= 1: the block's maximum itself contributes 1
    if empty_every:
        m[::empty_every], s[::empty_every] = -np.inf, 0.0
    return m, s


def test_lambdified_merge_matches_logsumexp_including_minus_inf(derivation, rng):
    d = derivation
    merged = sp.lambdify((d.m[0], d.s[0], d.m[1], d.s[1]), d.merged, "numpy")
    m1, s1 = _pairs(rng, 200, empty_every=5)
    m2, s2 = _pairs(rng, 200)
    M, S = merged(m1, s1, m2, s2)
    # reference: the package's logsumexp of the two blocks' own log-sum-exps, m + log s
    with np.errstate(divide="ignore"):  # log 0 = -inf for the empty blocks, on purpose
        parts = np.stack([m1 + np.log(s1), m2 + np.log(s2)], axis=-1)
    np.testing.assert_allclose(M + np.log(S), sce.logsumexp(parts), rtol=1e-14)
    assert np.all(S >= 1) and np.all(M == np.maximum(m1, m2))
    assert np.isneginf(m1).sum() == 40  # the -inf rows were really exercised


def test_identity_merged_with_itself_stays_the_identity_numerically():
    m, s = online_softmax_merge((-sp.oo, sp.S.Zero), (-sp.oo, sp.S.Zero))
    assert m == -sp.oo and s == 0
    assert float(sce.logsumexp([-np.inf, -np.inf])) == -np.inf  # the package agrees


def test_any_grouping_and_order_of_blocks_gives_the_row_logsumexp(derivation, rng):
    d = derivation
    merged = sp.lambdify((d.m[0], d.s[0], d.m[1], d.s[1]), d.merged, "numpy")
    z = rng.normal(scale=20.0, size=(4, 60))
    z[1, :25] = -np.inf  # a masked prefix: the first blocks are empty
    blocks = np.array_split(np.arange(60), 7)
    for order in (range(7), reversed(range(7)), rng.permutation(7)):
        pairs = []
        for k in order:
            with np.errstate(invalid="ignore"):  # an all -inf block: max - max is nan, unused
                m = z[:, blocks[k]].max(axis=1)
                s = np.exp(z[:, blocks[k]] - np.where(np.isneginf(m), 0, m)[:, None]).sum(1)
            pairs.append((m, s))
        with np.errstate(invalid="ignore"):  # two empty blocks: the generic form gives nan
            M, S = reduce(lambda a, b: _numeric(merged, a, b), pairs)
        np.testing.assert_allclose(M + np.log(S), sce.logsumexp(z), rtol=1e-13)


def _numeric(merged, a, b):
    """The lambdified merge, with the identity convention where both maxima are -inf."""
    M, S = merged(a[0], a[1], b[0], b[1])
    both_empty = np.isneginf(a[0]) & np.isneginf(b[0])
    return M, np.where(both_empty, 0.0, S)


@pytest.mark.claim("ch5.package-blocks")
def test_package_word_blocks_merge_like_the_derivation(rng):
    from softmax_ce.linear_cross_entropy import BLOCK_BYTES

    chunk = 2**20  # tokens per block: leaves BLOCK_BYTES // (chunk * 8) = 8 words per block
    words = BLOCK_BYTES // (chunk * 8)
    assert 1 < words < 40
    H, W = rng.normal(size=(6, 5)), rng.normal(scale=3.0, size=(40, 5))
    y = rng.integers(0, 40, size=6)
    blocked = sce.linear_cross_entropy(H, W, y, reduction="none", chunk_size=chunk)
    np.testing.assert_allclose(blocked, sce.cross_entropy(H @ W.T, y, reduction="none"),
                               rtol=1e-13)
