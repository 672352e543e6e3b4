"""Private helpers: decide that a SymPy expression vanishes identically, or raise.

Every check raises :class:`DerivationError` explicitly (never with an ``assert`` statement), so
that a derivation is still checked under ``python -O``.

Two independent routes are used, as SymPy's own documentation advises (``==`` is
structural; ``simplify`` is heuristic):

1. a *symbolic* route: every ``exp(...)`` atom (after splitting ``exp(a + b)`` into
   ``exp(a) exp(b)``) is replaced by an independent positive symbol, which turns the
   softmax-type expressions of this package into rational functions; ``cancel`` then decides
   exactly whether the rational function is zero. An identity that holds with independent
   symbols holds in particular at ``exp(...)``, so this is a proof. When it does not reduce
   to 0, :func:`sympy.simplify` is tried on the original expression.
2. a *numeric* route: the residual is evaluated at a few seeded points (positive values for
   symbols declared positive) and must be below ``1e-12``; it guards against a wrong
   symbolic "0" (which would be a SymPy bug) and is skipped for expressions with ``Sum``.
"""

from __future__ import annotations

import random

import sympy as sp

__all__ = ["DerivationError", "assert_zero", "check_classes", "vanishes"]


class DerivationError(AssertionError):
    """A step of a SymPy derivation could not be confirmed.

    A subclass of :class:`AssertionError` (a derivation is an executable proof), but raised
    explicitly, so it is not switched off by ``python -O``.
    """


DerivationError.__module__ = "softmax_ce.symbolic"  # its public home (re-exported there)


def check_classes(K: object, name: str = "K", minimum: int = 1) -> int:
    """Return ``K`` if it is an int ``>= minimum`` (not a bool), else raise ValueError naming it."""
    if isinstance(K, bool) or not isinstance(K, int) or K < minimum:
        raise ValueError(f"{name}: expected an int number of classes >= {minimum}, got {K!r}")
    return K


def _exp_atoms_to_symbols(expr: sp.Expr) -> sp.Expr:
    """Replace ``exp(c * a)`` (``c`` rational) by ``e_a ** c`` with one positive dummy per ``a``."""
    expr = sp.expand(expr, power_exp=True, mul=False, log=False, multinomial=False, basic=False)
    atoms = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    dummies: dict[sp.Expr, sp.Dummy] = {}
    replacements = {}
    for atom in atoms:
        coeff, base = atom.exp.as_coeff_Mul(rational=True)
        if base not in dummies:
            dummies[base] = sp.Dummy("e", positive=True)
        replacements[atom] = dummies[base] ** coeff
    return expr.xreplace(replacements)


def vanishes(expr: sp.Expr) -> bool:
    """Return True if SymPy proves that ``expr`` is identically zero."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    if not expr.has(sp.Sum):
        rational = _exp_atoms_to_symbols(expr)
        if sp.expand(rational) == 0:
            return True
        if not rational.has(sp.log):
            # A rational function vanishes iff the numerator of its normal form does.
            if sp.expand(sp.together(rational).as_numer_denom()[0]) == 0:
                return True
            if sp.cancel(rational) == 0:
                return True
    return sp.simplify(expr) == 0


def _numeric_residual(expr: sp.Expr, seed: int) -> float:
    rng = random.Random(seed)
    values = {}
    for s in sorted(expr.free_symbols, key=sp.default_sort_key):
        x = rng.uniform(0.1, 2.0)
        values[s] = x if s.is_positive or s.is_nonnegative else x * rng.choice((-1, 1))
    return abs(complex(sp.N(expr.xreplace(values), 30)))


def assert_zero(expr: sp.Expr | sp.MatrixBase, what: str) -> None:
    """Raise DerivationError unless SymPy proves ``expr`` (entrywise) identically zero.

    Parameters
    ----------
    expr : sympy expression or Matrix
        The residual ``lhs - rhs`` of an identity.
    what : str
        The identity in words, for the error message.
    """
    entries = list(expr) if isinstance(expr, sp.MatrixBase) else [sp.sympify(expr)]
    for entry in entries:
        if not vanishes(entry):
            raise DerivationError(f"SymPy could not confirm {what}: residual {entry}")
        if not entry.has(sp.Sum, sp.Indexed, sp.Piecewise, sp.KroneckerDelta):
            for seed in (0, 1):
                r = _numeric_residual(entry, seed)
                if not r < 1e-12:
                    raise DerivationError(
                        f"numeric spot check of {what} failed: |residual| = {r:.3g}"
                    )
