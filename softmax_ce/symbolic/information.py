"""Cross-entropy, entropy and KL divergence: ``H(y, q) = H(y) + KL(y || q)``, in SymPy.

Records exactly which assumptions the decomposition needs (positivity, not normalisation) and
the nats/bits conversion. Each function returns a
:class:`~softmax_ce.symbolic.record.Derivation`.
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from ._symbols import indices, symbol_vector
from .record import Derivation

__all__ = [
    "derive_ce_decomposition",
    "derive_ce_decomposition_symbolic_k",
]


ASSUMPTIONS = (
    "y_j > 0 for every j, or y_j = 0 with the convention 0 log 0 = 0 "
    "(the limit of t log t as t -> 0+); such terms drop out of all three quantities",
    "q_j > 0 wherever y_j > 0 (otherwise H(y, q) = KL(y || q) = +inf on both sides)",
    "no normalisation: the identity holds for any positive y and q, without sum y = 1 or sum q = 1",
    "KL(y || q) >= 0 (Gibbs), hence H(y, q) >= H(y), does need normalisation "
    "(sum q <= sum y; true for two probability distributions)",
)


def derive_ce_decomposition(K: int) -> Derivation:
    """Prove ``H(y, q) = H(y) + KL(y || q)`` and record the assumptions it needs.

    Proved for the given concrete ``K`` with symbolic *positive* ``y`` and ``q`` (needed
    for ``log(y_j / q_j) = log y_j - log q_j``) and **without** ``sum y = 1`` or
    ``sum q = 1``: the identity is term-by-term algebra. Classes with ``y_j = 0`` are handled
    by the convention ``0 log 0 = 0``, justified by ``lim_{t->0+} t log t = 0`` (checked).
    What *does* need normalisation is ``KL >= 0``: the result ``unnormalised_kl_example``
    holds a negative KL for unnormalised ``q``. So "minimising cross-entropy over ``q`` is
    minimising KL" needs only ``y`` fixed (``H(y)`` is then a constant), while "the minimum
    is ``H(y)``, at ``q = y``" needs ``q`` to range over probability distributions.
    Also checked: bits = nats / log 2. See :func:`derive_ce_decomposition_symbolic_k`
    for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    Derivation
        ``K``; ``y``, ``q`` (positive symbols: the label distribution and the prediction,
        ``y_hat`` in the book; neither constrained to sum to 1); ``cross_entropy``
        (``H(y, q) = -sum_j y_j log q_j``, nats); ``entropy`` (``H(y)``); ``kl_divergence``
        (``KL(y || q) = sum_j y_j log(y_j / q_j)``); ``assumptions`` (tuple of str: what the
        identity needs, and what it does not); ``zero_log_zero`` (``lim_{t -> 0+} t log t``,
        0); ``nats_per_bit`` (``log 2``); ``cross_entropy_bits`` (``-sum_j y_j log_2 q_j``);
        ``unnormalised_kl_example`` (``(y, q, KL)`` with ``y = (1/2, 1/2)``, ``q = (1, 1)``:
        ``KL = -log 2 < 0``).

    Raises
    ------
    DerivationError
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
    check_classes(K)
    d = Derivation("H(y, q) = H(y) + KL(y || q)", "; ".join(ASSUMPTIONS[:3]))
    y = symbol_vector("y", K, positive=True)
    q = symbol_vector("q", K, positive=True)
    ce = -sum(yj * sp.log(qj) for yj, qj in zip(y, q))
    h = -sum(yj * sp.log(yj) for yj in y)
    kl = sum(yj * sp.log(yj / qj) for yj, qj in zip(y, q))
    d.zero(sp.expand(sp.expand_log(ce - h - kl)), "H(y, q) = H(y) + KL(y || q)")

    t = sp.Symbol("t", positive=True)
    zero_log_zero = sp.limit(t * sp.log(t), t, 0, "+")
    d.holds(zero_log_zero == 0, "lim_{t -> 0+} t log t = 0", zero_log_zero)

    nats_per_bit = sp.log(2)
    ce_bits = -sum(yj * sp.log(qj, 2) for yj, qj in zip(y, q))
    d.zero(ce_bits - ce / nats_per_bit, "H in bits = H in nats / log 2")

    half = sp.Rational(1, 2)
    example_y, example_q = (half, half), (sp.Integer(1), sp.Integer(1))
    example_kl = sp.simplify(sum(a * sp.log(a / b) for a, b in zip(example_y, example_q)))
    d.zero(example_kl + sp.log(2), "KL((1/2, 1/2) || (1, 1)) = -log 2")
    d.holds(example_kl.is_negative, "KL < 0 for the unnormalised q = (1, 1)", example_kl)
    return d.done(
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


def derive_ce_decomposition_symbolic_k() -> Derivation:
    """Prove ``H(y, q) = H(y) + KL(y || q)`` for symbolic ``K`` (positive ``y``, ``q``).

    Proved for symbolic ``K`` with ``IndexedBase``/``Sum``; same assumptions as
    :func:`derive_ce_decomposition` (positivity, no normalisation).

    Returns
    -------
    Derivation
        ``K``, ``j`` (number of classes, summation index); ``y``, ``q`` (positive
        ``IndexedBase`` label and predicted values); ``cross_entropy``, ``entropy``,
        ``kl_divergence`` (the three sums).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_decomposition_symbolic_k().kl_divergence
    Sum(log(y[j]/q[j])*y[j], (j, 1, K))
    """
    d = Derivation("H(y, q) = H(y) + KL(y || q), symbolic K", "y_j > 0 and q_j > 0")
    K, _, j, _ = indices()
    y = sp.IndexedBase("y", positive=True)
    q = sp.IndexedBase("q", positive=True)
    ce = -sp.Sum(y[j] * sp.log(q[j]), (j, 1, K))
    h = -sp.Sum(y[j] * sp.log(y[j]), (j, 1, K))
    kl = sp.Sum(y[j] * sp.log(y[j] / q[j]), (j, 1, K))
    d.zero(
        sp.simplify(sp.expand_log(ce - h - kl, force=False)),
        "H(y, q) = H(y) + KL(y || q), symbolic K",
    )
    return d.done(K=K, j=j, y=y, q=q, cross_entropy=ce, entropy=h, kl_divergence=kl)
