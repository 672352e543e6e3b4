"""The claims ledger is consistent: every claim is declared once, in its chapter, and checked;
every check names a declared claim; and the ledger page shows the chapters as they are now."""

from __future__ import annotations

import difflib
import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from softmax_ce_book.claims import ClaimFailed, check, parse_claims
from softmax_ce_book.ledger import find_checks, find_claims, ledger_markdown

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = find_claims(ROOT)
CHECKS = find_checks(ROOT)
LEDGER = ROOT / "chapters" / "appendix_claims.ipynb"
REFRESH = ".venv/bin/python scripts/refresh_outputs.py chapters/appendix_claims.ipynb"

#: Cell tags under which a failing check() would not fail nbval.
FORGIVING_TAGS = {"raises-exception", "nbval-skip", "skip-execution", "nbval-raises-exception"}


def _cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def test_the_chapters_declare_claims():
    assert len(CLAIMS) >= 100


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_claim_is_declared_completely(claim_id):
    assert not CLAIMS[claim_id].problems()


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_claim_has_a_check_or_says_why_none_can_exist(claim_id):
    claim = CLAIMS[claim_id]
    if claim.options.get("uncheckable"):
        assert not CHECKS.get(claim_id), f"{claim_id} is marked uncheckable but has checks"
    else:
        assert CHECKS.get(claim_id), (
            f"claim {claim_id} has no check: call check({claim_id!r}, name=condition) in a cell "
            f"of its chapter or mark a test @pytest.mark.claim({claim_id!r})")


def test_every_check_names_a_declared_claim():
    unknown = {cid: where for cid, where in CHECKS.items() if cid not in CLAIMS}
    assert not unknown, f"checks of claims that no chapter declares: {unknown}"


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_is_declared_in_the_chapter_its_id_names(claim_id):
    number = int(re.match(r"ch(\d+)\.", claim_id)[1])
    assert CLAIMS[claim_id].chapter.startswith(f"{number:02d}_")


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_notebook_checks_sit_in_the_claims_own_chapter(claim_id):
    chapter = CLAIMS[claim_id].chapter
    for where in CHECKS.get(claim_id, []):
        if where.startswith("chapters/"):
            assert where.startswith(f"chapters/{chapter}.ipynb"), where


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_derivation_and_code_links_name_real_objects(claim_id):
    for key in ("derivation", "code"):
        name = CLAIMS[claim_id].options.get(key)
        if name:
            module, _, attr = name.rpartition(".")
            assert hasattr(importlib.import_module(module), attr), f"{claim_id}: {key} {name}"


def test_notebook_checks_run_in_cells_that_nbval_does_not_forgive():
    forgiven = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for number, cell in enumerate(_cells(notebook), start=1):
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell["cell_type"] == "code" and "check(" in "".join(cell["source"]) and tags & FORGIVING_TAGS:
                forgiven.append(f"{notebook.name}, 单元格 {number}: {sorted(tags & FORGIVING_TAGS)}")
    assert not forgiven, f"check() in cells whose failure would not fail nbval: {forgiven}"


def test_notebook_checks_name_their_conditions():
    """check("id", cond) with an unnamed condition could not say what failed."""
    positional = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for number, cell in enumerate(_cells(notebook), start=1):
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and re.search(r"""\bcheck\(\s*["'][^"']+["']\s*,(?!\s*\w+\s*=(?!=))""", source):
                positional.append(f"{notebook.name}, 单元格 {number}")
    assert not positional, f"check() with an unnamed condition: {positional}"


@pytest.mark.parametrize("false_condition", [False, np.bool_(False), 0, np.array([1.0]).sum() > 2])
def test_check_names_the_false_condition(false_condition):
    with pytest.raises(ClaimFailed, match=r"^claim ch9\.fake failed: second is false$"):
        check("ch9.fake", first=True, second=false_condition, third=np.bool_(True))


def test_check_names_every_false_condition():
    with pytest.raises(ClaimFailed, match=r"first, third are false"):
        check("ch9.fake", first=False, second=True, third=0)


def test_check_accepts_true_conditions():
    assert check("ch9.fake", holds=np.bool_(True)) is None


@pytest.mark.parametrize("bad_id", ["ch9", "9.fake", "ch9.Fake", "", None])
def test_check_rejects_a_malformed_id_naming_claim_id(bad_id):
    with pytest.raises(ValueError, match="claim_id"):
        check(bad_id, holds=True)


def test_check_needs_a_named_condition():
    with pytest.raises(ValueError, match="name at least one condition"):
        check("ch9.fake")
    with pytest.raises(TypeError):
        check("ch9.fake", True)  # an unnamed condition is not accepted


def test_a_declaration_missing_its_condition_is_reported():
    claims, _ = parse_claims("```{claim} ch9.x\n:verdict: holds-under\n:source: s\n\nbody\n```")
    assert claims[0].problems() == ["verdict holds-under needs :condition:"]


def test_an_unknown_verdict_is_an_error_naming_the_claim():
    with pytest.raises(ValueError, match="ch9.x.*verdict"):
        parse_claims("```{claim} ch9.x\n:verdict: maybe\n\nbody\n```")


def test_the_library_never_imports_the_books_machinery():
    library = ROOT / "softmax_ce"
    offenders = [p.relative_to(ROOT).as_posix() for p in library.rglob("*.py")
                 if "softmax_ce_book" in p.read_text(encoding="utf-8")]
    assert not offenders


def test_ledger_page_shows_the_chapters_as_they_are_now():
    stored = [
        "".join(output["data"]["text/markdown"])
        for cell in _cells(LEDGER) if cell["cell_type"] == "code"
        for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})
    ]
    current = ledger_markdown(ROOT)
    if stored != current:
        diff = list(difflib.unified_diff("\n\n".join(stored).splitlines(),
                                         "\n\n".join(current).splitlines(),
                                         "stored in appendix_claims.ipynb", "chapters now", lineterm="", n=1))
        pytest.fail(f"the ledger page is out of date; run: {REFRESH}\n" + "\n".join(diff[:30]))


def test_ledger_links_every_claim_to_its_box():
    details = ledger_markdown(ROOT)[1]
    for claim_id in CLAIMS:
        assert f"{{ref}}`{claim_id} <claim-{claim_id}>`" in details
