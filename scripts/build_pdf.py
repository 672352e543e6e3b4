"""Print the whole book as one PDF: the single-page HTML build, typeset by headless chromium.

``make pdf`` runs this after ``jupyter-book build . --builder singlehtml`` (the strict flags of
``make book``)::

    .venv/bin/python scripts/build_pdf.py [--html _build/singlehtml] [--out _build/pdf/book.pdf]

The route, and why: the HTML book already needs Debian ``chromium`` (its browser test), so the
PDF costs no further system package, and it shows exactly what the HTML shows: MathJax math
with the book's equation numbers, glued values, the notebook outputs, the figures, the theme's
print title page and table of contents. The PDF gets bookmarks from the headings
(``outline=True``) and page numbers in the footer. A LaTeX route would need some 0.5-1.5 GB of
TeX Live on top, and a second rendering of every notebook output.

What the script does:

1. The singlehtml builder writes the book as one page at the root document's place
   (``chapters/intro.html``) but with every link relative to the HTML root, so images and
   styles would not load there. The page is copied to the root as ``book.html``, and its links
   to itself (``chapters/intro.html#x``) become in-document links (``#x``), which the PDF keeps
   as internal links. The search index script, which singlehtml does not build, is dropped.
2. A local HTTP server on 127.0.0.1 serves the folder; chromium (``$SOFTMAX_CE_CHROMIUM`` or
   ``chromium`` on PATH, launched through playwright, never downloaded) loads ``book.html``
   with every non-local request aborted.
   Every in-document link must then have its target, or the script stops.
3. It opens the dropdowns (a PDF cannot be clicked), waits until MathJax has typeset every
   formula and its web fonts and every image have loaded, and stops with an error on a console
   error, a failed or remote request, an untypeset formula or a MathJax error node: a broken
   PDF is never left behind.
4. It prints A4 with bookmarks, tagged (accessible) PDF and a page-number footer, then repairs
   bookmarks that chromium wrote with parts of their heading's text twice, or without the
   heading's formula (see ``repair_bookmarks``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 120_000
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]

# Ready to print: MathJax typeset everything (its fonts loaded), every image decoded.
READY = """async () => {
    if (window.MathJax && window.MathJax.startup) await window.MathJax.startup.promise;
    await document.fonts.ready;
    await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
    const maths = [...document.querySelectorAll('.math')];
    return {
        maths: maths.length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container')).length,
        merrors: document.querySelectorAll('mjx-merror').length,
        mathFontsLoaded: [...document.fonts].filter(
            f => f.family.replace(/"/g, '').startsWith('MJX') && f.status === 'loaded').length,
        brokenImages: [...document.images].filter(
            i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    };
}"""

# Paper cannot be clicked: dropdowns (exercise answers ...) print open. Hidden cells stay hidden.
OPEN_DROPDOWNS = ("() => document.querySelectorAll('details.sd-dropdown')"
                  ".forEach(d => d.open = true)")

# The headings chromium turns into bookmarks, in document order, as the reader sees them.
HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
    .filter(h => h.getClientRects().length > 0 && getComputedStyle(h).visibility !== 'hidden')
    .map(h => {
        const copy = h.cloneNode(true);
        copy.querySelectorAll('.headerlink').forEach(a => a.remove());
        return copy.textContent.replace(/\\s+/g, ' ').trim();
    })"""

FOOTER = ('<div style="width:100%; font-size:8pt; color:#555; text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def chromium() -> str | None:
    """``$SOFTMAX_CE_CHROMIUM``, else ``chromium`` on PATH (the browser and PDF tests use this)."""
    return os.environ.get("SOFTMAX_CE_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


def single_page(html: Path) -> str:
    """The page the singlehtml builder wrote (``index.html`` redirects to it)."""
    index = (html / "index.html").read_text(encoding="utf-8")
    match = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index)
    return match[1] if match else "index.html"


DOCUMENT = re.compile(r'<span id="document-[^"]+"></span>')
ID = re.compile(r'(<[^>]*\sid=")([^"]+)("[^>]*>)')
LOCAL_LINK = re.compile(r'href="#([^"]+)"')


def unique_ids(text: str) -> str:
    """Make the ids of the joined documents unique, keeping every link on its target.

    Sphinx makes ids unique within one document only: joined, the chapters repeat ``id1``,
    ``id2`` ... (sections with Chinese titles, citations), so a link could jump to another
    chapter's ``id1``. Within a document a link is ``#x``; such an id, where it is repeated,
    becomes ``x-<n>`` (``n`` numbers the document) together with that document's links to it.
    A link from one document to another is still ``<page>#x`` here; in this book such links to
    a repeated id are citations, so the bibliography entry keeps the bare ``x``. Should that
    ever change, ``missing_anchors`` reports the link that lost its target.
    """
    starts = [0, *(m.start() for m in DOCUMENT.finditer(text)), len(text)]
    parts = [text[a:b] for a, b in zip(starts, starts[1:])]
    count: dict[str, int] = {}
    keeper: dict[str, int] = {}
    for n, part in enumerate(parts):
        for match in ID.finditer(part):
            count[match[2]] = count.get(match[2], 0) + 1
            if "doc-biblioentry" in match[0]:
                keeper[match[2]] = n

    def first(n: int, name: str) -> str:
        """The new name of the first ``name`` in document ``n`` (its local links' target)."""
        return f"{name}-{n}" if count[name] > 1 and keeper.get(name) != n else name

    out = []
    for n, part in enumerate(parts):
        # sphinx-proof repeats ids (``proof``, ``proof-content``) even within one document:
        # their later copies, never a link target, are numbered on.
        occurrences: dict[str, int] = {}

        def new_id(match: re.Match) -> str:
            name = match[2]
            k = occurrences[name] = occurrences.get(name, 0) + 1
            renamed = first(n, name) if k == 1 else f"{name}-{n}-{k}"
            return match[1] + renamed + match[3]

        part = ID.sub(new_id, part)
        part = LOCAL_LINK.sub(
            lambda m: f'href="#{first(n, m[1]) if m[1] in count else m[1]}"', part)
        out.append(part)
    return "".join(out)


def missing_anchors(text: str) -> list[str]:
    """The in-document links (``#x``) whose target id the page lacks."""
    ids = {match[2] for match in ID.finditer(text)}
    return sorted({f"link to a missing anchor: #{name}" for name in LOCAL_LINK.findall(text)
                   if name not in ids})


def write_printable_page(html: Path, page: str) -> Path:
    """Copy the single page to the HTML root, its self-links made in-document (see step 1)."""
    text = unique_ids((html / page).read_text(encoding="utf-8"))
    text = text.replace(f'href="{page}#', 'href="#').replace(f'href="{page}"', 'href="#"')
    # The theme's search box loads searchindex.js on every page; singlehtml builds no index.
    text = text.replace('<script src="searchindex.js"></script>', "")
    target = html / "book.html"
    target.write_text(text, encoding="utf-8")
    return target


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while in the block; yield its origin."""
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def print_pdf(executable: str, origin: str, page: str, out: Path) -> list[str]:
    """Load ``origin/page`` offline and print it to ``out``; return what went wrong instead."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            problems.append(f"blocked request to a remote host: {url}")
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            context = browser.new_context(service_workers="block")
            context.route("**/*", only_local)
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            tab.on("console", lambda m: m.type == "error" and problems.append(
                f"console error: {m.text}"))
            tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            tab.on("requestfailed", lambda r: problems.append(
                f"request failed: {r.url} ({r.failure})"))
            tab.on("response", lambda r: r.status >= 400 and problems.append(
                f"HTTP {r.status}: {r.url}"))
            response = tab.goto(f"{origin}/{page}", wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{page} did not load: {response and response.status}")
            tab.emulate_media(media="print")
            tab.evaluate(OPEN_DROPDOWNS)
            state = tab.evaluate(READY)
            if state["untypeset"]:
                problems.append(f"{state['untypeset']} of {state['maths']} formulas not typeset")
            if state["merrors"]:
                problems.append(f"{state['merrors']} MathJax error nodes (mjx-merror)")
            if state["maths"] and not state["mathFontsLoaded"]:
                problems.append("MathJax web fonts did not load")
            problems += [f"image not loaded: {src}" for src in state["brokenImages"]]
            if problems:
                return problems
            headings = tab.evaluate(HEADINGS)
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(path=out, format="A4", print_background=True, outline=True, tagged=True,
                    display_header_footer=True, header_template="<div></div>",
                    footer_template=FOOTER,
                    margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        finally:
            browser.close()
    return repair_bookmarks(out, headings)


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def repair_bookmarks(pdf: Path, headings: list[str]) -> list[str]:
    """Give every bookmark its heading's text; return what did not match instead.

    Chromium (156) writes some bookmarks with parts of their heading's text twice ("1.1. 1.1.
    Softmax 的定义Softmax 的定义"), apparently for headings laid out again at a page break,
    and leaves a formula in a heading out. The bookmarks are in document order, one per visible
    heading; each one whose title differs from its heading's text (a formula as MathJax's
    text for screen readers) is set to that text, in an incremental update (the pages are not
    rewritten). A bookmark with a character its heading lacks means the two lists are not
    aligned: nothing is changed then, and the mismatch is reported.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(PdfReader(pdf), incremental=True)
    items = []
    stack = [writer.root_object["/Outlines"].get_object().get("/First")]
    while stack:  # depth first, in document order
        item = stack.pop()
        if item is None:
            continue
        item = item.get_object()
        items.append(item)
        stack += [item.get("/Next"), item.get("/First")]
    if len(items) != len(headings):
        return [f"{len(items)} bookmarks for {len(headings)} headings"]
    changes = [(item, heading) for item, heading in zip(items, headings)
               if _squashed(str(item["/Title"])) != _squashed(heading)]
    problems = [f"bookmark {str(item['/Title'])!r} for the heading {heading!r}"
                for item, heading in changes
                if not set(_squashed(str(item["/Title"]))) <= set(_squashed(heading))]
    if changes and not problems:
        for item, heading in changes:
            item[NameObject("/Title")] = TextStringObject(heading)
        repaired_pdf = pdf.with_suffix(".tmp")
        writer.write(repaired_pdf)
        repaired_pdf.replace(pdf)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "singlehtml",
                        help="the singlehtml build (default: _build/singlehtml)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf",
                        help="the PDF to write (default: _build/pdf/book.pdf)")
    args = parser.parse_args(argv)
    executable = chromium()
    if executable is None:
        print("build_pdf: chromium not found (apt-get install chromium, or set "
              "SOFTMAX_CE_CHROMIUM)", file=sys.stderr)
        return 2
    if not (args.html / "index.html").is_file():
        print(f"build_pdf: no singlehtml build at {args.html}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    printable = write_printable_page(args.html, single_page(args.html))
    args.out.unlink(missing_ok=True)
    problems = missing_anchors(printable.read_text(encoding="utf-8"))
    if not problems:
        with serve(args.html) as origin:
            problems = print_pdf(executable, origin, printable.name, args.out)
    if problems:
        args.out.unlink(missing_ok=True)
        print("build_pdf: no PDF written:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    size = args.out.stat().st_size / 1e6
    print(f"PDF written: {args.out} ({size:.1f} MB, {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
