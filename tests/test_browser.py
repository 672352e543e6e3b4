"""The built book in a real browser (headless Debian chromium), with the network off.

Run after the book is built (``make test`` does: pytest → ``make book`` → this file)::

    .venv/bin/python -m pytest -m browser tests/test_browser.py

The HTML is served from ``_build/html`` (or ``$SOFTMAX_CE_BOOK_HTML``) by a local HTTP server on
127.0.0.1. Every other request the browser makes is aborted and reported as a failure, so a page
that needs the network (a CDN script, a remote font) fails here. For EVERY built page:

* it loads (HTTP 200) with no console error, no uncaught page error, no failed request;
* on a page with math, MathJax typeset every formula (each ``.math`` element holds an
  ``mjx-container``), produced no ``mjx-merror``, and its web fonts were actually loaded
  (``document.fonts``), i.e. the local copy under ``_static/mathjax`` is complete;
* every ``<img>`` decoded with a natural width > 0;
* every internal link points to an existing file, and every ``#anchor`` to an existing id.

No built page or stylesheet names a remote resource (script, stylesheet, image, font), checked
statically as well, so a lazily loaded one cannot slip through.

Each chapter page that is a notebook offers it for download (the theme's download button): a
link to ``_sources/<page>.ipynb`` that the local server serves, byte for byte the source notebook.

Chinese full-text search (``search.html?q=...``) returns results for 交叉熵 and 对数似然, and body
text is indexed (the 术语表 page, whose title lacks the word, is among the hits for 交叉熵).

Chromium is found as ``$SOFTMAX_CE_CHROMIUM`` or ``chromium`` on PATH. Without it the tests
are skipped ("browser test SKIPPED: chromium not found"), unless ``SOFTMAX_CE_REQUIRE_BROWSER=1``
(as in CI), which turns the missing browser into a failure.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
# The PDF script loads the book the same way: local server, chromium found the same way.
from build_pdf import BROWSER_ARGS, chromium, serve  # noqa: E402

pytestmark = pytest.mark.browser

HTML = Path(os.environ.get("SOFTMAX_CE_BOOK_HTML", ROOT / "_build" / "html")).resolve()
REQUIRE = os.environ.get("SOFTMAX_CE_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 30_000


def _pages() -> list[str]:
    """Every built HTML page, relative to the HTML root (theme/MathJax assets excluded)."""
    if not HTML.is_dir():
        return []
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if not p.relative_to(HTML).parts[0].startswith("_"))


PAGES = _pages()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `make book` first")
    with serve(HTML) as origin:
        yield origin


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        message = "browser test SKIPPED: chromium not found"
        if REQUIRE:
            pytest.fail(f"{message}, but SOFTMAX_CE_REQUIRE_BROWSER=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One page load with everything that went wrong while loading it."""

    def __init__(self, browser, origin: str, path: str) -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(service_workers="block")
        self.context.route("**/*", self._only_local(origin))
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        url = f"{origin}/{path}"
        response = self.page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            self.problems.append(f"page did not load: {response and response.status}")
        source = HTML / urlsplit(path).path
        if 'http-equiv="Refresh"' in source.read_text(encoding="utf-8"):  # root index.html redirects
            self.page.wait_for_url(lambda u: u != url)
            self.page.wait_for_load_state("load")

    def _only_local(self, origin: str):
        def handle(route) -> None:
            url = route.request.url
            if url.startswith(origin + "/") or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                self.problems.append(f"blocked request to a remote host: {url}")
                route.abort()

        return handle

    def close(self) -> None:
        self.context.close()


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"id", "name"} and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids_in(file: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(file.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _target_file(path: str) -> Path:
    target = HTML / unquote(path).lstrip("/")
    return target / "index.html" if target.is_dir() else target


MATH_STATE = """async () => {
    const maths = [...document.querySelectorAll('.math')];
    if (maths.length === 0) return {maths: 0};
    await window.MathJax.startup.promise;
    await document.fonts.ready;
    const fonts = [...document.fonts].filter(f => f.family.replace(/"/g, '').startsWith('MJX'));
    return {
        maths: maths.length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container')).length,
        containers: document.querySelectorAll('mjx-container').length,
        merrors: document.querySelectorAll('mjx-merror').length,
        fontsLoaded: fonts.filter(f => f.status === 'loaded').map(f => f.family),
        fontsFailed: fonts.filter(f => f.status === 'error').map(f => f.family),
    };
}"""

IMAGES_STATE = """async () => {
    const images = [...document.images];
    await Promise.all(images.map(i => i.decode().catch(() => null)));
    return images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);
}"""

LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


@pytest.mark.parametrize("path", PAGES or ["(no built book)"])
def test_page_loads_offline_with_math_images_and_links(browser, server, path):
    assert PAGES, f"no HTML pages under {HTML}: run `make book` first"
    visit = Visit(browser, server, path)
    try:
        problems = visit.problems
        math = visit.page.evaluate(MATH_STATE)
        if math["maths"]:
            if math["untypeset"]:
                problems.append(f"{math['untypeset']} of {math['maths']} formulas not typeset")
            if math["merrors"]:
                problems.append(f"{math['merrors']} MathJax error nodes (mjx-merror)")
            if not math["fontsLoaded"] or math["fontsFailed"]:
                problems.append(f"MathJax fonts: loaded {math['fontsLoaded']}, failed {math['fontsFailed']}")
        for src in visit.page.evaluate(IMAGES_STATE):
            problems.append(f"image not loaded: {src}")
        for href in visit.page.evaluate(LINKS):
            if not href.startswith(server + "/"):
                continue  # external links (DOIs) are not followed: the test is offline
            url = urlsplit(href)
            target = _target_file(url.path)
            if not target.is_file():
                problems.append(f"broken link: {href}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _ids_in(target):
                problems.append(f"broken anchor: {href}")
        assert not problems, f"{path}:\n  " + "\n  ".join(problems)
    finally:
        visit.close()


def test_every_page_with_math_exists():
    """Guard against an empty or partial build: the chapters and the notation page are there."""
    for page in ["index.html", "chapters/intro.html", "chapters/notation.html", "search.html",
                 "chapters/appendix_claims.html", "chapters/api.html"]:
        assert (HTML / page).is_file(), f"{page} missing from {HTML}"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert list((HTML / "_static" / "mathjax").rglob("*.woff")), "MathJax fonts were not copied"


REMOTE_RESOURCE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//", re.I)
REMOTE_CSS = re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I)


def test_no_built_page_or_stylesheet_names_a_remote_resource():
    """Static complement of the network block: also catches resources a browser loads lazily."""
    offenders = []
    for page in PAGES:
        text = (HTML / page).read_text(encoding="utf-8")
        offenders += [f"{page}: {m.group(0)[:120]}" for m in REMOTE_RESOURCE.finditer(text)]
    for css in HTML.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{css.relative_to(HTML)}: {m.group(0)}" for m in REMOTE_CSS.finditer(text)]
    assert PAGES and not offenders, offenders


SEARCH_RESULTS = """() => {
    const summary = document.querySelector('#search-results .search-summary, #search-results p');
    if (!summary || !summary.textContent.trim()) return null;  // still searching
    return [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href);
}"""


@pytest.mark.parametrize("query, must_find", [
    ("交叉熵", "chapters/glossary.html"),  # body text: the glossary's title lacks the word
    ("对数似然", None),
])
def test_chinese_search_finds_body_words(browser, server, query, must_find):
    visit = Visit(browser, server, f"search.html?q={query}")
    try:
        visit.page.wait_for_function(SEARCH_RESULTS)
        hits = visit.page.evaluate(SEARCH_RESULTS)
        assert hits, f"search for {query} found nothing"
        if must_find:
            assert any(urlsplit(h).path.endswith(must_find) for h in hits), hits
        assert not visit.problems, visit.problems
    finally:
        visit.close()


NOTEBOOKS = sorted(p.relative_to(ROOT).with_suffix("").as_posix()
                   for p in (ROOT / "chapters").glob("*.ipynb"))

NOTEBOOK_DOWNLOAD = """async (name) => {
    const links = [...document.querySelectorAll('a[href]')].filter(
        a => a.href.endsWith('/_sources/' + name + '.ipynb'));
    if (links.length === 0) return null;
    const response = await fetch(links[0].href);
    return {href: links[0].href, status: response.status, text: await response.text(),
            inDownloadMenu: links.some(a => a.closest('.dropdown-download-buttons') !== null)};
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_chapter_page_offers_its_notebook_for_download_offline(browser, server, notebook):
    visit = Visit(browser, server, f"{notebook}.html")
    try:
        download = visit.page.evaluate(NOTEBOOK_DOWNLOAD, notebook)
        assert download is not None, f"{notebook}.html has no link to _sources/{notebook}.ipynb"
        assert download["inDownloadMenu"], f"the .ipynb link is not in the download button's menu"
        assert download["href"].startswith(server + "/"), download["href"]
        assert download["status"] == 200, download
        source = (ROOT / f"{notebook}.ipynb").read_text(encoding="utf-8")
        assert download["text"] == source, f"downloaded {notebook}.ipynb differs from the source"
        assert not visit.problems, visit.problems
    finally:
        visit.close()


VISIBLE_CODE_OVERFLOW = """() => [...document.querySelectorAll(
        'div.cell_input pre, div.cell_output pre, div.highlight-default pre')]
    .filter(pre => pre.offsetParent !== null && !pre.closest('details:not([open])'))  // shown
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)  // would need a horizontal scroll bar
    .map(pre => pre.textContent.split('\\n').reduce((a, b) => b.length > a.length ? b : a, ''))"""

OUTLINE_WIDTHS = """() => { const o = document.querySelector('.bd-sidebar-secondary');
    return o && o.offsetParent !== null ? [o.clientWidth, o.scrollWidth] : null; }"""

CHAPTER_PAGES = [f"{n}.html" for n in NOTEBOOKS if re.search(r"/\d\d_", n)]


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_visible_code_and_output_fit_a_1280_pixel_window_without_scrolling(browser, server, page):
    """The 88-character limit on visible code lines is kept on screen: at 1280 x 720 (the
    browser's default viewport) no visible code cell, no printed output and no listing of the
    library's source (``literalinclude``, whose long lines wrap) needs a horizontal scroll bar;
    the page outline on the right fits its column."""
    visit = Visit(browser, server, page)
    try:
        assert visit.page.viewport_size == {"width": 1280, "height": 720}
        visit.page.evaluate("document.fonts.ready")
        cut = visit.page.evaluate(VISIBLE_CODE_OVERFLOW)
        assert not cut, f"{page}: visible code or output wider than the page, e.g. {cut[0]!r}"
        outline = visit.page.evaluate(OUTLINE_WIDTHS)
        assert outline is None or outline[1] <= outline[0] + 1, (
            f"{page}: the page outline is {outline[1]} px wide in a {outline[0]} px column: "
            "its long entries are cut off")
    finally:
        visit.close()
