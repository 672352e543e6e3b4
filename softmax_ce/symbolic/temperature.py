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

from dataclasses import dataclass

import sympy as sp

__all__ = ["EntropyTemperatureDerivative", "derive_entropy_temperature_derivative"]


@dataclass(frozen=True)
class EntropyTemperatureDerivative:
    """``dH/dT`` for a ``K``-class tempered softmax, asserted equal to ``Var_p(z) / T**3``.

    Attributes
    ----------
    K : int
        Number of classes.
    z : sympy.Matrix
        The logits ``z_1 ... z_K`` (real symbols), a column.
    T : sympy.Symbol
        The temperature (a positive symbol).
    p : sympy.Matrix
        ``softmax(z / T)``, a column of expressions.
    mean : sympy.Expr
        ``E_p[z] = sum_k p_k z_k``.
    variance : sympy.Expr
        ``Var_p(z) = sum_k p_k z_k**2 - E_p[z]**2``.
    entropy : sympy.Expr
        ``H(p) = -sum_k p_k log p_k`` with ``log p_k = z_k / T - log sum_j exp(z_j / T)``.
    derivative : sympy.Expr
        ``dH/dT`` exactly as SymPy differentiates ``entropy``.
    """

    K: int
    z: sp.Matrix
    T: sp.Symbol
    p: sp.Matrix
    mean: sp.Expr
    variance: sp.Expr
    entropy: sp.Expr
    derivative: sp.Expr


def derive_entropy_temperature_derivative(K: int) -> EntropyTemperatureDerivative:
    """Derive ``dH/dT = Var_p(z) / T**3`` for ``p = softmax(z / T)`` with ``K`` classes.

    Proved for the given concrete ``K`` with symbolic logits and temperature: the difference
    ``dH/dT - Var_p(z) / T**3`` is asserted to simplify to 0.

    Parameters
    ----------
    K : int
        Number of classes, ``K >= 2`` (``K <= 5`` takes about a second each).

    Returns
    -------
    EntropyTemperatureDerivative

    Raises
    ------
    ValueError
        If ``K`` is not an int ``>= 2``.
    AssertionError
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
    if isinstance(K, bool) or not isinstance(K, int) or K < 2:
        raise ValueError(f"K: expected an int number of classes >= 2, got {K!r}")
    z = sp.Matrix(sp.symbols(f"z_1:{K + 1}", real=True))
    T = sp.Symbol("T", positive=True)
    weights = [sp.exp(zk / T) for zk in z]
    partition = sp.Add(*weights)
    p = sp.Matrix([w / partition for w in weights])
    # log p_k written out, so SymPy need not simplify log(exp(.) / sum): exact for real z, T > 0
    log_p = [zk / T - sp.log(partition) for zk in z]

    mean = sp.Add(*[pk * zk for pk, zk in zip(p, z)])
    variance = sp.Add(*[pk * zk**2 for pk, zk in zip(p, z)]) - mean**2
    entropy = -sp.Add(*[pk * lpk for pk, lpk in zip(p, log_p)])
    derivative = sp.diff(entropy, T)
    if sp.simplify(derivative - variance / T**3) != 0:
        raise AssertionError(f"SymPy could not confirm dH/dT = Var_p(z)/T^3 for K={K}")
    return EntropyTemperatureDerivative(
        K=K, z=z, T=T, p=p, mean=mean, variance=variance, entropy=entropy,
        derivative=derivative,
    )
