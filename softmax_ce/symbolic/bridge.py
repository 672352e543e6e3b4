"""Turn SymPy results into NumPy functions that act row-wise on ``(..., K)`` arrays.

The symbolic derivations of :mod:`softmax_ce.symbolic` work with one sample at a time: a
vector of ``K`` real symbols such as the logits ``z_1 ... z_K``. To compare a derived formula
with the NumPy package, :func:`lambdify_rows` compiles it (with :func:`sympy.lambdify`) into a
function that takes arrays whose *last* axis holds those ``K`` symbols, for any leading batch
shape, exactly like the package's ``axis=-1`` convention.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

__all__ = ["lambdify_rows"]

SymbolGroup = sp.Symbol | sp.MatrixBase | Sequence[sp.Symbol]


def _is_vector_of_symbols(obj: Any, *, allow_list: bool) -> bool:
    if isinstance(obj, sp.MatrixBase):
        return min(obj.shape) == 1 and all(isinstance(s, sp.Symbol) for s in obj)
    if allow_list and isinstance(obj, (list, tuple)):
        return len(obj) > 0 and all(isinstance(s, sp.Symbol) for s in obj)
    return False


def _groups(symbols: Any) -> list[SymbolGroup]:
    """Split ``symbols`` into argument groups (the convention of :func:`sympy.lambdify`)."""
    if isinstance(symbols, sp.Symbol) or _is_vector_of_symbols(symbols, allow_list=False):
        return [symbols]
    if not isinstance(symbols, (list, tuple)):
        raise TypeError(f"symbols: expected Symbols, got {type(symbols).__name__}")
    groups = list(symbols)
    for g in groups:
        if not (isinstance(g, sp.Symbol) or _is_vector_of_symbols(g, allow_list=True)):
            raise TypeError(
                "symbols: expected a SymPy Symbol, a vector of Symbols, or a sequence of those;"
                f" got an element of type {type(g).__name__}"
            )
    return groups


def lambdify_rows(
    expr: sp.Expr | sp.MatrixBase, symbols: Any
) -> Callable[..., npt.NDArray[np.float64]]:
    """Compile a SymPy expression into a NumPy function over rows of ``(..., K)`` arrays.

    Parameters
    ----------
    expr : sympy.Expr or sympy.Matrix
        A scalar expression, a vector (a ``K x 1`` or ``1 x K`` matrix) or a matrix.
    symbols : Symbol, Matrix of Symbols, or tuple/list of those
        The free symbols of ``expr``, grouped as the returned function takes its arguments
        (the convention of :func:`sympy.lambdify`). A single column/row ``Matrix`` of
        symbols, such as the logits from :func:`softmax_ce.symbolic.logits`, means one
        argument of shape ``(..., K)``. A tuple or list means one argument per element: a
        ``Matrix`` (or a nested list) of symbols takes an array ``(..., K_g)``, a single
        ``Symbol`` takes an array ``(...)`` or a scalar. So ``(o, y)`` takes logits and labels,
        ``(z, T)`` logits and a temperature, ``(a, b)`` two scalars. The batch shapes ``...``
        of all arguments are broadcast together.

    Returns
    -------
    callable
        ``f(*arrays)`` returning a float64 array of shape ``(...)`` for a scalar ``expr``,
        ``(..., K)`` for a vector and ``(..., R, C)`` for an ``R x C`` matrix.

    Raises
    ------
    TypeError
        If ``symbols`` is not made of Symbols.
    ValueError
        If ``expr`` has a free symbol not listed in ``symbols``, or (when called) an
        argument's last axis does not match its group's length.

    Notes
    -----
    The generated code evaluates the formula literally (no max-shift), so it is a
    *reference* for moderate inputs, not a numerically robust implementation: use logits of
    modest size (``|z| <= 700`` in float64) when comparing it with the package.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_ce.symbolic import logits, softmax_matrix, lambdify_rows
    >>> z = logits(3)
    >>> f = lambdify_rows(softmax_matrix(z), z)
    >>> f(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, np.log(2.0)]]))
    array([[0.333333, 0.333333, 0.333333],
           [0.25    , 0.25    , 0.5     ]])
    >>> import sympy as sp
    >>> T = sp.Symbol("T", positive=True)
    >>> g = lambdify_rows(softmax_matrix(z, T), (z, T))
    >>> g(np.array([0.0, 0.0, 2.0]), 2.0).round(6)
    array([0.211942, 0.211942, 0.576117])
    """
    groups = _groups(symbols)
    flat: list[sp.Symbol] = []
    sizes: list[int | None] = []
    for g in groups:
        if isinstance(g, sp.Symbol):
            flat.append(g)
            sizes.append(None)
        else:
            members = list(g)
            flat.extend(members)
            sizes.append(len(members))
    if len(set(flat)) != len(flat):
        raise ValueError("symbols: a symbol is listed twice")

    if isinstance(expr, sp.MatrixBase):
        out_shape: tuple[int, ...] = expr.shape
        if 1 in out_shape and len(out_shape) == 2:
            out_shape = (max(out_shape),)
        entries = list(expr)
    else:
        expr = sp.sympify(expr)
        out_shape = ()
        entries = [expr]
    free = set().union(*(sp.sympify(e).free_symbols for e in entries))
    missing = free - set(flat)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise ValueError(f"expr: free symbols {names} are not in `symbols`")

    compiled = sp.lambdify(flat, entries, modules="numpy")

    def rowwise(*arrays: npt.ArrayLike) -> npt.NDArray[np.float64]:
        if len(arrays) != len(groups):
            raise TypeError(f"expected {len(groups)} array argument(s), got {len(arrays)}")
        columns: list[np.ndarray] = []
        batch_shapes: list[tuple[int, ...]] = []
        for a, size in zip(arrays, sizes):
            arr = np.asarray(a, dtype=np.float64)
            if size is None:
                columns.append(arr)
                batch_shapes.append(arr.shape)
                continue
            if arr.ndim == 0 or arr.shape[-1] != size:
                raise ValueError(
                    f"expected an array with last axis of length {size}, got shape {arr.shape}"
                )
            columns.extend(arr[..., m] for m in range(size))
            batch_shapes.append(arr.shape[:-1])
        batch = np.broadcast_shapes(*batch_shapes) if batch_shapes else ()
        values = [
            np.broadcast_to(np.asarray(v, dtype=np.float64), batch) for v in compiled(*columns)
        ]
        stacked = np.stack(values, axis=-1) if values else np.empty(batch + (0,))
        # .copy(), not np.ascontiguousarray: the latter turns a 0-d result into shape (1,)
        return stacked.reshape(batch + out_shape).copy()

    rowwise.__doc__ = f"Row-wise NumPy evaluation of {expr} (generated by lambdify_rows)."
    return rowwise
