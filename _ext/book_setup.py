"""Local Sphinx extension for the book: settings a YAML file cannot express.

* ``html_search_options["dict"]`` (the jieba user dictionary for Chinese search) is resolved
  against the book's root, so the build works from any working directory, and a missing file
  fails the build instead of being silently ignored by Sphinx (search would then miss 交叉熵).
* A cross-reference to a package object under another of its names (``softmax_ce.symbolic.
  softmax.logits`` for ``softmax_ce.symbolic.logits``, which the API page documents) is
  resolved to the documented name by object identity; a reference to an object that is not
  documented under any name still warns.
* Numbered footnotes in docstrings (numpydoc's ``[1]_`` / ``.. [1]`` References) become plain
  ``[1]`` text before napoleon runs. Without this, two functions on the API page that both
  cite ``[1]`` give "Duplicate explicit target name" and fail the strict build.
"""

from __future__ import annotations

import re
from pathlib import Path

import importlib
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode
from sphinx.config import Config
from sphinx.errors import ConfigError

_FOOTNOTE_REF = re.compile(r"\[(\d+)\]_")
_FOOTNOTE_DEF = re.compile(r"^(\s*)\.\. \[(\d+)\]")


def _resolve_search_dict(app: Sphinx, config: Config) -> None:
    options = dict(config.html_search_options or {})
    name = options.get("dict")
    if not name:
        raise ConfigError("html_search_options.dict (the jieba user dictionary) is not set")
    path = Path(name)
    if not path.is_absolute():
        path = Path(app.srcdir) / path
    if not path.is_file():
        raise ConfigError(f"jieba user dictionary not found: {path}")
    options["dict"] = str(path)
    config.html_search_options = options


def _plain_footnotes(app: Sphinx, what: str, name: str, obj: object, options: object,
                     lines: list[str]) -> None:
    """Turn numpydoc footnotes (``[1]_`` and ``.. [1] text``) into plain ``[1]`` text.

    The API page is a MyST document; rST footnotes nested in it (one set per docstring, all
    numbered from 1) collide ("Duplicate explicit target name") or are not resolved by MyST's
    footnote transform. As plain text the reference and its entry under "References" still
    read naturally.
    """
    out: list[str] = []
    def_indent: int | None = None
    for line in lines:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        match = _FOOTNOTE_DEF.match(line)
        if match:
            def_indent = indent
            out.append(" " * indent + f"[{match[2]}]" + line[match.end():])
            continue
        if def_indent is not None and stripped and indent > def_indent:
            out.append(" " * def_indent + stripped)  # continuation of the entry: same paragraph
            continue
        if stripped:
            def_indent = None
        out.append(_FOOTNOTE_REF.sub(lambda m: f"[{m[1]}]", line))
    lines[:] = out


def _lookup(name: str) -> Any:
    """The Python object called ``name`` (``package.module.attr``), or None."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _documented_by_identity(env: BuildEnvironment) -> dict[int, str]:
    cache = getattr(env, "_book_documented_by_identity", None)
    if cache is None:
        cache = {}
        for name in sorted(env.get_domain("py").objects, key=len):
            if name.startswith("softmax_ce."):
                obj = _lookup(name)
                if obj is not None and not isinstance(obj, (int, float, str, tuple)):
                    cache.setdefault(id(obj), name)
        env._book_documented_by_identity = cache
    return cache


def _resolve_alias(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                   contnode: nodes.Element) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    module = node.get("py:module")
    for candidate in ([f"{module}.{target}"] if module else []) + [target]:
        if not candidate.startswith("softmax_ce."):
            continue
        obj = _lookup(candidate)
        name = obj is not None and _documented_by_identity(env).get(id(obj))
        if name:
            entry = env.get_domain("py").objects[name]
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id,
                                contnode, name)
    return None


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", _resolve_search_dict)
    # priority < 500: run before sphinx.ext.napoleon converts the docstring
    app.connect("autodoc-process-docstring", _plain_footnotes, priority=400)
    app.connect("missing-reference", _resolve_alias)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
