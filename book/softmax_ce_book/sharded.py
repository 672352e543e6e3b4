r"""Vocabulary-parallel cross-entropy, simulated in NumPy (chapter 5).

In tensor-parallel training the output layer's vocabulary of :math:`K` words (the classes) is
split over :math:`R` devices (Megatron-LM, Shoeybi et al. 2019): device :math:`r` holds the
logits :math:`Z_{[r]}` of its own words only. No device ever sees a whole row. Each reduces its
shard to a pair per token, :math:`(m_r, s_r) = (\max_j Z_{[r], j},\ \sum_j e^{Z_{[r], j} -
m_r})`, and the pairs are combined with the online-softmax merge
:math:`(m, s) \oplus (m', s') = (M, s e^{m - M} + s' e^{m' - M})`, :math:`M = \max(m, m')`
(:func:`softmax_ce.symbolic.derive_online_softmax_merge`): what an all-reduce of the pairs
computes. The target logit is taken from the one shard that holds the target word (the
others contribute 0 to a sum-all-reduce). Then every device has the row's
:math:`\operatorname{logsumexp} = M + \log S`, hence the loss, and computes its own slice of
the gradient :math:`e^{Z_{[r]} - \operatorname{logsumexp}} - Y_{[r]}` without communicating
again.

Here the "devices" are slices of one array, visited in any order; the point is that only
pairs cross the shard boundary. Megatron-LM itself all-reduces the maximum first and then the
sum of :math:`e^{Z - M}` (two collectives over the same pairs); the merge is the one-pass
form of the same reduction.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ShardedCrossEntropy", "merge_pairs", "shard_pair", "sharded_cross_entropy"]


class ShardedCrossEntropy(NamedTuple):
    """Result of :func:`sharded_cross_entropy`.

    Attributes
    ----------
    loss : float
        Mean cross-entropy over the tokens.
    grad : numpy.ndarray, shape (N, K)
        Gradient of the mean loss with respect to the logits, assembled from the shards' slices.
    log_sum_exp : numpy.ndarray, shape (N,)
        ``M + log S`` of the merged pairs.
    pairs : list of tuple of numpy.ndarray
        Each shard's ``(m_r, s_r)``, shape (N,) each, in shard order (what crosses devices).
    """

    loss: float
    grad: np.ndarray
    log_sum_exp: np.ndarray
    pairs: list[tuple[np.ndarray, np.ndarray]]


def shard_pair(logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reduce one shard's logits, shape (N, K_r), to its pair per row ``(max, sum exp(z - max))``.

    A row that is all ``-inf`` (an empty or fully masked shard) gives the identity
    ``(-inf, 0)``.

    Examples
    --------
    >>> m, s = shard_pair(np.array([[0.0, np.log(3.0)], [-np.inf, -np.inf]]))
    >>> m.tolist(), np.round(s, 12).tolist()
    ([1.0986122886681098, -inf], [1.333333333333, 0.0])
    """
    m = logits.max(axis=1)
    shift = np.where(np.isneginf(m), 0.0, m)  # an empty row: no (-inf) - (-inf)
    return m, np.exp(logits - shift[:, None]).sum(axis=1)


def merge_pairs(a: tuple[np.ndarray, np.ndarray],
                b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    r"""The online-softmax merge of two pairs, elementwise: :math:`(M, s e^{m-M} + s' e^{m'-M})`.

    Where both maxima are ``-inf`` the result is the identity ``(-inf, 0)``.

    Examples
    --------
    >>> M, S = merge_pairs((np.array([2.0]), np.array([1.0])), (np.array([0.0]), np.array([1.0])))
    >>> M.tolist(), bool(np.isclose(S[0], 1 + np.exp(-2.0)))
    ([2.0], True)
    """
    (m, s), (m2, s2) = a, b
    M = np.maximum(m, m2)
    shift = np.where(np.isneginf(M), 0.0, M)
    return M, s * np.exp(m - shift) + s2 * np.exp(m2 - shift)


def sharded_cross_entropy(logits: ArrayLike, target: ArrayLike, num_shards: int,
                          order: ArrayLike | None = None) -> ShardedCrossEntropy:
    """Mean cross-entropy and its gradient with the vocabulary split into ``num_shards`` shards.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Float64 logits; the columns are split into ``num_shards`` contiguous shards
        (``numpy.array_split``: sizes differ by at most one, as with a padded vocabulary).
    target : array_like of int, shape (N,)
        Class indices in ``[0, K)``.
    num_shards : int
        ``R``, the number of devices, between 1 and ``K``.
    order : array_like of int, optional
        The order in which the shards' pairs are merged (a permutation of ``range(R)``);
        default shard order. Any order gives the same result, up to rounding.

    Returns
    -------
    ShardedCrossEntropy

    Raises
    ------
    ValueError
        If ``logits`` is not 2-d, ``target``'s shape is not ``(N,)``, ``num_shards`` is not in
        ``[1, K]`` or ``order`` is not a permutation of ``range(num_shards)``.

    Examples
    --------
    >>> from softmax_ce import cross_entropy
    >>> rng = np.random.default_rng(0)
    >>> z, y = rng.normal(size=(4, 10)), np.array([0, 9, 3, 3])
    >>> result = sharded_cross_entropy(z, y, num_shards=3, order=[2, 0, 1])
    >>> bool(np.isclose(result.loss, cross_entropy(z, y), rtol=1e-14))
    True
    """
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(target)
    if z.ndim != 2:
        raise ValueError(f"logits: expected shape (N, K), got {z.shape}")
    n, vocab = z.shape
    if y.shape != (n,):
        raise ValueError(f"target: expected shape ({n},), got {y.shape}")
    if not 1 <= num_shards <= vocab:
        raise ValueError(f"num_shards: expected 1 <= R <= K = {vocab}, got {num_shards}")
    order = np.arange(num_shards) if order is None else np.asarray(order)
    if sorted(order.tolist()) != list(range(num_shards)):
        raise ValueError(f"order: expected a permutation of range({num_shards}), got {order}")
    columns = np.array_split(np.arange(vocab), num_shards)
    shards = [z[:, c] for c in columns]  # what device r holds

    pairs = [shard_pair(shard) for shard in shards]  # computed on each device
    merged = (np.full(n, -np.inf), np.zeros(n))  # the identity: no block seen yet
    for r in order:  # the all-reduce, in any order
        merged = merge_pairs(merged, pairs[r])
    log_sum_exp = merged[0] + np.log(merged[1])
    target_logit = np.zeros(n)  # a sum-all-reduce: only the owning shard adds its logit
    for c, shard in zip(columns, shards):
        mine = (y >= c[0]) & (y <= c[-1])
        target_logit[mine] += shard[mine, y[mine] - c[0]]

    grad_slices = []  # each device's own columns of the gradient, no further communication
    for c, shard in zip(columns, shards):
        g = np.exp(shard - log_sum_exp[:, None])
        mine = (y >= c[0]) & (y <= c[-1])
        g[mine, y[mine] - c[0]] -= 1.0
        grad_slices.append(g / n)
    loss = float(np.mean(log_sum_exp - target_logit))
    return ShardedCrossEntropy(loss, np.concatenate(grad_slices, axis=1), log_sum_exp, pairs)
