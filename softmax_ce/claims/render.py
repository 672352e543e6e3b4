"""Render the claims ledger (appendix ``chapters/appendix_claims.ipynb``) as MyST Markdown.

The ledger is generated from the registry (:func:`softmax_ce.claims.all_claims`) and from the
checks found in the notebooks and tests (:func:`softmax_ce.claims.find_checks`); nothing in it is
typed by hand. The book renders ``text/markdown`` outputs as MyST (``nb_render_markdown_format:
myst``), so the ``{ref}`` and ``{doc}`` roles written here become links to the chapter sections.

Examples
--------
>>> from softmax_ce.claims import Claim, Verdict
>>> claim = Claim(id="ch9.demo", chapter="09_demo", section="ch9-demo",
...               statement="$1 + 1 = 2$", verdict=Verdict.BOOK)
>>> row = claim_rows([claim], {"ch9.demo": ["tests/test_demo.py::test_sum"]})[0]
>>> print(row[0])
`ch9.demo`
<BLANKLINE>
$1 + 1 = 2$
>>> print(row[1], "|", row[3])
{ref}`ch9-demo` | `tests/test_demo.py::test_sum`
>>> print(verdict_text(claim))
本书结论
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from softmax_ce.claims import Claim, Verdict, all_claims, find_checks

__all__ = [
    "VERDICT_ORDER",
    "check_text",
    "claim_rows",
    "details_markdown",
    "ledger_markdown",
    "summary_markdown",
    "verdict_text",
]

#: Column order of the summary table (the book's own claims first, then the verdicts on the source).
VERDICT_ORDER: tuple[Verdict, ...] = (Verdict.BOOK, Verdict.HOLDS, Verdict.HOLDS_UNDER, Verdict.FAILS)

_NOTEBOOK_LOCATION = re.compile(r"^chapters/(?P<stem>[^/]+)\.ipynb, 单元格 (?P<cell>\d+)$")


def _one_line(text: str) -> str:
    """Collapse whitespace so a value fits in one list-table cell."""
    return " ".join(text.split())


def verdict_text(claim: Claim) -> str:
    """The verdict as shown in the ledger, with the assumption or the counterexample."""
    if claim.verdict is Verdict.HOLDS_UNDER:
        return f"**{claim.verdict.value}**。条件：{_one_line(claim.assumption or '')}"
    if claim.verdict is Verdict.FAILS:
        return f"**{claim.verdict.value}**。反例：{_one_line(claim.counterexample or '')}"
    if claim.verdict is Verdict.HOLDS:
        return f"**{claim.verdict.value}**"
    return claim.verdict.value


def check_text(location: str) -> str:
    """One check as MyST: a notebook cell links to its chapter (the table is grouped by chapter),
    a test is shown as its pytest node id."""
    match = _NOTEBOOK_LOCATION.match(location)
    if match:
        return f"{{doc}}`单元格 {match['cell']} </chapters/{match['stem']}>`"
    return f"`{location}`"


def claim_rows(claims: Iterable[Claim], checks: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Rows ``[claim, section, verdict, checks]`` of the detail table, as MyST strings.

    The first cell holds the claim's id, its statement and, for a claim taken from the source
    documents, the source's wording, as separate paragraphs (joined by a blank line).
    """
    rows = []
    for claim in claims:
        paragraphs = [f"`{claim.id}`", _one_line(claim.statement)]
        if claim.source:
            paragraphs.append(f"原文：「{_one_line(claim.source)}」")
        where = checks.get(claim.id, [])
        rows.append([
            "\n\n".join(paragraphs),
            f"{{ref}}`{claim.section}`",
            verdict_text(claim),
            "；".join(check_text(w) for w in where) if where else "**（缺少检查）**",
        ])
    return rows


def _list_table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: str,
                title: str = "") -> str:
    lines = [f"```{{list-table}} {title}".rstrip(), ":header-rows: 1", f":widths: {widths}",
             ":class: claims-ledger", ""]
    for row in [header, *rows]:
        for number, cell in enumerate(row):
            # a cell may hold several paragraphs: continuation lines are indented under the item
            marker = "* - " if number == 0 else "  - "
            lines.append(marker + cell.replace("\n\n", "\n\n    "))
    lines.append("```")
    return "\n".join(lines)


def _by_chapter(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    grouped: dict[str, list[Claim]] = {}
    for claim in claims:
        grouped.setdefault(claim.chapter, []).append(claim)
    return grouped


def summary_markdown(claims: Sequence[Claim]) -> str:
    """Counts by chapter and verdict, as a MyST list-table (or a sentence when there are none)."""
    if not claims:
        return "目前还没有登记任何命题。"
    rows = []
    for chapter, items in _by_chapter(claims).items():
        counts = [sum(c.verdict is v for c in items) for v in VERDICT_ORDER]
        rows.append([f"{{doc}}`/chapters/{chapter}`", *map(str, counts), str(len(items))])
    totals = [sum(c.verdict is v for c in claims) for v in VERDICT_ORDER]
    rows.append(["**合计**", *(f"**{n}**" for n in totals), f"**{len(claims)}**"])
    header = ["章", *(v.value for v in VERDICT_ORDER), "合计"]
    return _list_table(header, rows, "40 12 12 12 12 12", title="按章与结论统计")


def details_markdown(claims: Sequence[Claim], checks: Mapping[str, Sequence[str]]) -> str:
    """One table per chapter: every claim with its section, verdict and checks."""
    if not claims:
        return "目前还没有登记任何命题。"
    parts = []
    header = ["命题", "位置", "结论", "检查"]
    for chapter, items in _by_chapter(claims).items():
        # a colon fence: a backtick fence's info string may not contain the role's backticks
        parts.append(f":::{{rubric}} {{doc}}`/chapters/{chapter}`\n:::")
        parts.append(_list_table(header, claim_rows(items, checks), "46 14 22 18"))
    return "\n\n".join(parts)


def ledger_markdown(root: str | Path) -> list[str]:
    """The generated parts of the ledger, in page order: ``[summary, details]``.

    Parameters
    ----------
    root : str or pathlib.Path
        The book's root (the folder holding ``chapters/`` and ``tests/``).
    """
    claims = list(all_claims().values())
    return [summary_markdown(claims), details_markdown(claims, find_checks(root))]
