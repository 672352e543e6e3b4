"""Cross-entropy, entropy and KL divergence: ``H(y, p) = H(y) + KL(y || p)``, in SymPy.

``y`` is the label distribution and ``p`` the prediction (``y_hat`` in the book), as in the
book's notation. Records exactly which assumptions the decomposition needs (positivity, not
normalisation) and the nats/bits conversion. Each function returns a
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
    "p_j > 0 wherever y_j > 0 (otherwise H(y, p) = KL(y || p) = +inf on both sides)",
    "no normalisation: the identity holds for any positive y and p, without sum y = 1 or sum p = 1",
    "KL(y || p) >= 0 (Gibbs), hence H(y, p) >= H(y), does need normalisation "
    "(sum p <= sum y; true for two probability distributions)",
)


def derive_ce_decomposition(K: int) -> Derivation:
    """Prove ``H(y, p) = H(y) + KL(y || p)`` and record the assumptions it needs.

    Proved for the given concrete ``K`` with symbolic *positive* ``y`` and ``p`` (needed
    for ``log(y_j / p_j) = log y_j - log p_j``) and **without** ``sum y = 1`` or
    ``sum p = 1``: the identity is term-by-term algebra. Classes with ``y_j = 0`` are handled
    by the convention ``0 log 0 = 0``, justified by ``lim_{t->0+} t log t = 0`` (checked).
    What *does* need normalisation is ``KL >= 0``: the result ``unnormalised_kl_example``
    holds a negative KL for unnormalised ``p``. So "minimising cross-entropy over ``p`` is
    minimising KL" needs only ``y`` fixed (``H(y)`` is then a constant), while "the minimum
    is ``H(y)``, at ``p = y``" needs ``p`` to range over probability distributions.
    Also checked: bits = nats / log 2. See :func:`derive_ce_decomposition_symbolic_k`
    for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    Derivation
        ``K``; ``y``, ``p`` (positive symbols: the label distribution and the prediction,
        ``y_hat`` in the book; neither constrained to sum to 1); ``cross_entropy``
        (``H(y, p) = -sum_j y_j log p_j``, nats); ``entropy`` (``H(y)``); ``kl_divergence``
        (``KL(y || p) = sum_j y_j log(y_j / p_j)``); ``assumptions`` (tuple of str: what the
        identity needs, and what it does not); ``zero_log_zero`` (``lim_{t -> 0+} t log t``,
        0); ``nats_per_bit`` (``log 2``); ``cross_entropy_bits`` (``-sum_j y_j log_2 p_j``);
        ``unnormalised_kl_example`` (``(y, p, KL)`` with ``y = (1/2, 1/2)``, ``p = (1, 1)``:
        ``KL = -log 2 < 0``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_decomposition(2)
    >>> d.kl_divergence
    y_1*log(y_1/p_1) + y_2*log(y_2/p_2)
    >>> d.nats_per_bit
    log(2)
    >>> d.unnormalised_kl_example[2]
    -log(2)
    """
    check_classes(K)
    d = Derivation("H(y, p) = H(y) + KL(y || p)", "; ".join(ASSUMPTIONS[:3]))
    y = symbol_vector("y", K, positive=True)
    p = symbol_vector("p", K, positive=True)
    ce = -sum(yj * sp.log(pj) for yj, pj in zip(y, p))
    h = -sum(yj * sp.log(yj) for yj in y)
    kl = sum(yj * sp.log(yj / pj) for yj, pj in zip(y, p))
    d.zero(sp.expand(sp.expand_log(ce - h - kl)), "H(y, p) = H(y) + KL(y || p)")

    t = sp.Symbol("t", positive=True)
    zero_log_zero = sp.limit(t * sp.log(t), t, 0, "+")
    d.holds(zero_log_zero == 0, "lim_{t -> 0+} t log t = 0", zero_log_zero)

    nats_per_bit = sp.log(2)
    ce_bits = -sum(yj * sp.log(pj, 2) for yj, pj in zip(y, p))
    d.zero(ce_bits - ce / nats_per_bit, "H in bits = H in nats / log 2")

    half = sp.Rational(1, 2)
    example_y, example_p = (half, half), (sp.Integer(1), sp.Integer(1))
    example_kl = sp.simplify(sum(a * sp.log(a / b) for a, b in zip(example_y, example_p)))
    d.zero(example_kl + sp.log(2), "KL((1/2, 1/2) || (1, 1)) = -log 2")
    d.holds(example_kl.is_negative, "KL < 0 for the unnormalised p = (1, 1)", example_kl)
    return d.done(
        K=K,
        y=y,
        p=p,
        cross_entropy=ce,
        entropy=h,
        kl_divergence=kl,
        assumptions=ASSUMPTIONS,
        zero_log_zero=zero_log_zero,
        nats_per_bit=nats_per_bit,
        cross_entropy_bits=ce_bits,
        unnormalised_kl_example=(example_y, example_p, example_kl),
    )


def derive_ce_decomposition_symbolic_k() -> Derivation:
    """Prove ``H(y, p) = H(y) + KL(y || p)`` for symbolic ``K`` (positive ``y``, ``p``).

    Proved for symbolic ``K`` with ``IndexedBase``/``Sum``; same assumptions as
    :func:`derive_ce_decomposition` (positivity, no normalisation).

    Returns
    -------
    Derivation
        ``K``, ``j`` (number of classes, summation index); ``y``, ``p`` (positive
        ``IndexedBase`` label and predicted values); ``cross_entropy``, ``entropy``,
        ``kl_divergence`` (the three sums).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_decomposition_symbolic_k().kl_divergence
    Sum(log(y[j]/p[j])*y[j], (j, 1, K))
    """
    d = Derivation("H(y, p) = H(y) + KL(y || p), symbolic K", "y_j > 0 and p_j > 0")
    K, _, j, _ = indices()
    y = sp.IndexedBase("y", positive=True)
    p = sp.IndexedBase("p", positive=True)
    ce = -sp.Sum(y[j] * sp.log(p[j]), (j, 1, K))
    h = -sp.Sum(y[j] * sp.log(y[j]), (j, 1, K))
    kl = sp.Sum(y[j] * sp.log(y[j] / p[j]), (j, 1, K))
    d.zero(
        sp.simplify(sp.expand_log(ce - h - kl, force=False)),
        "H(y, p) = H(y) + KL(y || p), symbolic K",
    )
    return d.done(K=K, j=j, y=y, p=p, cross_entropy=ce, entropy=h, kl_divergence=kl)
