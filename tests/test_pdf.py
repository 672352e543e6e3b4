"""The PDF of the book (``make pdf``, written to ``_build/pdf/book.pdf``) is the whole book.

Run after ``make pdf`` (``make test`` does: ... → ``make test-pdf`` = ``make pdf`` + this file)::

    .venv/bin/python -m pytest -m browser tests/test_pdf.py

Checked on the PDF itself, with poppler's ``pdftotext``/``pdffonts``/``pdfimages`` and pypdf:

* it has the pages of a whole book, and the text of every page can be extracted;
* the Chinese is real text (fonts embedded, each with a map back to Unicode; a CJK font is
  installed), and no MathJax error message or raw TeX is left in the text;
* the title and every page's title from ``_toc.yml`` (numbered ``1. Softmax`` ... for the
  chapters) are extractable text and bookmarks, in ``_toc.yml`` order, each bookmark opening
  the page where its title stands;
* every distinct figure of the notebooks is in it.

The PDF is printed by chromium (``scripts/build_pdf.py``): without chromium these tests are
skipped ("PDF test SKIPPED: chromium not found"), unless ``SOFTMAX_CE_REQUIRE_BROWSER=1`` (as in
CI), which turns the missing browser into a failure.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_pdf import chromium  # noqa: E402  the browser the PDF was printed with

pytestmark = pytest.mark.browser

PDF = Path(os.environ.get("SOFTMAX_CE_BOOK_PDF", ROOT / "_build" / "pdf" / "book.pdf")).resolve()
REQUIRE = os.environ.get("SOFTMAX_CE_REQUIRE_BROWSER") == "1"
BOOK_TITLE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]

#: Fewer pages than this is not the whole book (it has some 300 pages of A4).
MIN_PAGES = 150

#: MathJax's TeX input error messages (what an ``mjx-merror`` node shows), and raw TeX
#: delimiters: either in the text means a formula was not typeset.
MATHJAX_ERRORS = re.compile(
    r"Undefined control sequence|Missing (?:argument|open brace|close brace)|Extra close brace"
    r"|Extra open brace|Misplaced &|Double (?:exponent|subscripts)|Unknown environment"
    r"|Math input error|\\\(|\\\)|\\\[|\\\]|\\begin\{")


@pytest.fixture(scope="module", autouse=True)
def pdf() -> Path:
    if chromium() is None:
        message = "PDF test SKIPPED: chromium not found"
        if REQUIRE:
            pytest.fail(f"{message}, but SOFTMAX_CE_REQUIRE_BROWSER=1")
        pytest.skip(message)
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdfimages") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: apt-get install poppler-utils")
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `make pdf` first")
    return PDF


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _squashed(text: str) -> str:
    """Text without white space: pdftotext breaks lines and spaces Chinese from Latin freely."""
    return re.sub(r"\s+", "", text)


@cache
def pages_text() -> list[str]:
    """The text of each page, in drawing (i.e. document) order; form feeds separate pages."""
    return _run("pdftotext", "-raw", "-enc", "UTF-8", str(PDF), "-").split("\f")[:-1]


def _page_title(entry: str) -> str:
    """The first ``# `` heading of a ToC entry's page (``.md`` or ``.ipynb``)."""
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{entry}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if suffix == ".ipynb":
                text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"]
                                 if c["cell_type"] == "markdown")
            return re.search(r"^# (.+)$", text, re.M)[1].strip()
    raise FileNotFoundError(entry)


def titles_in_reading_order() -> list[str]:
    """Every page's title as the book prints it: the numbered parts' chapters as ``1. Softmax``,
    numbered on across parts (``use_multitoc_numbering``: 正文 1-4, then 进阶 5, 6 ...)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    titles = []
    number = 0
    for part in toc["parts"]:
        for entry in part["chapters"]:
            title = _page_title(entry["file"])
            if part.get("numbered"):
                number += 1
                title = f"{number}. {title}"
            titles.append(title)
    return titles


TITLES = titles_in_reading_order()


@cache
def bookmarks() -> list[tuple[str, int]]:
    """Every bookmark (title, 1-based page), depth first, i.e. in reading order."""
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    found: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def test_pdf_has_the_pages_of_the_whole_book_all_with_text():
    pages = pages_text()
    assert len(pages) >= MIN_PAGES, f"{len(pages)} pages: not the whole book"
    empty = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    assert not empty, f"pages without extractable text: {empty}"


def test_chinese_is_text_in_embedded_fonts_that_map_back_to_unicode():
    """Every font is embedded with a ToUnicode map, so each glyph (CJK, math) is text.

    Chromium embeds the CJK font (OpenType/CFF) and MathJax's fonts as Type 3 fonts without
    names, so the font names cannot tell; a CJK font must be installed for chromium to draw
    Chinese at all (``fc-list :lang=zh``), and the book's Chinese title must come out as text.
    """
    assert _run("fc-list", ":lang=zh").strip(), (
        "no CJK font installed: apt-get install fonts-noto-cjk")
    fonts = _run("pdffonts", str(PDF)).splitlines()[2:]
    assert fonts
    # columns: name, type (one or two words), encoding, emb, sub, uni, object id, generation
    bad = [line for line in fonts if line.split()[-5] != "yes" or line.split()[-3] != "yes"]
    assert not bad, f"fonts not embedded or without a ToUnicode map: {bad[:5]}"
    assert _squashed(BOOK_TITLE) in _squashed(pages_text()[0])


def test_no_mathjax_error_or_raw_tex_in_the_text():
    found = [(n, m.group(0)) for n, text in enumerate(pages_text(), start=1)
             for m in MATHJAX_ERRORS.finditer(text)]
    assert not found, f"MathJax errors or untypeset TeX (page, text): {found[:20]}"


def test_every_page_title_is_extractable_text_beyond_the_contents_page():
    """Page 1 holds the title and the contents: each title must also stand on a later page."""
    pages = [_squashed(text) for text in pages_text()[1:]]
    missing = [title for title in TITLES if not any(_squashed(title) in text for text in pages)]
    assert not missing, f"titles not found as text after page 1: {missing}"


def test_every_page_title_is_a_bookmark_to_the_page_where_it_stands():
    """The titles are bookmarks in ``_toc.yml`` order (a section may share a page's title)."""
    marks = bookmarks()
    assert marks and marks[0][0] == BOOK_TITLE, marks[:3]
    pages = pages_text()
    position = 0
    for title in TITLES:
        found = [i for i, (mark, _) in enumerate(marks) if i > position and mark == title]
        assert found, f"no bookmark {title!r} after {marks[position][0]!r}: {[m for m, _ in marks]}"
        position = found[0]
        page = marks[position][1]
        assert _squashed(title) in _squashed(pages[page - 1]), f"bookmark {title!r} -> page {page}"


def test_no_bookmark_repeats_its_heading_text():
    """Chromium can write a heading's text twice into its bookmark; build_pdf.py repairs it."""
    doubled = [title for title, _ in bookmarks()
               if re.fullmatch(r"(.+)\1|([\d.]+)\2(.+)\3", _squashed(title))]
    assert not doubled, doubled


def test_every_figure_of_the_notebooks_is_in_the_pdf():
    figures = set()
    for notebook in (ROOT / "chapters").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    figures.add(base64.b64decode("".join(output["data"]["image/png"])))
    images = [line for line in _run("pdfimages", "-list", str(PDF)).splitlines()[2:]
              if line.split()[2] == "image"]  # not the soft masks (smask) of transparent images
    assert figures, "the notebooks have no figures: the check would prove nothing"
    assert len(images) >= len(figures), f"{len(images)} images in the PDF, {len(figures)} figures"
