"""The claims ledger: every mathematical claim the book makes, with its verdict and its checks.

Each chapter registers its claims in a module of this package named ``chNN_<topic>.py``
holding a list ``CLAIMS`` of :class:`Claim`. A claim is *checked* either

* in a notebook cell, by calling :func:`check` with the claim's id and a condition computed in
  that cell (``check("ch1.rows-sum-to-one", np.allclose(p.sum(-1), 1))``), or
* in a test, by marking the test ``@pytest.mark.claim("ch1.rows-sum-to-one")``.

:func:`find_checks` discovers both kinds by reading the notebooks and the tests, so the ledger
appendix (``chapters/appendix_claims.ipynb``) is generated, never hand-maintained, and
``tests/test_claims_ledger.py`` fails when a claim has no check or a check names no claim.

For a claim taken from the source documents, ``verdict`` records what the book found:
``HOLDS``, ``HOLDS_UNDER`` (with ``assumption``) or ``FAILS`` (with ``counterexample``).
The condition given to :func:`check` always states what the *book* asserts: for a ``FAILS``
claim, that is the counterexample (the source statement is false), so the check fails if the
source statement were in fact true.
"""

from __future__ import annotations

import ast
import enum
import importlib
import json
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Claim",
    "ClaimFailed",
    "Verdict",
    "all_claims",
    "check",
    "find_checks",
    "get",
]


class Verdict(str, enum.Enum):
    """What the book concluded about a claim."""

    HOLDS = "成立"
    HOLDS_UNDER = "附条件成立"
    FAILS = "不成立"
    BOOK = "本书结论"  # a claim the book makes itself, not taken from the source documents


@dataclass(frozen=True)
class Claim:
    """One mathematical claim of the book.

    Parameters
    ----------
    id : str
        Stable identifier, ``"ch<N>.<slug>"``.
    chapter : str
        Stem of the notebook where the claim is made, e.g. ``"01_softmax"``.
    section : str
        MyST label of the section where the claim is made (``(label)=`` in that notebook).
    statement : str
        The claim as the book states it (Chinese; MyST inline math allowed).
    verdict : Verdict
        ``BOOK`` for the book's own claims; otherwise the verdict on the source statement.
    source : str, optional
        The source document's wording, for claims taken from it.
    assumption : str, optional
        Required for ``HOLDS_UNDER``: the exact assumption under which it holds.
    counterexample : str, optional
        Required for ``FAILS``: a short description of the counterexample.
    """

    id: str
    chapter: str
    section: str
    statement: str
    verdict: Verdict
    source: str | None = None
    assumption: str | None = None
    counterexample: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"ch\d+\.[a-z0-9][a-z0-9-]*", self.id):
            raise ValueError(f"claim id {self.id!r} must look like 'ch1.some-slug'")
        if not isinstance(self.verdict, Verdict):
            raise TypeError(f"claim {self.id}: verdict must be a Verdict")
        if self.verdict is Verdict.HOLDS_UNDER and not self.assumption:
            raise ValueError(f"claim {self.id}: HOLDS_UNDER needs an assumption")
        if self.verdict is Verdict.FAILS and not self.counterexample:
            raise ValueError(f"claim {self.id}: FAILS needs a counterexample")
        if self.verdict is not Verdict.BOOK and not self.source:
            raise ValueError(f"claim {self.id}: a verdict on the source needs its wording (source=)")


class ClaimFailed(AssertionError):
    """Raised by :func:`check` when the condition for a claim is false."""


def all_claims() -> dict[str, Claim]:
    """Return every registered claim, keyed by id, in chapter order.

    Raises
    ------
    ValueError
        If two claims share an id.
    """
    claims: dict[str, Claim] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not re.fullmatch(r"ch\d\d_\w+", info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for claim in module.CLAIMS:
            if claim.id in claims:
                raise ValueError(f"duplicate claim id {claim.id!r} in {info.name}")
            claims[claim.id] = claim
    return claims


def get(claim_id: str) -> Claim:
    """Return the registered claim ``claim_id``; ``KeyError`` naming it if there is none."""
    claims = all_claims()
    if claim_id not in claims:
        raise KeyError(f"claim_id {claim_id!r} is not registered in softmax_ce.claims")
    return claims[claim_id]


def check(claim_id: str, condition: object, detail: str = "") -> None:
    """Assert, in a notebook cell, the condition that proves claim ``claim_id``.

    Parameters
    ----------
    claim_id : str
        A registered claim id.
    condition : bool-like
        The computed evidence; must be true (``bool(condition)`` is used, so a NumPy bool works).
    detail : str, optional
        Shown in the error if the condition is false.

    Raises
    ------
    KeyError
        If ``claim_id`` is not registered.
    ClaimFailed
        If ``condition`` is false.

    Examples
    --------
    >>> from softmax_ce.claims import check, ClaimFailed
    >>> try:
    ...     check("ch0.not-registered", True)
    ... except KeyError as err:
    ...     print(err)
    "claim_id 'ch0.not-registered' is not registered in softmax_ce.claims"
    """
    claim = get(claim_id)
    if not bool(condition):
        raise ClaimFailed(f"claim {claim.id} failed: {claim.statement} {detail}".strip())


_NOTEBOOK_CHECK = re.compile(r"""\bcheck\(\s*["'](ch\d+\.[a-z0-9-]+)["']""")


def _marked_claims(test_file: Path) -> list[tuple[str, str]]:
    """(claim id, test name) for every ``@pytest.mark.claim("...")`` on a test function."""
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for dec in node.decorator_list:
            if (
                isinstance(dec, ast.Call)
                and isinstance(dec.func, ast.Attribute)
                and dec.func.attr == "claim"
                and dec.args
                and isinstance(dec.args[0], ast.Constant)
            ):
                found.append((str(dec.args[0].value), node.name))
    return found


def find_checks(root: str | Path) -> dict[str, list[str]]:
    """Find every check of every claim id in the notebooks and tests below ``root``.

    Returns
    -------
    dict
        Claim id -> list of locations, ``"chapters/01_softmax.ipynb, 单元格 12"`` for a notebook
        cell calling :func:`check`, ``"tests/test_x.py::test_name"`` for a marked test. Ids that
        are not registered appear too, so a test can flag them.
    """
    root = Path(root)
    found: dict[str, list[str]] = {}
    for nb_path in sorted((root / "chapters").glob("*.ipynb")):
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, start=1):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            for claim_id in _NOTEBOOK_CHECK.findall(source):
                where = f"{nb_path.relative_to(root).as_posix()}, 单元格 {number}"
                found.setdefault(claim_id, []).append(where)
    for test_file in sorted((root / "tests").glob("test_*.py")):
        for claim_id, test_name in _marked_claims(test_file):
            where = f"{test_file.relative_to(root).as_posix()}::{test_name}"
            found.setdefault(claim_id, []).append(where)
    return found
