"""softmax(where=) against torch's masking idioms (stored by scripts/make_torch_fixtures.py).

Reference values: ``tests/fixtures/torch/masked_softmax.json`` (torch's outputs, recorded once;
torch is not imported here). On rows with a kept entry the package equals torch's
``masked_fill(-inf)`` idiom; on the fully masked row torch gives nan (softmax), a uniform row
(the ``finfo.min`` idiom) or 0 (``scaled_dot_product_attention``), the package 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from _torch_fixtures import load_cases

from softmax_ce import softmax

CASES = {case.id: case for case in load_cases("masked_softmax")}


@pytest.mark.claim("ch5.torch-masked")
def test_package_equals_masked_fill_on_kept_rows_and_is_zero_on_the_empty_row():
    case = CASES["masked_fill/minus-inf"]
    (x,), where = case.args, case.kwargs["where"]
    ours = softmax(x, where=where)
    torch_p = case.expected["value"]
    kept = where.any(axis=1)
    np.testing.assert_allclose(ours[kept], torch_p[kept], rtol=1e-6, atol=1e-7)
    assert np.all(np.isnan(torch_p[~kept])) and np.all(ours[~kept] == 0)
    uniform = CASES["masked_fill/finfo-min"].expected["value"][~kept]
    np.testing.assert_allclose(uniform, 1 / 3, rtol=1e-6)


def test_package_attention_equals_scaled_dot_product_attention_even_on_the_empty_row():
    case = CASES["scaled_dot_product_attention/bool-mask"]
    q, k, v = case.args
    where = case.kwargs["where"]
    ours = softmax(q @ k.T / np.sqrt(np.float32(q.shape[-1])), where=where) @ v
    np.testing.assert_allclose(ours, case.expected["value"], rtol=1e-6, atol=1e-7)
    assert np.all(case.expected["value"][~where.any(axis=1)] == 0)


def test_torch_softmax_of_an_all_minus_inf_row_is_nan():
    value = CASES["softmax/all-minus-inf-row"].expected["value"]
    assert np.all(np.isnan(value[0])) and np.all(np.isfinite(value[1]))
