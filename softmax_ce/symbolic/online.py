r"""Online softmax: the pairs ``(m, s)`` of a log-sum-exp and their merge, derived in SymPy.

A block of logits ``z_1 ... z_n`` is summarised by the pair ``(m, s)`` with ``m = max_k z_k``
and ``s = sum_k exp(z_k - m)``: the pair stands for the number ``s * exp(m)`` (the sum of
``exp(z_k)``), so ``logsumexp(z) = m + log s``. Two pairs combine with

    (m, s) (+) (m', s') = (M, s exp(m - M) + s' exp(m' - M)),   M = max(m, m'),

(Milakov & Gimelshein 2018). Reading one logit at a time, ``(m, s) (+) (z, 1)`` is the
one-pass recurrence of the online softmax. :func:`derive_online_softmax_merge` proves, with
the maximum resolved on each branch (``max`` is not smooth, so no proof may differentiate or
simplify through it):

* the merged pair stands for the sum of the two numbers, on both branches ``m >= m'`` and
  ``m < m'``, and its exponents are ``<= 0`` there (nothing overflows);
* the merge is commutative on both branches;
* it is associative: for each of the ``3! = 6`` orderings of ``m_1, m_2, m_3`` (ties
  included), both bracketings equal the one-shot pair ``(max_k m_k, sum_k s_k exp(m_k - max))``;
* ``(-oo, 0)``, the pair of an empty block, is its identity on both sides, also merged with
  itself (the shift is then 0 instead of ``M = -oo``, as in the package, so that no
  ``(-oo) - (-oo)`` arises).

Associativity and commutativity are what let blocks (of a row, or of a vocabulary split over
devices) be reduced in any grouping and any order.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

import sympy as sp

from .record import Derivation

__all__ = ["derive_online_softmax_merge", "online_softmax_merge"]

Pair = tuple[sp.Expr, sp.Expr]

#: The pair of an empty block: no maximum, an empty sum.
IDENTITY: Pair = (sp.S.NegativeInfinity, sp.S.Zero)


def online_softmax_merge(a: Pair, b: Pair) -> Pair:
    r"""Merge two log-sum-exp pairs: :math:`(M, s e^{m - M} + s' e^{m' - M})`, :math:`M = \max`.

    Parameters
    ----------
    a, b : tuple of two SymPy expressions
        Pairs ``(m, s)``: a running maximum and the sum of ``exp(z - m)`` over a block.

    Returns
    -------
    tuple of two SymPy expressions
        The pair of the two blocks together. When both maxima are ``-oo`` (two empty blocks)
        the exponentials are shifted by 0 instead of by ``M``, as the package does, so the
        result is ``(-oo, s + s')`` times ``exp(-oo) = 0``, i.e. ``(-oo, 0)``.

    Examples
    --------
    >>> import sympy as sp
    >>> m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    >>> online_softmax_merge((m, s), (-sp.oo, 0))
    (m, s)
    >>> online_softmax_merge((sp.Integer(2), sp.Integer(1)), (sp.Integer(0), sp.Integer(1)))
    (2, exp(-2) + 1)
    """
    (m, s), (m2, s2) = a, b
    M = sp.Max(m, m2)
    shift = sp.S.Zero if M is sp.S.NegativeInfinity else M
    return M, s * sp.exp(m - shift) + s2 * sp.exp(m2 - shift)


def _value(pair: Pair) -> sp.Expr:
    """The number a pair stands for: ``s * exp(m)`` (the sum of ``exp(z_k)`` over its block)."""
    return pair[1] * sp.exp(pair[0])


def _residual(p: Pair, q: Pair) -> sp.Matrix:
    return sp.Matrix([p[0] - q[0], p[1] - q[1]])


def derive_online_softmax_merge(
    merge: Callable[[Pair, Pair], Pair] = online_softmax_merge,
) -> Derivation:
    r"""Prove that the online-softmax merge is exact, commutative, associative, with identity.

    Parameters
    ----------
    merge : callable, optional
        The rule under test, ``merge((m, s), (m', s')) -> (M, S)``; default
        :func:`online_softmax_merge`. Passing a wrong rule makes a step fail (that is how the
        checks are shown to be able to fail).

    Returns
    -------
    Derivation
        ``m`` (``m_1, m_2, m_3``, real), ``s`` (``s_1, s_2, s_3``, positive); ``pairs``
        (``(m_k, s_k)``); ``identity`` (``(-oo, 0)``); ``merged`` (the generic pair
        ``(m_1, s_1) (+) (m_2, s_2)``, with ``Max`` unresolved, for ``lambdify``);
        ``log_sum_exp`` (``M + log S`` of ``merged``); ``z``, ``recurrence`` (one step of the
        one-pass algorithm, ``(m_1, s_1) (+) (z, 1)``); ``branches`` (dict: branch name ->
        the merged pair with the maximum resolved); ``orderings`` (the 6 orderings checked for
        associativity, as tuples of 1-based indices, largest first).

    Raises
    ------
    softmax_ce.symbolic.DerivationError
        If a step cannot be confirmed (e.g. for a wrong ``merge``).

    Notes
    -----
    Each branch is written without ``max``: for ``m >= m'`` put ``m = t``, ``m' = t - delta``
    with ``delta >= 0``; for ``m < m'`` put ``m = t - delta``, ``m' = t`` with ``delta > 0``.
    SymPy then resolves ``Max`` exactly from the assumptions, and every remaining identity is
    one between exponentials, decided by the package's exact rational-function check. The
    associativity orderings put ``m_i = t``, ``m_j = t - delta_1``,
    ``m_k = t - delta_1 - delta_2`` (``delta_1, delta_2 >= 0``) for each permutation
    ``(i, j, k)``.

    Examples
    --------
    >>> d = derive_online_softmax_merge()
    >>> d.merged
    (Max(m_1, m_2), s_1*exp(m_1 - Max(m_1, m_2)) + s_2*exp(m_2 - Max(m_1, m_2)))
    >>> len(d.orderings), d.identity
    (6, (-oo, 0))
    >>> def forgets_to_rescale(a, b):
    ...     return sp.Max(a[0], b[0]), a[1] + b[1]
    >>> derive_online_softmax_merge(forgets_to_rescale)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    softmax_ce.symbolic.DerivationError: SymPy could not confirm the merged pair stands for ...
    """
    d = Derivation(
        "online softmax merge",
        assumption="m, m' real or -oo; s, s' > 0 (s = 0 only for the empty block (-oo, 0))",
    )
    m = sp.symbols("m_1:4", real=True)
    s = sp.symbols("s_1:4", positive=True)
    pairs = tuple(zip(m, s))
    t = sp.Symbol("t", real=True)
    delta = sp.Symbol("delta", nonnegative=True)
    delta_pos = sp.Symbol("delta", positive=True)
    delta_1, delta_2 = sp.symbols("delta_1 delta_2", nonnegative=True)

    # --- the two branches of max(m, m') ------------------------------------------------------
    branches = {}
    for name, (m_a, m_b) in {"m_1 >= m_2": (t, t - delta),
                             "m_1 < m_2": (t - delta_pos, t)}.items():
        a, b = (m_a, s[0]), (m_b, s[1])
        merged = merge(a, b)
        d.holds(not merged[0].has(sp.Max) and merged[0] == t,  # t is the larger on both
                f"on the branch {name}, M = max(m_1, m_2) resolves to the larger one", merged[0])
        d.holds(all((e - merged[0]).is_nonpositive for e in (m_a, m_b)),
                f"on the branch {name}, both exponents m_k - M are <= 0 (no overflow)",
                merged[0])
        d.zero(_value(merged) - (_value(a) + _value(b)),
               f"the merged pair stands for the sum s_1 e^m_1 + s_2 e^m_2 on the branch {name}")
        d.zero(_residual(merged, merge(b, a)),
               f"the merge is commutative on the branch {name}")
        branches[name] = merged

    # --- associativity: the 3! orderings of m_1, m_2, m_3 (ties included) ---------------------
    orderings = []
    for order in permutations(range(3)):
        values = {m[order[0]]: t, m[order[1]]: t - delta_1, m[order[2]]: t - delta_1 - delta_2}
        p = [(values[mk], sk) for mk, sk in pairs]
        left = merge(merge(p[0], p[1]), p[2])
        right = merge(p[0], merge(p[1], p[2]))
        flat = (t, sum(sk * sp.exp(mk - t) for mk, sk in p))
        label = " >= ".join(f"m_{k + 1}" for k in order)
        d.holds(not any(e.has(sp.Max) for e in (*left, *right)),
                f"for {label}, every max resolves", left[0])
        d.zero(_residual(left, flat),
               f"for {label}, ((1 + 2) + 3) = (max m, sum_k s_k e^(m_k - max m))")
        d.zero(_residual(right, flat),
               f"for {label}, (1 + (2 + 3)) = (max m, sum_k s_k e^(m_k - max m))")
        orderings.append(tuple(k + 1 for k in order))
    d.holds(sp.Max(sp.Max(m[0], m[1]), m[2]) == sp.Max(m[0], sp.Max(m[1], m[2])),
            "max itself is associative (SymPy flattens nested Max)")

    # --- identity: the empty block (-oo, 0) ---------------------------------------------------
    a = pairs[0]
    d.zero(_residual(merge(IDENTITY, a), a), "(-oo, 0) + (m_1, s_1) = (m_1, s_1)")
    d.zero(_residual(merge(a, IDENTITY), a), "(m_1, s_1) + (-oo, 0) = (m_1, s_1)")
    empty = merge(IDENTITY, IDENTITY)
    d.holds(empty[0] is sp.S.NegativeInfinity and empty[1] == 0,
            "(-oo, 0) + (-oo, 0) = (-oo, 0): no (-oo) - (-oo)", empty)

    z = sp.Symbol("z", real=True)
    merged = merge(pairs[0], pairs[1])
    return d.done(
        m=m, s=s, pairs=pairs, identity=IDENTITY, merged=merged,
        log_sum_exp=merged[0] + sp.log(merged[1]), z=z,
        recurrence=merge(pairs[0], (z, sp.S.One)), branches=branches,
        orderings=tuple(orderings),
    )
