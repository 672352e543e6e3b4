"""The entropy of a tempered softmax grows with the temperature (chapter 1), derived in SymPy.

For ``p = softmax(z / T)`` with ``K`` classes, write the mean and variance of the logits
*under p*: ``E_p[z] = sum_k p_k z_k`` and ``Var_p(z) = sum_k p_k z_k**2 - E_p[z]**2``. Then

    dH/dT = Var_p(z) / T**3 >= 0,   H = -sum_k p_k log p_k  (nats),

with equality exactly when all logits are equal (every ``p_k > 0``, so ``Var_p(z) = 0`` forces
``z`` to be constant). So raising ``T`` never lowers the entropy, and strictly raises it unless
the logits are all equal. (``dp/dT`` itself and the limits ``T -> 0+``, ``T -> oo`` are in
:func:`softmax_ce.symbolic.softmax.derive_temperature_derivative`.)

:func:`derive_entropy_temperature_derivative` proves the identity for one concrete ``K``
(SymPy differentiates explicit symbols); the book checks ``K = 2 ... 5`` and gives the proof
for every ``K`` on paper.
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from .record import Derivation
from .softmax import logits, softmax_matrix

__all__ = ["derive_entropy_temperature_derivative"]


def derive_entropy_temperature_derivative(K: int) -> Derivation:
    """Derive ``dH/dT = Var_p(z) / T**3`` for ``p = softmax(z / T)`` with ``K`` classes.

    Proved for the given concrete ``K`` with symbolic logits and temperature: the difference
    ``dH/dT - Var_p(z) / T**3`` is checked to vanish.

    Parameters
    ----------
    K : int
        Number of classes, ``K >= 2`` (``K <= 5`` takes about a second each).

    Returns
    -------
    Derivation
        ``K``; ``z`` (logits ``z_1 ... z_K``, real); ``T`` (positive temperature); ``p``
        (``softmax(z / T)``); ``mean`` (``E_p[z] = sum_k p_k z_k``); ``variance``
        (``Var_p(z) = sum_k p_k z_k**2 - E_p[z]**2``); ``entropy``
        (``H(p) = -sum_k p_k log p_k`` with ``log p_k = z_k / T - log sum_j exp(z_j / T)``);
        ``derivative`` (``dH/dT`` as SymPy differentiates ``entropy``).

    Raises
    ------
    ValueError
        If ``K`` is not an int ``>= 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> import sympy as sp
    >>> d = derive_entropy_temperature_derivative(2)
    >>> sp.simplify(d.derivative - d.variance / d.T**3)
    0
    >>> d.variance.subs({d.z[0]: 1, d.z[1]: 1})  # equal logits: zero variance
    0
    """
    check_classes(K, minimum=2)
    d = Derivation("dH/dT = Var_p(z) / T^3")
    z = logits(K)
    T = sp.Symbol("T", positive=True)
    p = softmax_matrix(z, T)
    # log p_k written out, so SymPy need not simplify log(exp(.) / sum): exact for real z, T > 0
    log_p = [zk / T - sp.log(sum(sp.exp(zj / T) for zj in z)) for zk in z]
    d.zero(
        sp.Matrix([sp.exp(lp) for lp in log_p]) - p, "exp(z_k / T - log sum_j exp(z_j / T)) = p_k"
    )

    mean = sp.Add(*[pk * zk for pk, zk in zip(p, z)])
    variance = sp.Add(*[pk * zk**2 for pk, zk in zip(p, z)]) - mean**2
    entropy = -sp.Add(*[pk * lpk for pk, lpk in zip(p, log_p)])
    derivative = sp.diff(entropy, T)
    d.zero(derivative - variance / T**3, f"dH/dT = Var_p(z) / T^3 for K = {K}")
    return d.done(
        K=K, z=z, T=T, p=p, mean=mean, variance=variance, entropy=entropy, derivative=derivative
    )
