"""The one record type of :mod:`softmax_ce.symbolic`: a derivation and its checked steps.

Every ``derive_*`` function builds a :class:`Derivation`: it checks each step of the proof
with :meth:`Derivation.zero` (an identity, proved by SymPy and spot-checked numerically) or
:meth:`Derivation.holds` (a property SymPy decides, such as a sign or a limit), then stores
the named SymPy objects with :meth:`Derivation.done`. A failed step raises
:class:`DerivationError` explicitly, so the checks also run under ``python -O``. The record
is read by attribute (``d.closed_form``), lists its checked steps in order (``d.steps``) and
is frozen once done.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sympy as sp

from ._checks import DerivationError, assert_zero

__all__ = ["Derivation", "DerivationError", "Step"]


class Step(NamedTuple):
    """One checked step of a derivation.

    Attributes
    ----------
    claim : str
        The statement, in words and plain-text formulas.
    expr : object
        For an identity, the residual ``lhs - rhs`` that was proved to vanish; for a property,
        the SymPy object it is about (or None).
    """

    claim: str
    expr: Any


class Derivation:
    """A SymPy derivation: named results with attribute access, and the steps that were checked.

    Parameters
    ----------
    name : str
        What is derived, e.g. ``"softmax Jacobian"``.
    assumption : str, optional
        What the proof assumes beyond the types of its symbols (e.g. index ranges).

    Attributes
    ----------
    name : str
        As given.
    assumption : str or None
        As given.
    steps : tuple of Step
        The checked steps, in the order they were checked.

    Notes
    -----
    The named results (symbols, intermediate expressions, closed forms) are read as attributes;
    :meth:`fields` returns them as a dict. Each ``derive_*`` function documents the names it
    sets. After :meth:`done` the record is frozen.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> d = Derivation("double angle")
    >>> d.zero(sp.sin(2 * x) - 2 * sp.sin(x) * sp.cos(x), "sin 2x = 2 sin x cos x")
    >>> d = d.done(x=x, identity=sp.Eq(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)))
    >>> d.identity
    Eq(sin(2*x), 2*sin(x)*cos(x))
    >>> [step.claim for step in d.steps]
    ['sin 2x = 2 sin x cos x']
    >>> Derivation("a wrong claim").zero(sp.sin(x) - x, "sin x = x")
    Traceback (most recent call last):
    ...
    softmax_ce.symbolic.DerivationError: SymPy could not confirm sin x = x: residual -x + sin(x)
    """

    __slots__ = ("name", "assumption", "_steps", "_fields", "_frozen")

    def __init__(self, name: str, assumption: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "assumption", assumption)
        object.__setattr__(self, "_steps", [])
        object.__setattr__(self, "_fields", {})
        object.__setattr__(self, "_frozen", False)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The checked steps, in order."""
        return tuple(self._steps)

    def _check_open(self) -> None:
        if self._frozen:
            raise AttributeError(f"derivation {self.name!r} is done and frozen")

    def zero(self, residual: Any, claim: str) -> None:
        """Check that ``residual`` (an expression or a matrix) vanishes identically; record it.

        Raises
        ------
        DerivationError
            If SymPy cannot prove it zero, or a numeric spot check finds it nonzero.
        """
        self._check_open()
        assert_zero(residual, claim)
        self._steps.append(Step(claim, residual))

    def holds(self, condition: object, claim: str, about: Any = None) -> None:
        """Check that ``condition`` is ``True`` (SymPy's ``None``, "unknown", fails); record it.

        Raises
        ------
        DerivationError
            If ``condition`` is not ``True``.
        """
        self._check_open()
        if condition is not True and condition is not sp.true:
            shown = "" if about is None else f" ({about})"
            raise DerivationError(f"SymPy could not confirm {claim}{shown}: got {condition!r}")
        self._steps.append(Step(claim, about))

    def reuse(self, other: Derivation) -> None:
        """Adopt the checked steps of another derivation this one builds on."""
        self._check_open()
        self._steps.extend(Step(f"[{other.name}] {s.claim}", s.expr) for s in other.steps)

    def done(self, **fields: Any) -> Derivation:
        """Store the named results, freeze the record and return it."""
        self._check_open()
        for key in fields:
            if key.startswith("_") or hasattr(Derivation, key):
                raise ValueError(f"fields: {key!r} is reserved")
        self._fields.update(fields)
        object.__setattr__(self, "_frozen", True)
        return self

    def fields(self) -> dict[str, Any]:
        """Return the named results as a new dict (name -> SymPy object)."""
        return dict(self._fields)

    def __getattr__(self, attr: str) -> Any:
        fields = object.__getattribute__(self, "_fields")
        try:
            return fields[attr]
        except KeyError:
            raise AttributeError(
                f"derivation {object.__getattribute__(self, 'name')!r} has no result {attr!r}"
            ) from None

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError("a Derivation is changed only through zero/holds/reuse/done")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._fields))

    def __repr__(self) -> str:
        names = ", ".join(self._fields)
        return f"<Derivation {self.name!r}: {names}; {len(self._steps)} checked steps>"

