"""The claims ledger: read every claim and its checks from the chapters and tests, render it.

Claims are declared once, in the chapters, by the ``claim`` directive; their checks are the
``check("<id>", ...)`` calls in the chapters' code cells and the tests marked
``@pytest.mark.claim("<id>")`` (see :mod:`softmax_ce_book.claims`). This module finds both and
renders the appendix page ``chapters/appendix_claims.ipynb`` as MyST Markdown (the book renders
``text/markdown`` outputs as MyST, so the roles written here become links): each row links to
the claim's box in its chapter, to the derivation and the library function it is about (API
page), and to the cells and tests that check it.

Examples
--------
>>> from softmax_ce_book.claims import Claim, Verdict
>>> claim = Claim("ch9.demo", Verdict.HOLDS_UNDER, "09_demo", "ch9-demo", 3,
...               {"source": "a = b", "condition": "$b = a$", "code": "softmax_ce.softmax"})
>>> row = claim_rows([claim], {"ch9.demo": ["tests/test_demo.py::test_sum"]})[0]
>>> print(row[0])
{ref}`ch9.demo <claim-ch9.demo>`
<BLANKLINE>
原文：“a = b”
>>> print(row[1])
**附条件成立**。条件：$b = a$
>>> print(row[2], "|", row[3])
实现 {py:func}`softmax_ce.softmax` | `tests/test_demo.py::test_sum`
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from softmax_ce_book.claims import ID_PATTERN, Claim, Verdict, parse_claims

__all__ = [
    "VERDICT_ORDER",
    "claim_rows",
    "details_markdown",
    "find_checks",
    "find_claims",
    "ledger_markdown",
    "summary_markdown",
]

#: Column order of the summary table (the book's own claims first, then the verdicts on the source).
VERDICT_ORDER: tuple[Verdict, ...] = (Verdict.BOOK, Verdict.HOLDS, Verdict.HOLDS_UNDER, Verdict.FAILS)

_NOTEBOOK_CHECK = re.compile(rf"""\bcheck\(\s*["']({ID_PATTERN})["']""")
_NOTEBOOK_LOCATION = re.compile(r"^chapters/(?P<stem>[^/]+)\.ipynb, 单元格 (?P<cell>\d+)$")


def _cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def _notebooks(root: Path) -> list[Path]:
    return sorted((root / "chapters").glob("*.ipynb"))


def find_claims(root: str | Path) -> dict[str, Claim]:
    """Every claim declared in the chapters below ``root``, keyed by id, in book order.

    Raises
    ------
    ValueError
        If two declarations share an id.
    """
    claims: dict[str, Claim] = {}
    for notebook in _notebooks(Path(root)):
        section = None
        for number, cell in enumerate(_cells(notebook), start=1):
            if cell["cell_type"] != "markdown":
                continue
            found, section = parse_claims("".join(cell["source"]), chapter=notebook.stem,
                                          cell=number, section=section)
            for claim in found:
                if claim.id in claims:
                    first = claims[claim.id]
                    raise ValueError(f"claim {claim.id} is declared twice: {first.chapter} cell "
                                     f"{first.cell} and {claim.chapter} cell {claim.cell}")
                claims[claim.id] = claim
    return claims


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
    """Every check of every claim id in the chapters and tests below ``root``.

    Returns
    -------
    dict
        Claim id -> locations: ``"chapters/01_softmax.ipynb, 单元格 12"`` for a cell calling
        ``check``, ``"tests/test_x.py::test_name"`` for a marked test. Ids that no chapter
        declares appear too, so a test can flag them.
    """
    root = Path(root)
    found: dict[str, list[str]] = {}
    for notebook in _notebooks(root):
        for number, cell in enumerate(_cells(notebook), start=1):
            if cell["cell_type"] != "code":
                continue
            for claim_id in _NOTEBOOK_CHECK.findall("".join(cell["source"])):
                where = f"{notebook.relative_to(root).as_posix()}, 单元格 {number}"
                found.setdefault(claim_id, []).append(where)
    for test_file in sorted((root / "tests").glob("test_*.py")):
        for claim_id, test_name in _marked_claims(test_file):
            where = f"{test_file.relative_to(root).as_posix()}::{test_name}"
            found.setdefault(claim_id, []).append(where)
    return found


def _one_line(text: str) -> str:
    """Collapse whitespace so a value fits in one list-table cell."""
    return " ".join(text.split())


def _verdict_text(claim: Claim) -> str:
    opts = claim.options
    if claim.verdict is Verdict.HOLDS_UNDER:
        text = f"**{claim.verdict.chinese}**。条件：{_one_line(opts['condition'])}"
    elif claim.verdict is Verdict.FAILS:
        text = f"**{claim.verdict.chinese}**。反例：{_one_line(opts['counterexample'])}"
    elif claim.verdict is Verdict.HOLDS:
        text = f"**{claim.verdict.chinese}**"
    else:
        text = claim.verdict.chinese
    return text


def _check_text(location: str) -> str:
    """A notebook cell links to its chapter; a test is shown as its pytest node id."""
    match = _NOTEBOOK_LOCATION.match(location)
    if match:
        return f"{{doc}}`单元格 {match['cell']} </chapters/{match['stem']}>`"
    return f"`{location}`"


def claim_rows(claims: Iterable[Claim], checks: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Rows ``[claim, verdict, derivation and code, checks]`` of the detail table, as MyST.

    The first cell links the id to the claim's box and adds its title and, for a claim on the
    source documents, the quoted sentence, as separate paragraphs (joined by a blank line).
    """
    rows = []
    for claim in claims:
        opts = claim.options
        paragraphs = [f"{{ref}}`{claim.id} <claim-{claim.id}>`"]
        if opts.get("title"):
            paragraphs.append(_one_line(opts["title"]))
        if opts.get("source"):
            paragraphs.append(f"原文：“{_one_line(opts['source'])}”")
        links = []
        if opts.get("derivation"):
            links.append(f"推导 {{py:func}}`{opts['derivation']}`")
        if opts.get("code"):
            links.append(f"实现 {{py:func}}`{opts['code']}`")
        where = [_check_text(w) for w in checks.get(claim.id, [])]
        if opts.get("uncheckable"):
            where.append(f"代码无法检验：{_one_line(opts['uncheckable'])}")
        rows.append([
            "\n\n".join(paragraphs),
            _verdict_text(claim),
            "；".join(links) if links else "—",
            "；".join(where) if where else "**（缺少检查）**",
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
        return "目前还没有任何命题。"
    rows = []
    for chapter, items in _by_chapter(claims).items():
        counts = [sum(c.verdict is v for c in items) for v in VERDICT_ORDER]
        rows.append([f"{{doc}}`/chapters/{chapter}`", *map(str, counts), str(len(items))])
    totals = [sum(c.verdict is v for c in claims) for v in VERDICT_ORDER]
    rows.append(["**合计**", *(f"**{n}**" for n in totals), f"**{len(claims)}**"])
    header = ["章", *(v.chinese for v in VERDICT_ORDER), "合计"]
    return _list_table(header, rows, "40 12 12 12 12 12", title="按章与结论统计")


def details_markdown(claims: Sequence[Claim], checks: Mapping[str, Sequence[str]]) -> str:
    """One table per chapter: every claim with its verdict, derivation, code and checks."""
    if not claims:
        return "目前还没有任何命题。"
    parts = []
    header = ["命题", "结论", "推导与实现", "检查"]
    for chapter, items in _by_chapter(claims).items():
        # a colon fence: a backtick fence's info string may not contain the role's backticks
        parts.append(f":::{{rubric}} {{doc}}`/chapters/{chapter}`\n:::")
        parts.append(_list_table(header, claim_rows(items, checks), "34 28 20 18"))
    return "\n\n".join(parts)


def ledger_markdown(root: str | Path) -> list[str]:
    """The generated parts of the ledger page, in page order: ``[summary, details]``.

    Parameters
    ----------
    root : str or pathlib.Path
        The book's root (the folder holding ``chapters/`` and ``tests/``).
    """
    claims = list(find_claims(root).values())
    return [summary_markdown(claims), details_markdown(claims, find_checks(root))]
