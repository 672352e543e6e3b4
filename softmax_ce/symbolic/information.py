"""Cross-entropy, entropy and KL divergence: ``H(y, q) = H(y) + KL(y || q)``, in SymPy.

Records exactly which assumptions the decomposition needs (positivity, not normalisation) and
the nats/bits conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._checks import assert_zero
from .softmax import _check_k, _indices

__all__ = [
    "CEDecomposition",
    "CEDecompositionSymbolicK",
    "derive_ce_decomposition",
    "derive_ce_decomposition_symbolic_k",
]


@dataclass(frozen=True)
class CEDecomposition:
    """``H(y, q) = H(y) + KL(y || q)`` for ``K`` classes (see :func:`derive_ce_decomposition`).

    Attributes
    ----------
    K : int
        Number of classes.
    y, q : sympy.Matrix
        Positive symbols: the label distribution and the prediction (``y_hat`` in the book).
        Neither is constrained to sum to 1.
    cross_entropy : sympy.Expr
        ``H(y, q) = -sum_j y_j log q_j`` (nats).
    entropy : sympy.Expr
        ``H(y) = -sum_j y_j log y_j``.
    kl_divergence : sympy.Expr
        ``KL(y || q) = sum_j y_j log(y_j / q_j)``.
    assumptions : tuple of str
        What the identity needs (and what it does not).
    zero_log_zero : sympy.Expr
        ``lim_{t -> 0+} t log t = 0``: the limit that justifies the convention ``0 log 0 = 0``.
    nats_per_bit : sympy.Expr
        ``log 2``: ``H_bits = H_nats / log 2``.
    cross_entropy_bits : sympy.Expr
        ``-sum_j y_j log_2 q_j``, equal to ``cross_entropy / log 2``.
    unnormalised_kl_example : tuple
        ``(y, q, KL(y || q))`` with ``y = (1/2, 1/2)``, ``q = (1, 1)``: ``KL = -log 2 < 0``.
        The identity still holds there, but ``KL >= 0`` (Gibbs' inequality), hence
        ``H(y, q) >= H(y)``, needs ``sum q <= sum y`` (e.g. both distributions).
    """

    K: int
    y: sp.Matrix
    q: sp.Matrix
    cross_entropy: sp.Expr
    entropy: sp.Expr
    kl_divergence: sp.Expr
    assumptions: tuple[str, ...]
    zero_log_zero: sp.Expr
    nats_per_bit: sp.Expr
    cross_entropy_bits: sp.Expr
    unnormalised_kl_example: tuple


ASSUMPTIONS = (
    "y_j > 0 for every j, or y_j = 0 with the convention 0 log 0 = 0 "
    "(the limit of t log t as t -> 0+); such terms drop out of all three quantities",
    "q_j > 0 wherever y_j > 0 (otherwise H(y, q) = KL(y || q) = +inf on both sides)",
    "no normalisation: the identity holds for any positive y and q, without sum y = 1 or sum q = 1",
    "KL(y || q) >= 0 (Gibbs), hence H(y, q) >= H(y), does need normalisation "
    "(sum q <= sum y; true for two probability distributions)",
)


def derive_ce_decomposition(K: int) -> CEDecomposition:
    """Prove ``H(y, q) = H(y) + KL(y || q)`` and record the assumptions it needs.

    Proved for the given concrete ``K`` with symbolic *positive* ``y`` and ``q`` (needed
    for ``log(y_j / q_j) = log y_j - log q_j``) and **without** ``sum y = 1`` or
    ``sum q = 1``: the identity is term-by-term algebra. Classes with ``y_j = 0`` are handled
    by the convention ``0 log 0 = 0``, justified by ``lim_{t->0+} t log t = 0`` (asserted).
    What *does* need normalisation is ``KL >= 0``: the field ``unnormalised_kl_example``
    holds a negative KL for unnormalised ``q``. So "minimising cross-entropy over ``q`` is
    minimising KL" needs only ``y`` fixed (``H(y)`` is then a constant), while "the minimum
    is ``H(y)``, at ``q = y``" needs ``q`` to range over probability distributions.
    Also asserted: bits = nats / log 2. See :func:`derive_ce_decomposition_symbolic_k`
    for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    CEDecomposition

    Raises
    ------
    AssertionError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_decomposition(2)
    >>> d.kl_divergence
    y_1*log(y_1/q_1) + y_2*log(y_2/q_2)
    >>> d.nats_per_bit
    log(2)
    >>> d.unnormalised_kl_example[2]
    -log(2)
    """
    _check_k(K)
    y = sp.Matrix(sp.symbols(f"y_1:{K + 1}", positive=True))
    q = sp.Matrix(sp.symbols(f"q_1:{K + 1}", positive=True))
    ce = -sum(yj * sp.log(qj) for yj, qj in zip(y, q))
    h = -sum(yj * sp.log(yj) for yj in y)
    kl = sum(yj * sp.log(yj / qj) for yj, qj in zip(y, q))
    assert_zero(sp.expand(sp.expand_log(ce - h - kl)), "H(y, q) = H(y) + KL(y || q)")

    t = sp.Symbol("t", positive=True)
    zero_log_zero = sp.limit(t * sp.log(t), t, 0, "+")
    if zero_log_zero != 0:
        raise AssertionError(f"lim t log t = {zero_log_zero}, expected 0")

    nats_per_bit = sp.log(2)
    ce_bits = -sum(yj * sp.log(qj, 2) for yj, qj in zip(y, q))
    assert_zero(ce_bits - ce / nats_per_bit, "H in bits = H in nats / log 2")

    half = sp.Rational(1, 2)
    example_y, example_q = (half, half), (sp.Integer(1), sp.Integer(1))
    example_kl = sp.simplify(sum(a * sp.log(a / b) for a, b in zip(example_y, example_q)))
    if not (example_kl + sp.log(2) == 0 and example_kl.is_negative):
        raise AssertionError(f"expected KL = -log 2 for the unnormalised example, got {example_kl}")
    return CEDecomposition(
        K=K,
        y=y,
        q=q,
        cross_entropy=ce,
        entropy=h,
        kl_divergence=kl,
        assumptions=ASSUMPTIONS,
        zero_log_zero=zero_log_zero,
        nats_per_bit=nats_per_bit,
        cross_entropy_bits=ce_bits,
        unnormalised_kl_example=(example_y, example_q, example_kl),
    )


@dataclass(frozen=True)
class CEDecompositionSymbolicK:
    """The decomposition for symbolic ``K`` (see :func:`derive_ce_decomposition_symbolic_k`).

    Attributes
    ----------
    K, j : sympy.Symbol
        Number of classes and summation index.
    y, q : sympy.IndexedBase
        Positive label and predicted values.
    cross_entropy, entropy, kl_divergence : sympy.Expr
        The three sums.
    """

    K: sp.Symbol
    j: sp.Symbol
    y: sp.IndexedBase
    q: sp.IndexedBase
    cross_entropy: sp.Expr
    entropy: sp.Expr
    kl_divergence: sp.Expr


def derive_ce_decomposition_symbolic_k() -> CEDecompositionSymbolicK:
    """Prove ``H(y, q) = H(y) + KL(y || q)`` for symbolic ``K`` (positive ``y``, ``q``).

    Proved for symbolic ``K`` with ``IndexedBase``/``Sum``; same assumptions as
    :func:`derive_ce_decomposition` (positivity, no normalisation).

    Returns
    -------
    CEDecompositionSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_decomposition_symbolic_k().kl_divergence
    Sum(log(y[j]/q[j])*y[j], (j, 1, K))
    """
    K, _, j, _ = _indices()
    y = sp.IndexedBase("y", positive=True)
    q = sp.IndexedBase("q", positive=True)
    ce = -sp.Sum(y[j] * sp.log(q[j]), (j, 1, K))
    h = -sp.Sum(y[j] * sp.log(y[j]), (j, 1, K))
    kl = sp.Sum(y[j] * sp.log(y[j] / q[j]), (j, 1, K))
    residual = sp.simplify(sp.expand_log(ce - h - kl, force=False))
    if residual != 0:
        raise AssertionError(f"SymPy could not confirm H = H + KL for symbolic K: {residual}")
    return CEDecompositionSymbolicK(
        K=K, j=j, y=y, q=q, cross_entropy=ce, entropy=h, kl_divergence=kl
    )
