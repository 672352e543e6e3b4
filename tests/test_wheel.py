"""The library's wheel ships the library only: ``softmax_ce`` with ``softmax_ce.symbolic``, no
book prose, nothing of the book's machinery and nothing that reads the repository's layout."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (path,) = out.glob("softmax_ce-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_holds_only_the_library(wheel):
    names = wheel.namelist()
    outside = [n for n in names if not n.startswith(("softmax_ce/", "softmax_ce-"))]
    assert not outside
    packages = {n.rsplit("/", 1)[0] for n in names if n.startswith("softmax_ce/")}
    assert packages == {"softmax_ce", "softmax_ce/symbolic"}


def test_wheel_holds_no_chinese_text_and_no_repository_paths(wheel):
    for name in wheel.namelist():
        if name.startswith("softmax_ce/") and name.endswith(".py"):
            text = wheel.read(name).decode("utf-8")
            assert not CJK.search(text), f"{name} holds Chinese text (book prose belongs in the book)"
            for layout in ("chapters/", '"chapters"', "tests/test_", "softmax_ce_book"):
                assert layout not in text, f"{name} mentions {layout!r}"


def test_wheel_version_is_the_packages_version(wheel):
    import softmax_ce

    metadata = next(n for n in wheel.namelist() if n.endswith("METADATA"))
    assert f"Version: {softmax_ce.__version__}" in wheel.read(metadata).decode()
