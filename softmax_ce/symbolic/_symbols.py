"""Private helpers: the book's symbols (1-based, ``z_1 ... z_K``) and index symbols."""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes

__all__ = ["indices", "symbol_vector"]


def symbol_vector(name: str, K: int, **assumptions: bool) -> sp.Matrix:
    """A ``K x 1`` column of symbols ``name_1 ... name_K`` (1-based, as in the book)."""
    check_classes(K)
    return sp.Matrix(sp.symbols(f"{name}_1:{K + 1}", **assumptions))


def indices() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, sp.Symbol]:
    """``K`` and the class indices ``i, j, k``, all positive integer symbols."""
    K = sp.Symbol("K", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True, positive=True)
    return K, i, j, k
