"""softmax_jacobian = diag(p) − ppᵀ and softmax_jvp = J·v, against torch autograd (stored in
tests/fixtures/torch/softmax_jacobian.json), finite differences and the matrix's own algebra
(symmetry, rows summing to 0, PSD)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from _oracles import finite_difference_gradient, mp_softmax
from _torch_fixtures import load_cases
from softmax_ce import softmax, softmax_jacobian, softmax_jvp

#: Agreement with torch autograd: a few ulp of the dtype (eps 2.2e-16 and 1.2e-7); largest
#: stored float32 differences 2.3e-7 relative, 1.5e-8 absolute.
TORCH_TOLERANCE = {
    np.dtype(np.float64): {"rtol": 1e-13, "atol": 1e-16},
    np.dtype(np.float32): {"rtol": 1e-6, "atol": 1e-7},
}


@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (2, 3, 6)], ids=str)
def test_jacobian_has_shape_batch_then_k_by_k(rng, shape):
    x = rng.standard_normal(shape)
    assert softmax_jacobian(x).shape == shape + (shape[-1],)


def test_jacobian_equals_diag_p_minus_p_p_transpose_from_mpmath_probabilities(rng):
    x = rng.standard_normal((4, 5)) * 3
    p = mp_softmax(x)  # reference: mpmath at 60 digits
    expected = np.einsum("...i,ij->...ij", p, np.eye(5)) - p[..., :, None] * p[..., None, :]
    assert_allclose(softmax_jacobian(x), expected, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("case", load_cases("softmax_jacobian"), ids=str)
def test_jacobian_matches_torch_autograd(case):
    # reference: torch.autograd.functional.jacobian of torch.softmax (stored)
    (x,) = case.args
    expected = case.expected["value"]
    result = softmax_jacobian(x)
    assert result.shape == expected.shape and result.dtype == expected.dtype
    assert_allclose(result, expected, **TORCH_TOLERANCE[x.dtype])


def test_jacobian_matches_finite_differences_of_softmax(rng):
    x = rng.standard_normal(5)
    columns = [
        finite_difference_gradient(lambda z, i=i: float(softmax(z)[i]), x) for i in range(5)
    ]
    # row i of J is the gradient of p_i
    assert_allclose(softmax_jacobian(x), np.array(columns), rtol=1e-7, atol=1e-9)


def test_jacobian_is_exactly_symmetric(rng):
    jac = softmax_jacobian(rng.standard_normal((3, 7)) * 4)
    assert_array_equal(jac, np.swapaxes(jac, -1, -2))


def test_jacobian_rows_sum_to_zero_and_it_is_positive_semidefinite(rng):
    jac = softmax_jacobian(rng.standard_normal((4, 6)) * 3)
    assert_allclose(jac.sum(axis=-1), 0.0, atol=1e-15)
    eigenvalues = np.linalg.eigvalsh(jac)
    assert (eigenvalues >= -1e-15).all(), eigenvalues
    # exactly one zero eigenvalue (direction of the all-ones vector) for finite logits
    assert (np.abs(eigenvalues) < 1e-15).sum(axis=-1).tolist() == [1, 1, 1, 1]


def test_jacobian_of_a_single_class_is_zero():
    assert_array_equal(softmax_jacobian(np.array([[2.5]])), [[[0.0]]])


def test_jacobian_along_axis_0_is_the_jacobian_of_the_moved_axis(rng):
    x = rng.standard_normal((4, 3, 2))
    expected = softmax_jacobian(np.ascontiguousarray(np.moveaxis(x, 0, -1)))
    assert_allclose(softmax_jacobian(x, axis=0), expected, rtol=1e-15, atol=1e-17)


def test_jacobian_at_huge_logits_is_finite_without_warnings():
    jac = softmax_jacobian(np.array([1e308, -1e308, 1e308]))
    # reference: closed form diag(p) - p pᵀ with p = [1/2, 0, 1/2] exactly
    assert_allclose(jac, [[0.25, 0, -0.25], [0, 0, 0], [-0.25, 0, 0.25]], rtol=1e-15)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 6)], ids=str)
def test_jvp_equals_jacobian_times_v(rng, shape):
    x = rng.standard_normal(shape) * 3
    v = rng.standard_normal(shape)
    expected = np.einsum("...ij,...j->...i", softmax_jacobian(x), v)
    result = softmax_jvp(x, v)
    assert result.shape == shape
    assert_allclose(result, expected, rtol=1e-12, atol=1e-15)


def test_jvp_along_axis_1_of_a_3d_input(rng):
    x = rng.standard_normal((2, 5, 3)) * 3
    v = rng.standard_normal((2, 5, 3))
    moved = np.moveaxis
    expected = moved(softmax_jvp(moved(x, 1, -1), moved(v, 1, -1)), -1, 1)
    assert_allclose(softmax_jvp(x, v, axis=1), expected, rtol=1e-14, atol=1e-16)


def test_jvp_matches_a_directional_finite_difference(rng):
    x = rng.standard_normal(6)
    v = rng.standard_normal(6)
    h = 1e-6
    numeric = (softmax(x + h * v) - softmax(x - h * v)) / (2 * h)
    assert_allclose(softmax_jvp(x, v), numeric, rtol=1e-7, atol=1e-9)


def test_jvp_of_the_all_ones_direction_is_zero(rng):
    # shifting every logit equally leaves softmax unchanged
    x = rng.standard_normal((3, 5))
    assert_allclose(softmax_jvp(x, np.ones_like(x)), 0.0, atol=1e-16)


def test_jvp_handles_k_10000_in_linear_time_without_building_the_matrix(rng):
    # J would take 800 MB here; the JVP is computed in O(K)
    x = rng.standard_normal(10_000)
    v = rng.standard_normal(10_000)
    p = softmax(x)
    expected = p * (v - np.dot(p, v))
    assert_allclose(softmax_jvp(x, v), expected, rtol=1e-10, atol=1e-18)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_jacobian_and_jvp_keep_the_dtype_and_ints_promote(dtype):
    x = np.array([[0.5, -1.0, 2.0]], dtype=dtype)
    assert softmax_jacobian(x).dtype == dtype
    assert softmax_jvp(x, np.ones_like(x)).dtype == dtype
    assert softmax_jacobian(np.array([1, 2, 3])).dtype == np.float64


def test_jvp_is_finite_where_p_times_v_minus_s_would_overflow():
    import warnings

    import mpmath

    x, v = np.array([0.0, 2.2]), np.array([1.7e308, -1.7e308])
    # exact: (Jv)_j = p_j (v_j - <p, v>), in 50-digit arithmetic on the exact inputs
    # (workdps: the precision is restored afterwards, for every later test)
    with mpmath.workdps(50):
        p = [mpmath.e ** mpmath.mpf(xj) for xj in x]
        p = [pj / sum(p) for pj in p]
        s = sum(pj * mpmath.mpf(vj) for pj, vj in zip(p, v))
        expected = np.array([float(pj * (mpmath.mpf(vj) - s)) for pj, vj in zip(p, v)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = softmax_jvp(x, v)
    assert_allclose(got, expected, rtol=1e-13)
    assert abs(got[0]) > 3e307


def test_jvp_ignores_the_tangent_of_a_masked_minus_inf_class():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = softmax_jvp([0.0, -np.inf], [1.0, np.inf])
    assert_array_equal(got, [0.0, 0.0])
