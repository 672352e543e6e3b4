"""Record what PyTorch gives for masked softmax and masked attention, as a JSON fixture.

Usage: python scripts/make_torch_masked_fixture.py   (needs torch; writes
tests/fixtures/torch/masked_softmax.json)

Chapter 5 shows these outputs next to the package's ``where=`` results without needing torch
at test or build time. Each record keeps the exact call (as source text), its inputs and its
output; non-finite floats are written as the strings "nan", "inf", "-inf" (JSON has no NaN).
Inputs are small literal float32 arrays, so the fixture is identical on every run for a given
torch version (recorded as ``torch_version``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "torch" / "masked_softmax.json"

INF = float("inf")
SCORES = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [0.25, 0.75, -0.25]]
KEEP = [[True, False, False], [True, True, False], [False, False, False]]  # row 3: all masked
Q = [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
K = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
V = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def encode(value):
    """Nested lists of floats, with non-finite values as strings."""
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, bool):
        return value
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return round(float(value), 7)


def record(call: str, **inputs) -> dict:
    """Evaluate ``call`` (source text) with ``torch``, ``F`` and the tensors in ``inputs``."""
    tensors = {name: torch.tensor(v) for name, v in inputs.items()}
    out = eval(call, {"torch": torch, "F": F}, tensors)  # noqa: S307 - our own literal calls
    return {"call": call, "inputs": {k: encode(v) for k, v in inputs.items()},
            "output": encode(out.tolist())}


def main() -> int:
    torch.manual_seed(0)  # nothing here is random; pinned anyway
    cases = {
        "softmax_all_minus_inf": record(
            "torch.softmax(x, dim=-1)", x=[[-INF, -INF, -INF], [0.0, 1.0, -INF]]),
        "masked_fill_minus_inf": record(
            "scores.masked_fill(~keep, float('-inf')).softmax(dim=-1)", scores=SCORES, keep=KEEP),
        "masked_fill_finfo_min": record(
            "scores.masked_fill(~keep, torch.finfo(scores.dtype).min).softmax(dim=-1)",
            scores=SCORES, keep=KEEP),
        "scaled_dot_product_attention": record(
            "F.scaled_dot_product_attention(q, k, v, attn_mask=keep)", q=Q, k=K, v=V, keep=KEEP),
        "scaled_dot_product_attention_weights": record(
            "torch.softmax(q @ k.T / 2 ** 0.5 + torch.zeros(3, 3).masked_fill(~keep, "
            "float('-inf')), dim=-1)", q=Q, k=K, keep=KEEP),
    }
    fixture = {
        "torch_version": torch.__version__,
        "dtype": "float32",
        "note": "written by scripts/make_torch_masked_fixture.py; keep[i, j] True = attend",
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fixture, indent=1, ensure_ascii=False)
    # one line per innermost list (a matrix row), for a readable diff
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m[1].split()) + "]", text)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT} (torch {torch.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
