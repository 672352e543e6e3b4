"""Every argument check that another module of the library imports is exported by
``softmax_ce._validation``: its ``__all__`` is the list of what it offers."""

from __future__ import annotations

import ast
from pathlib import Path

import softmax_ce._validation as validation

LIBRARY = Path(validation.__file__).parent


def test_every_name_imported_from_validation_is_in_its_all():
    imported = set()
    for path in LIBRARY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_validation"):
                imported |= {alias.name for alias in node.names}
    assert imported, "no module imports softmax_ce._validation: the test looks in the wrong place"
    assert imported <= set(validation.__all__), sorted(imported - set(validation.__all__))


def test_all_names_exist():
    assert all(hasattr(validation, name) for name in validation.__all__)
