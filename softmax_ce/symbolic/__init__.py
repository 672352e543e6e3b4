"""SymPy derivations that *derive and check* every formula of the book, and a NumPy bridge.

Each ``derive_*`` function computes a result with SymPy, checks every step (raising
:class:`DerivationError` if SymPy cannot confirm one; the checks are explicit, so they also
run under ``python -O``), and returns a :class:`Derivation`: one record type holding the
named results (symbols, intermediate expressions, closed forms) as attributes and the
checked ``steps`` in order, for the chapters to display. Symbols are numbered from 1, as in
the book's notation (``z_1 ... z_K``). ``derive_X(K)`` works with a concrete number of
classes ``K``; ``derive_X_symbolic_k()`` proves the same statement for a symbolic ``K``
(``IndexedBase``/``Sum``) where SymPy can. :func:`lambdify_rows` compiles any result into
a NumPy function over ``(..., K)`` arrays so that it can be compared with the package on
seeded inputs.

Modules: ``record`` (:class:`Derivation`), :mod:`.softmax` (Jacobian, sigmoid link,
temperature, shift invariance), :mod:`.cross_entropy` (simplification, gradient, Hessian),
:mod:`.information` (``H(y, p) = H(y) + KL(y || p)``, units), :mod:`.online` (the
online-softmax merge of ``(max, sum)`` pairs), :mod:`.bridge` (``lambdify_rows``). Chapter helpers add their own topic modules beside these (not
re-exported here).

What is proved where:

=====================================  ===========================  =========================
result                                 symbolic ``K``               concrete ``K``
=====================================  ===========================  =========================
``dp_i/dz_j = p_i(delta_ij - p_j)``    yes (``IndexedBase``/Sum)    ``jacobian(K)``
symmetry, ``J 1 = 0``, PSD (Var_p)     no                           ``jacobian(K)``
shift invariance                       yes                          yes
two-class softmax = sigmoid            (``K = 2`` by definition)    yes
``dp/dT``                              yes                          yes
limits ``T -> 0+`` / ``T -> oo``       no                           yes, symbolic logits
CE simplification and its condition    yes (the exact residual)     yes (+ necessity at o=0)
CE gradient ``(sum y) p - y``          yes                          yes (+ ``p - y`` if sum 1)
CE Hessian ``(sum y)(diag p - pp^T)``  yes                          yes (+ null direction 1)
``H(y, p) = H(y) + KL(y || p)``        yes                          yes (+ units, 0 log 0)
online merge ``(m, s) (+) (m', s')``   (no K: pairs of blocks)      both max branches, 3!
                                                                    orders, identity (-oo, 0)
=====================================  ===========================  =========================

Tests check every concrete-``K`` derivation for ``K = 2..6`` (Hessian and temperature:
``K = 2..4``, for speed) and tie each result to the NumPy package through
:func:`lambdify_rows` on seeded inputs.
"""

from .bridge import lambdify_rows
from .cross_entropy import (
    cross_entropy_expr,
    derive_ce_gradient,
    derive_ce_gradient_symbolic_k,
    derive_ce_hessian,
    derive_ce_hessian_symbolic_k,
    derive_ce_simplification,
    derive_ce_simplification_symbolic_k,
    label_symbols,
)
from .information import derive_ce_decomposition, derive_ce_decomposition_symbolic_k
from .online import derive_online_softmax_merge, online_softmax_merge
from .record import Derivation, DerivationError, Step
from .softmax import (
    derive_shift_invariance,
    derive_shift_invariance_symbolic_k,
    derive_softmax_jacobian,
    derive_softmax_jacobian_symbolic_k,
    derive_temperature_derivative,
    derive_temperature_derivative_symbolic_k,
    derive_two_class_sigmoid,
    logits,
    softmax_matrix,
)

__all__ = [
    "Derivation",
    "DerivationError",
    "Step",
    "cross_entropy_expr",
    "derive_ce_decomposition",
    "derive_ce_decomposition_symbolic_k",
    "derive_ce_gradient",
    "derive_ce_gradient_symbolic_k",
    "derive_ce_hessian",
    "derive_ce_hessian_symbolic_k",
    "derive_ce_simplification",
    "derive_ce_simplification_symbolic_k",
    "derive_online_softmax_merge",
    "derive_shift_invariance",
    "derive_shift_invariance_symbolic_k",
    "derive_softmax_jacobian",
    "derive_softmax_jacobian_symbolic_k",
    "derive_temperature_derivative",
    "derive_temperature_derivative_symbolic_k",
    "derive_two_class_sigmoid",
    "label_symbols",
    "lambdify_rows",
    "logits",
    "online_softmax_merge",
    "softmax_matrix",
]
