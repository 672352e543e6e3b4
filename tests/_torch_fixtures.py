"""Stored PyTorch reference values (``tests/fixtures/torch/<family>.json``) as NumPy arrays.

The files are written by ``scripts/make_torch_fixtures.py`` (its docstring describes the
format) in an environment with torch; the tests read them and never import torch.

    >>> case = load_cases("cross_entropy")[0]
    >>> case.call.startswith("torch.nn.functional.cross_entropy(")
    True
    >>> case.args[0].dtype, sorted(case.expected)
    (dtype('float64'), ['grad', 'value'])

Only the test suite imports this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

#: Where the fixture files live.
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures" / "torch"
#: The keys every fixture file has at its top level.
TOP_LEVEL_KEYS = ("torch_version", "numpy_version", "generated_by", "cases")
_NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def decode_array(stored: dict[str, Any]) -> np.ndarray:
    """The array of a stored ``{"dtype", "shape", "data"}`` (non-finite floats as strings)."""
    dtype = np.dtype(stored["dtype"])
    data = [_NON_FINITE[v] if isinstance(v, str) else v for v in stored["data"]]
    # via float64, so a float32 value is converted exactly, never re-parsed from text
    wide = np.array(data, dtype=np.float64 if dtype.kind == "f" else dtype)
    return wide.astype(dtype).reshape(stored["shape"])


def _is_array(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}


@dataclass(frozen=True)
class TorchCase:
    """One stored torch call: ``softmax_ce.<family>(*args, **kwargs)`` should give ``expected``."""

    id: str
    #: The exact torch expression that produced ``expected["value"]``.
    call: str
    #: The autograd expression that produced ``expected["grad"]``, if any.
    grad_call: str | None
    #: Positional arguments of the package function, in its layout.
    args: tuple[np.ndarray, ...]
    #: Keyword arguments of the package function (arrays decoded).
    kwargs: dict[str, Any] = field(default_factory=dict)
    #: torch's outputs: ``"value"``, and ``"grad"`` (with respect to ``args[0]``) if computed.
    expected: dict[str, np.ndarray] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.id


@cache
def load_fixture(family: str) -> dict[str, Any]:
    """The parsed JSON of ``<family>.json`` (metadata and raw cases)."""
    with open(FIXTURES_DIR / f"{family}.json", encoding="utf-8") as f:
        return json.load(f)


def load_cases(family: str) -> list[TorchCase]:
    """Every case of ``family``, arrays decoded to NumPy with their stored dtype."""
    return [
        TorchCase(
            id=raw["id"],
            call=raw["call"],
            grad_call=raw.get("grad_call"),
            args=tuple(decode_array(a) for a in raw["inputs"].values()),
            kwargs={k: decode_array(v) if _is_array(v) else v for k, v in raw["kwargs"].items()},
            expected={k: decode_array(v) for k, v in raw["expected"].items()},
        )
        for raw in load_fixture(family)["cases"]
    ]


def families() -> list[str]:
    """The names of the stored fixture files."""
    return sorted(p.stem for p in FIXTURES_DIR.glob("*.json"))


__all__ = ["FIXTURES_DIR", "TOP_LEVEL_KEYS", "TorchCase", "decode_array", "families",
           "load_cases", "load_fixture"]
