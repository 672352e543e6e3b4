"""``where=`` masks (issue 9): masked entries give exactly 0 / -inf and never affect their row,
whatever they hold; a row with no kept entry is all 0 (softmax), all -inf (log_softmax), -inf
(logsumexp) — jax.nn.softmax's semantics. References: the same functions on the kept entries
alone (the package, itself tested against mpmath and SciPy), and SciPy on the kept entries."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import softmax_ce as sce

GARBAGE = [np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0]


def _rows_with_garbage(rng, n=40, k=7):
    x = 3 * rng.normal(size=(n, k))
    keep = rng.uniform(size=(n, k)) < 0.6
    keep[0] = False           # a fully masked row
    keep[1] = True            # a row with nothing masked
    keep[2] = [True] + [False] * (k - 1)  # one kept entry
    garbage = rng.choice(GARBAGE, size=(n, k))
    return np.where(keep, x, garbage), keep


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_masked_softmax_equals_softmax_of_the_kept_entries(rng, dtype):
    x, keep = _rows_with_garbage(rng)
    with np.errstate(over="ignore"):  # garbage 1e308 becomes inf in float32: still garbage
        x = x.astype(dtype)
    p = sce.softmax(x, where=keep)
    lp = sce.log_softmax(x, where=keep)
    lse = sce.logsumexp(x, where=keep)
    assert p.dtype == lp.dtype == lse.dtype == dtype
    for row in range(len(x)):
        kept = keep[row]
        assert np.all(p[row][~kept] == 0) and np.all(np.isneginf(lp[row][~kept]))
        if not kept.any():
            assert np.all(p[row] == 0) and np.isneginf(lse[row])
            continue
        ref = scipy.special.softmax(x[row][kept].astype(np.float64))  # SciPy reference
        np.testing.assert_allclose(p[row][kept], ref, rtol=8 * np.finfo(dtype).eps)
        # the masked entries add exact zeros to the sums: equal up to summation order
        tol = 4 * np.finfo(dtype).eps
        np.testing.assert_allclose(p[row][kept], sce.softmax(x[row][kept]), rtol=tol)
        np.testing.assert_allclose(lp[row][kept], sce.log_softmax(x[row][kept]), rtol=tol,
                                   atol=tol)
        np.testing.assert_allclose(lse[row], sce.logsumexp(x[row][kept]), rtol=tol, atol=tol)


def test_a_fully_masked_row_is_zero_not_nan_and_its_neighbours_are_untouched():
    x = np.array([[np.nan, np.inf], [1.0, 2.0]])
    keep = np.array([[False, False], [True, True]])
    np.testing.assert_array_equal(sce.softmax(x, where=keep),
                                  [[0.0, 0.0], sce.softmax([1.0, 2.0])])
    np.testing.assert_array_equal(sce.log_softmax(x, where=keep)[0], [-np.inf, -np.inf])
    np.testing.assert_array_equal(sce.logsumexp(x, where=keep),
                                  [-np.inf, sce.logsumexp([1.0, 2.0])])
    # without the mask, the torch idiom (fill with -inf) gives nan for the empty row
    assert np.isnan(sce.softmax(np.full(2, -np.inf))).all()


def test_causal_mask_broadcasts_over_batch_and_heads(rng):
    scores = rng.normal(size=(2, 3, 5, 5))  # (batch, heads, queries, keys)
    causal = np.tril(np.ones((5, 5), bool))  # query i sees keys 0..i
    p = sce.softmax(scores, where=causal)
    assert np.all(p[..., ~causal] == 0)
    np.testing.assert_allclose(p.sum(-1), 1, rtol=1e-15)
    np.testing.assert_array_equal(p[..., 0, 0], 1.0)


def test_mask_along_another_axis(rng):
    x = rng.normal(size=(4, 6))
    keep = rng.uniform(size=(4, 6)) < 0.5
    np.testing.assert_array_equal(sce.softmax(x.T, axis=0, where=keep.T),
                                  sce.softmax(x, where=keep).T)


def test_temperature_applies_to_the_kept_entries_only(rng):
    x, keep = _rows_with_garbage(rng)
    p = sce.softmax(x, temperature=2.5, where=keep)
    np.testing.assert_array_equal(p[3][keep[3]], sce.softmax(x[3][keep[3]], temperature=2.5))


def test_masked_jvp_and_jacobian_are_those_of_the_kept_entries(rng):
    x, keep = _rows_with_garbage(rng, n=12, k=5)
    v = np.where(keep, rng.normal(size=x.shape), np.nan)  # v may hold garbage where masked
    jvp = sce.softmax_jvp(x, v, where=keep)
    jac = sce.softmax_jacobian(x, where=keep)
    for row in range(len(x)):
        kept = keep[row]
        assert np.all(jvp[row][~kept] == 0)
        assert np.all(jac[row][~kept] == 0) and np.all(jac[row][:, ~kept] == 0)
        if kept.any():
            np.testing.assert_allclose(jvp[row][kept],
                                       sce.softmax_jvp(x[row][kept], v[row][kept]), rtol=1e-15)
            np.testing.assert_allclose(jac[row][np.ix_(kept, kept)],
                                       sce.softmax_jacobian(x[row][kept]), rtol=1e-15)


def test_mask_is_not_modified_and_inputs_are_not_modified(rng):
    x, keep = _rows_with_garbage(rng)
    x0, keep0 = x.copy(), keep.copy()
    sce.softmax(x, where=keep)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(keep, keep0)


@pytest.mark.parametrize("func", [sce.softmax, sce.log_softmax, sce.logsumexp])
def test_where_must_be_boolean_and_broadcastable(func):
    with pytest.raises(TypeError, match=r"^where: .*boolean"):
        func(np.zeros((2, 3)), where=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^where: .*broadcast"):
        func(np.zeros((2, 3)), where=np.ones((3, 2), bool))
    with pytest.raises(ValueError, match=r"^where: .*broadcast"):
        func(np.zeros((2, 3)), where=np.ones((2, 2, 3), bool))  # would enlarge x
