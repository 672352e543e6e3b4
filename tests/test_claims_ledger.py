"""The claims ledger is consistent: every claim is checked, every check is a claim, and the
ledger page shows the registry as it is now.

Passes with no registered claims (the per-claim tests then have nothing to run) and becomes
strict as soon as chapters register claims in ``softmax_ce/claims/chNN_<topic>.py``.
"""

from __future__ import annotations

import difflib
import importlib
import json
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import softmax_ce.claims as registry
from softmax_ce.claims import Claim, ClaimFailed, Verdict, all_claims, check, find_checks
from softmax_ce.claims.render import ledger_markdown

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = all_claims()
CHECKS = find_checks(ROOT)
LEDGER = ROOT / "chapters" / "appendix_claims.ipynb"
REFRESH = ".venv/bin/python scripts/refresh_outputs.py chapters/appendix_claims.ipynb"

#: Cell tags under which a failing check() would not fail nbval.
FORGIVING_TAGS = {"raises-exception", "nbval-skip", "skip-execution", "nbval-raises-exception"}


def _cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def _labels(notebook: Path) -> set[str]:
    """MyST targets ``(label)=`` written in the notebook's Markdown cells."""
    labels: set[str] = set()
    for cell in _cells(notebook):
        if cell["cell_type"] == "markdown":
            labels.update(re.findall(r"^\(([\w-]+)\)=\s*$", "".join(cell["source"]), re.MULTILINE))
    return labels


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_claim_has_a_check(claim_id):
    assert CHECKS.get(claim_id), (
        f"claim {claim_id} has no check: call check({claim_id!r}, ...) in a notebook cell "
        f"or mark a test @pytest.mark.claim({claim_id!r})")


def test_every_check_names_a_registered_claim():
    unknown = {cid: where for cid, where in CHECKS.items() if cid not in CLAIMS}
    assert not unknown, f"checks of claims that are not registered: {unknown}"


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_section_label_exists_in_its_chapter(claim_id):
    claim = CLAIMS[claim_id]
    notebook = ROOT / "chapters" / f"{claim.chapter}.ipynb"
    assert notebook.is_file(), f"{claim_id}: chapter file {notebook.relative_to(ROOT)} is missing"
    assert claim.section in _labels(notebook), (
        f"{claim_id}: no '({claim.section})=' label in a Markdown cell of {notebook.name}")


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_id_names_its_chapter(claim_id):
    claim = CLAIMS[claim_id]
    number = int(re.match(r"ch(\d+)\.", claim_id)[1])
    assert claim.chapter.startswith(f"{number:02d}_"), f"{claim_id} is registered for {claim.chapter}"


def test_notebook_checks_run_in_cells_that_nbval_does_not_forgive():
    forgiven = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for number, cell in enumerate(_cells(notebook), start=1):
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell["cell_type"] == "code" and "check(" in "".join(cell["source"]) and tags & FORGIVING_TAGS:
                forgiven.append(f"{notebook.name}, 单元格 {number}: {sorted(tags & FORGIVING_TAGS)}")
    assert not forgiven, f"check() in cells whose failure would not fail nbval: {forgiven}"


def test_claim_ids_are_unique_across_chapter_modules():
    ids: list[str] = []
    for info in pkgutil.iter_modules(registry.__path__):
        if re.fullmatch(r"ch\d\d_\w+", info.name):
            ids += [c.id for c in importlib.import_module(f"softmax_ce.claims.{info.name}").CLAIMS]
    assert len(ids) == len(set(ids)) == len(CLAIMS)


@pytest.fixture
def fake_registry(monkeypatch):
    """A registry holding one claim, so check() can be exercised with or without real claims."""
    claim = Claim(id="ch9.fake", chapter="09_fake", section="ch9-fake",
                  statement="$1 + 1 = 2$", verdict=Verdict.BOOK)
    monkeypatch.setattr(registry, "all_claims", lambda: {claim.id: claim})
    return claim


@pytest.mark.parametrize("false_condition", [False, np.bool_(False), 0, np.array([1.0]).sum() > 2])
def test_check_raises_claim_failed_on_a_false_condition(fake_registry, false_condition):
    with pytest.raises(ClaimFailed, match="ch9.fake"):
        check(fake_registry.id, false_condition)


def test_check_accepts_a_true_condition(fake_registry):
    assert check(fake_registry.id, np.bool_(True)) is None


def test_check_raises_key_error_on_an_unregistered_id(fake_registry):
    with pytest.raises(KeyError, match="ch9.not-registered"):
        check("ch9.not-registered", True)


@pytest.mark.parametrize("claim_id", sorted(CLAIMS)[:1])
def test_check_of_a_real_claim_fails_on_a_false_condition(claim_id):
    with pytest.raises(ClaimFailed):
        check(claim_id, False)


def test_ledger_page_shows_the_current_registry():
    stored = [
        "".join(output["data"]["text/markdown"])
        for cell in _cells(LEDGER) if cell["cell_type"] == "code"
        for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})
    ]
    current = ledger_markdown(ROOT)
    if stored != current:
        diff = list(difflib.unified_diff("\n\n".join(stored).splitlines(),
                                         "\n\n".join(current).splitlines(),
                                         "stored in appendix_claims.ipynb", "registry now", lineterm="", n=1))
        pytest.fail(f"the ledger page is out of date; run: {REFRESH}\n" + "\n".join(diff[:30]))


def test_ledger_links_every_claim_to_its_section():
    details = ledger_markdown(ROOT)[1]
    for claim in CLAIMS.values():
        assert f"`{claim.id}`" in details
        assert f"{{ref}}`{claim.section}`" in details
