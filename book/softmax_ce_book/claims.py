"""Claims: written once, in the chapter, beside the text that makes them.

A chapter states a claim in a Markdown cell with the ``claim`` directive (rendered by
:mod:`softmax_ce_book.sphinx_claims`)::

    ```{claim} ch1.open-interval
    :verdict: holds-under
    :title: 输出“在 (0,1) 区间内”
    :source: 这个函数将任意实值输入映射到(0,1)区间内
    :condition: 精确算术、有限输入且 $K \\ge 2$；浮点结果只落在闭区间 $[0,1]$。
    :code: softmax_ce.softmax

    The chapter's explanation (MyST) ...
    ```

and proves it in the code cell beside it, naming each condition::

    check("ch1.open-interval",
          exact_value_below_one=exact_p2 > 0,
          float64_max_rounds_to_one=p_far[0] == 1.0)

or by a test marked ``@pytest.mark.claim("ch1.open-interval")``. The ledger appendix is generated
from these two places (:mod:`softmax_ce_book.ledger`); nothing about a claim is written anywhere
else.

Options of the directive (the argument is the claim's id, ``ch<N>.<slug>``):

``verdict`` (required)
    ``book`` (the book's own result), or the verdict on a statement of the source documents:
    ``holds``, ``holds-under`` (needs ``condition``), ``fails`` (needs ``counterexample``).
``title``
    A short title; source claims render as the box “原文辨析：<title>”.
``source``
    The source documents' sentence, quoted (required unless the verdict is ``book``).
``condition`` / ``counterexample``
    What the verdict needs, in one sentence.
``derivation`` / ``code``
    Dotted names of the SymPy derivation and of the library function the claim is about; the
    ledger links them to the API page.
``uncheckable``
    Why no code can check this claim (a citation, a definition); such a claim needs no check,
    and the ledger says so.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

__all__ = [
    "OPTIONS",
    "Claim",
    "ClaimFailed",
    "Verdict",
    "check",
    "parse_claims",
    "unquote_option",
]

ID_PATTERN = r"ch\d+\.[a-z0-9][a-z0-9-]*"
_ID = re.compile(ID_PATTERN)


class Verdict(str, enum.Enum):
    """What the book concluded about a claim; the value is the directive's ``:verdict:``."""

    BOOK = "book"
    HOLDS = "holds"
    HOLDS_UNDER = "holds-under"
    FAILS = "fails"

    @property
    def chinese(self) -> str:
        """The verdict as the book prints it."""
        return {"book": "本书结论", "holds": "成立", "holds-under": "附条件成立",
                "fails": "不成立"}[self.value]


#: The directive's options (all take one line of MyST text).
OPTIONS = ("verdict", "title", "source", "condition", "counterexample", "derivation", "code",
           "uncheckable")


@dataclass(frozen=True)
class Claim:
    """One claim, as parsed from a ``claim`` directive.

    Attributes
    ----------
    id, verdict : str, Verdict
        The directive's argument and ``:verdict:``.
    chapter : str
        Stem of the notebook that makes the claim, e.g. ``"01_softmax"``.
    section : str or None
        The last MyST label ``(label)=`` above the claim in its notebook.
    cell : int
        1-based number of the Markdown cell that holds the directive.
    options : dict
        The other options (``title``, ``source``, ``condition`` ...), as written.
    """

    id: str
    verdict: Verdict
    chapter: str = ""
    section: str | None = None
    cell: int = 0
    options: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What is missing or wrong in the declaration (empty when it is complete)."""
        out = []
        if not _ID.fullmatch(self.id):
            out.append(f"id {self.id!r} must look like 'ch1.some-slug'")
        opts = self.options
        if self.verdict is Verdict.HOLDS_UNDER and not opts.get("condition"):
            out.append("verdict holds-under needs :condition:")
        if self.verdict is Verdict.FAILS and not opts.get("counterexample"):
            out.append("verdict fails needs :counterexample:")
        if self.verdict is not Verdict.BOOK and not opts.get("source"):
            out.append("a verdict on the source needs its wording (:source:)")
        unknown = set(opts) - set(OPTIONS)
        if unknown:
            out.append(f"unknown options {sorted(unknown)}")
        return out


class ClaimFailed(AssertionError):
    """Raised by :func:`check` when a condition of a claim is false."""


def check(claim_id: str, /, **conditions: object) -> None:
    """Assert, in a chapter cell, the named conditions that prove claim ``claim_id``.

    Parameters
    ----------
    claim_id : str
        The id of a claim stated in the chapter (``tests/test_claims_ledger.py`` checks that it
        is declared).
    **conditions : bool-like
        Each keyword names one condition; ``bool(value)`` must be true (a NumPy bool works).

    Raises
    ------
    ValueError
        If ``claim_id`` is not of the form ``ch<N>.<slug>`` or no condition is given.
    ClaimFailed
        If a condition is false; the message names every false condition.

    Examples
    --------
    >>> check("ch9.demo", sums_to_one=abs(0.25 + 0.75 - 1) == 0, positive=0.25 > 0)
    >>> try:
    ...     check("ch9.demo", sums_to_one=True, positive=-1 > 0, finite=1 < float("inf"))
    ... except ClaimFailed as err:
    ...     print(err)
    claim ch9.demo failed: positive is false
    """
    if not isinstance(claim_id, str) or not _ID.fullmatch(claim_id):
        raise ValueError(f"claim_id: {claim_id!r} does not look like 'ch1.some-slug'")
    if not conditions:
        raise ValueError(f"check({claim_id!r}): name at least one condition, e.g. holds=...")
    failed = [name for name, value in conditions.items() if not bool(value)]
    if failed:
        raise ClaimFailed(f"claim {claim_id} failed: {', '.join(failed)} is false"
                          if len(failed) == 1 else
                          f"claim {claim_id} failed: {', '.join(failed)} are false")


_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{claim\}\s+(?P<id>\S+)\s*$")
_OPTION = re.compile(r"^:(?P<key>[a-z-]+):\s*(?P<value>.*)$")
_LABEL = re.compile(r"^\((?P<label>[\w.-]+)\)=\s*$")


def unquote_option(value: str) -> str:
    """An option value as MyST reads it: quotes around the whole value are YAML quoting.

    A value holding `` #`` must be quoted, or MyST reads the rest as a comment.

    >>> unquote_option('"epsilon = 1e-15 # no log(0)"'), unquote_option("p - y")
    ('epsilon = 1e-15 # no log(0)', 'p - y')
    """
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_claims(markdown: str, *, chapter: str = "", cell: int = 0,
                 section: str | None = None) -> tuple[list[Claim], str | None]:
    """The claims declared in one Markdown cell, and the last section label seen.

    Parameters
    ----------
    markdown : str
        The cell's source.
    chapter, cell : str, int
        Recorded on each claim.
    section : str, optional
        The section label in force at the start of the cell.

    Returns
    -------
    claims : list of Claim
    section : str or None
        The label in force at the end of the cell (pass it to the next cell).

    Examples
    --------
    >>> text = '''(ch9-demo)=
    ... ## Demo
    ...
    ... ```{claim} ch9.sum
    ... :verdict: book
    ... :code: softmax_ce.softmax
    ...
    ... Rows of softmax sum to one.
    ... ```'''
    >>> claims, label = parse_claims(text, chapter="09_demo", cell=3)
    >>> claims[0].id, claims[0].verdict.value, claims[0].section, claims[0].options, label
    ('ch9.sum', 'book', 'ch9-demo', {'code': 'softmax_ce.softmax'}, 'ch9-demo')
    """
    claims: list[Claim] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        label = _LABEL.match(lines[i])
        if label:
            section = label["label"]
        opening = _FENCE_OPEN.match(lines[i].strip())
        if not opening:
            i += 1
            continue
        options: dict[str, str] = {}
        i += 1
        while i < len(lines) and (option := _OPTION.match(lines[i].strip())):
            options[option["key"]] = unquote_option(option["value"].strip())
            i += 1
        verdict_text = options.pop("verdict", "")
        try:
            verdict = Verdict(verdict_text)
        except ValueError:
            raise ValueError(f"{chapter} cell {cell}: claim {opening['id']}: :verdict: must be one "
                             f"of {[v.value for v in Verdict]}, got {verdict_text!r}") from None
        claims.append(Claim(opening["id"], verdict, chapter, section, cell, options))
        fence = opening["fence"]
        while i < len(lines) and lines[i].strip() != fence:
            i += 1
        i += 1
    return claims, section
