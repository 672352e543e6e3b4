"""The stored torch references are what they claim to be, and the tests never need torch.

``tests/fixtures/torch/*.json`` are written by ``scripts/make_torch_fixtures.py`` in an
environment with torch; ``make test`` installs no torch, so no test may import it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from _torch_fixtures import TOP_LEVEL_KEYS, decode_array, families, load_cases, load_fixture

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GENERATOR = ROOT / "scripts" / "make_torch_fixtures.py"
#: Any way of importing torch in a test: statements, importlib, __import__, importorskip.
TORCH_IMPORT = re.compile(
    r"^\s*(?:import|from)\s+torch\b"
    r"|(?:import_module|__import__|importorskip)\(\s*['\"]torch\b",
    re.MULTILINE,
)


def test_no_test_module_imports_torch():
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TESTS.rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in TORCH_IMPORT.finditer(text)
    ]
    assert offenders == [], "tests must not import torch; store a fixture instead"


_T = "torch"  # spelled apart, so that this file does not match its own scan


@pytest.mark.parametrize(
    "line",
    [f"import {_T}", f"    import {_T}.nn.functional as F", f"from {_T} import nn",
     f"importlib.import_module('{_T}')", f'pytest.importorskip("{_T}")', f"__import__('{_T}')"],
)
def test_the_torch_import_scan_catches_every_spelling(line):
    assert TORCH_IMPORT.search(line)


@pytest.mark.parametrize(
    "line", ["import torchvision_free_module", "# as torch.nn.functional does", "x = 'torch'"]
)
def test_the_torch_import_scan_ignores_mentions(line):
    assert not TORCH_IMPORT.search(line)


def test_the_expected_families_are_stored():
    assert set(families()) >= {
        "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "softmax_jacobian"
    }


@pytest.mark.parametrize("family", families())
def test_every_fixture_records_its_provenance_and_exact_calls(family):
    document = load_fixture(family)
    assert tuple(document) == TOP_LEVEL_KEYS
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", document["torch_version"])
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", document["numpy_version"])
    assert document["generated_by"] == GENERATOR.relative_to(ROOT).as_posix()
    assert GENERATOR.exists()
    ids = [case["id"] for case in document["cases"]]
    assert len(ids) == len(set(ids)) > 0
    for case in document["cases"]:
        assert case["call"].startswith("torch."), case["id"]
        assert set(case) <= {"id", "call", "grad_call", "inputs", "kwargs", "expected"}
        assert "value" in case["expected"]
        grads = [k for k in case["expected"] if k == "grad" or k.startswith("grad_")]
        assert ("grad_call" in case) == bool(grads), case["id"]


@pytest.mark.parametrize("family", families())
def test_stored_arrays_decode_to_their_dtype_and_shape_and_float32_values_are_exact(family):
    for case in load_fixture(family)["cases"]:
        stored = [*case["inputs"].values(), *case["expected"].values()]
        stored += [v for v in case["kwargs"].values() if isinstance(v, dict)]
        for entry in stored:
            array = decode_array(entry)
            assert array.dtype == np.dtype(entry["dtype"])
            assert list(array.shape) == entry["shape"]
            if entry["dtype"] == "float32":
                # written from float32 values: each is exactly a float64 and back
                wide = np.array([float(v) for v in entry["data"]], dtype=np.float64)
                assert np.array_equal(wide.astype(np.float32).astype(np.float64), wide,
                                      equal_nan=True), case["id"]


def test_decoding_restores_non_finite_values_and_exact_float64():
    stored = {"dtype": "float64", "shape": [2, 2], "data": [0.1, "nan", "-inf", "inf"]}
    array = decode_array(stored)
    assert array[0, 0] == 0.1
    assert np.isnan(array[0, 1]) and array[1, 0] == -np.inf and array[1, 1] == np.inf


def test_cross_entropy_fixture_covers_every_option_combination_in_both_dtypes():
    ids = {case.id for case in load_cases("cross_entropy")}
    dtypes, reductions = ("float64", "float32"), ("none", "mean", "sum")
    expected_index = {
        f"index/weight={w}/ignore_index={i}/label_smoothing={s}/reduction={r}/{d}"
        for w, i, s, r, d in itertools.product(
            ("None", "yes"), ("None", -100, 2), (0.0, 0.1, 1.0), reductions, dtypes
        )
    }
    expected_probs = {
        f"probs/weight={w}/label_smoothing={s}/reduction={r}/{d}"
        for w, s, r, d in itertools.product(("None", "yes"), (0.0, 0.25, 1.0), reductions, dtypes)
    }
    assert expected_index <= ids
    assert expected_probs <= ids
    assert all(case.expected["grad"].shape == case.args[0].shape
               for case in load_cases("cross_entropy"))


def test_nll_loss_fixture_covers_every_option_combination_in_both_dtypes():
    ids = {case.id for case in load_cases("nll_loss")}
    assert {
        f"NC/weight={w}/ignore_index={i}/reduction={r}/{d}"
        for w, i, r, d in itertools.product(
            ("None", "yes"), ("None", -100, 1), ("none", "mean", "sum"), ("float64", "float32")
        )
    } <= ids


def test_fixture_cases_are_not_all_alike():
    # a check that cannot fail is a defect: the options must change torch's answer
    cases = {c.id: c for c in load_cases("cross_entropy")}
    plain = cases["index/weight=None/ignore_index=None/label_smoothing=0.0/reduction=mean/float64"]
    for other in ("index/weight=yes/ignore_index=None/label_smoothing=0.0/reduction=mean/float64",
                  "index/weight=None/ignore_index=2/label_smoothing=0.0/reduction=mean/float64",
                  "index/weight=None/ignore_index=None/label_smoothing=0.1/reduction=mean/float64"):
        assert abs(cases[other].expected["value"] - plain.expected["value"]) > 1e-3, other
