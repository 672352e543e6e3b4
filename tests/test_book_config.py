"""The book's configuration keeps its promises: offline, strict, searchable, complete.

These are source-level checks (no build needed). The built HTML itself is checked in a real
browser by ``tests/test_browser.py``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
import yaml

import softmax_ce

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))

#: The chapter files fixed by the project's conventions, in reading order.
CHAPTERS = ["01_softmax", "02_log_likelihood", "03_cross_entropy", "04_softmax_cross_entropy",
            "05_softmax_at_scale",
            "06_real_data"]
APPENDICES = ["api", "appendix_claims", "verification", "references"]


def toc_files() -> list[str]:
    """Every file named in ``_toc.yml`` (root first), as written there."""
    files = [TOC["root"]]
    for part in TOC["parts"]:
        files += [entry["file"] for entry in part["chapters"]]
    return files


def source_of(entry: str) -> Path | None:
    """The page file behind a ToC entry (``.md`` or ``.ipynb``), or None if there is none."""
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{entry}{suffix}"
        if path.is_file():
            return path
    return None


def test_toc_lists_intro_notation_glossary_chapters_and_appendices_in_order():
    expected = ["chapters/intro", "chapters/notation", "chapters/glossary",
                *(f"chapters/{c}" for c in CHAPTERS), *(f"chapters/{a}" for a in APPENDICES)]
    assert toc_files() == expected


def test_toc_parts_have_captions_and_only_the_chapters_are_numbered():
    parts = TOC["parts"]
    assert all(part.get("caption") for part in parts)
    numbered = [e["file"] for part in parts if part.get("numbered") for e in part["chapters"]]
    assert numbered == [f"chapters/{c}" for c in CHAPTERS]


@pytest.mark.parametrize("entry", toc_files())
def test_every_toc_entry_has_its_page_file(entry):
    assert source_of(entry) is not None, f"{entry}.md or {entry}.ipynb is listed in _toc.yml but missing"


def test_every_page_in_chapters_is_in_the_toc():
    listed = {Path(f).name for f in toc_files()}
    pages = {p.stem for p in (ROOT / "chapters").iterdir() if p.suffix in {".md", ".ipynb"}}
    assert pages <= listed, f"pages not in _toc.yml (never built): {sorted(pages - listed)}"


def test_notebooks_are_not_executed_at_build_time_and_stderr_fails_the_build():
    execute = CONFIG["execute"]
    assert execute["execute_notebooks"] == "off"  # nbval proves the committed outputs current
    assert execute["stderr_output"] in {"warn", "error", "severe"}
    assert CONFIG["only_build_toc_files"] is True


def test_config_names_no_remote_host():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert not re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", text)


def test_mathjax_is_served_locally_by_sphinx_mathjax_offline():
    sphinx = CONFIG["sphinx"]
    assert "sphinx-mathjax-offline" in sphinx["extra_extensions"]
    assert "mathjax_path" not in sphinx["config"]  # the extension sets it to the local copy
    assert "intersphinx_mapping" not in sphinx["config"]  # would need the network at build time


def test_language_and_chinese_search_dictionary():
    config = CONFIG["sphinx"]["config"]
    assert config["language"] == "zh_CN"
    assert config["html_search_language"] == "zh"
    words = {line.split()[0] for line in
             (ROOT / config["html_search_options"]["dict"]).read_text(encoding="utf-8").splitlines()
             if line.strip()}
    for term in ["交叉熵", "对数似然", "负对数似然", "交叉熵损失", "信息量", "雅可比矩阵",
                 "标签平滑", "数值稳定性", "KL散度", "温度参数"]:
        assert term in words


def test_jieba_with_the_user_dictionary_keeps_the_book_terms_whole():
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    path = ROOT / CONFIG["sphinx"]["config"]["html_search_options"]["dict"]
    with open(path, "rb") as handle:  # jieba leaves a path it opens itself unclosed
        tokenizer.load_userdict(handle)
    words = set(tokenizer.cut_for_search("最小化交叉熵等价于最大化对数似然，雅可比矩阵与标签平滑"))
    assert {"交叉熵", "对数似然", "雅可比矩阵", "标签平滑"} <= words


def test_bibliography_keys_are_unique_and_cited_keys_exist():
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"@\w+\{([^,\s]+),", bib)
    assert len(keys) == len(set(keys))
    cited: set[str] = set()
    for page in (ROOT / "chapters").iterdir():
        if page.suffix in {".md", ".ipynb"}:
            for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", page.read_text(encoding="utf-8")):
                cited.update(k.strip() for k in group.split(","))
    assert cited <= set(keys), f"cited but not in references.bib: {sorted(cited - set(keys))}"


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(softmax_ce.__path__, prefix="softmax_ce."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts):
            continue  # private modules
        names.append(info.name)
    return names


def _documented_names(api: str) -> set[str]:
    """Fully qualified names the API page documents: ``autofunction`` under ``softmax_ce`` and
    the public members of every ``automodule`` not marked ``:no-members:``."""
    names = {f"softmax_ce.{n}" for n in re.findall(r"\.\. autofunction:: (\w+)", api)}
    for module_name, options in re.findall(r"\.\. automodule:: ([\w.]+)\n((?:[ \t]+:[\w-]+:.*\n)*)", api):
        if ":no-members:" in options:
            continue
        module = importlib.import_module(module_name)
        public = getattr(module, "__all__", None) or [
            n for n, obj in vars(module).items() if not n.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name]
        names |= {f"{module_name}.{n}" for n in public}
    return names


def test_api_page_documents_every_public_function_and_class():
    api = (ROOT / "chapters" / "api.md").read_text(encoding="utf-8")
    documented = _documented_names(api)
    documented_objects = {id(getattr(importlib.import_module(n.rsplit(".", 1)[0]), n.rsplit(".", 1)[1]))
                          for n in documented}
    assert {f"softmax_ce.{n}" for n in softmax_ce.__all__} <= documented
    missing = []
    for name in _public_modules():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if (attr.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj))
                    or obj.__module__ != name):
                continue
            if hasattr(module, "__all__") and attr not in module.__all__:
                continue  # a module-private helper without an underscore
            if id(obj) not in documented_objects:
                missing.append(f"{name}.{attr}")
    assert not missing, f"public objects missing from chapters/api.md: {missing}"


def test_static_folder_holds_no_javascript():
    # Jupyter Book adds every .js under _static/ to every page; MathJax comes from the
    # sphinx-mathjax-offline extension instead, and the book needs no other script of its own.
    static = ROOT / "_static"
    assert not list(static.rglob("*.js")) if static.is_dir() else True
