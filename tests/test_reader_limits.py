"""Reader first (issue 8): every chapter keeps its visible code short. Evidence cells are
collapsed with cell tags (nbval still runs and compares them); what stays visible is at most 250
lines a chapter, none longer than 88 characters (wider lines are cut off at the page width), and
each chapter opens with a 本章主线 box."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
HIDDEN = {"hide-input", "hide-cell", "remove-input", "remove-cell"}
MAX_VISIBLE_LINES, MAX_LINE_LENGTH = 250, 88


def _visible_code_lines(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [line for cell in cells if cell["cell_type"] == "code"
            and not set(cell.get("metadata", {}).get("tags", [])) & HIDDEN
            for line in "".join(cell["source"]).splitlines()]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 6


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_visible_code_is_at_most_250_lines_of_at_most_88_characters(notebook):
    lines = _visible_code_lines(notebook)
    assert len(lines) <= MAX_VISIBLE_LINES, f"{len(lines)} visible code lines"
    long = [line for line in lines if len(line) > MAX_LINE_LENGTH]
    assert not long, f"visible lines over {MAX_LINE_LENGTH} characters: {long[:3]}"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_its_main_line_box_linking_its_sections(notebook):
    first = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])
    box = re.search(r"```\{admonition\} 本章主线\n(.*?)```", first, re.S)
    assert box, "no 本章主线 box in the first cell"
    points = re.findall(r"^\d+\. ", box.group(1), re.M)
    assert 3 <= len(points) <= 5
    assert box.group(1).count("{ref}`") >= len(points)


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_setup_cell_is_collapsed(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    setup = next(cell for cell in cells if cell["cell_type"] == "code")
    assert set(setup.get("metadata", {}).get("tags", [])) & {"hide-cell", "remove-cell",
                                                            "hide-input"}
