"""``softmax_ce.gradcheck``: it accepts right gradients, rejects wrong ones, and is accurate in float64."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_ce as sce
from softmax_ce.gradcheck import DEFAULT_RELATIVE_STEP, check_gradient, numerical_gradient


def test_default_step_is_the_cube_root_of_float64_eps() -> None:
    assert DEFAULT_RELATIVE_STEP == pytest.approx(np.finfo(np.float64).eps ** (1 / 3), rel=1e-15)
    assert 6.0e-6 < DEFAULT_RELATIVE_STEP < 6.1e-6


def test_numerical_gradient_of_a_polynomial_is_accurate_and_shaped_like_x(
    rng: np.random.Generator,
) -> None:
    x = rng.standard_normal((3, 4))
    x_before = x.copy()
    g = numerical_gradient(lambda v: np.sum(v**3), x)
    assert g.shape == x.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-9, atol=1e-10)
    np.testing.assert_array_equal(x, x_before)  # the input is not modified


def test_step_scales_with_the_coordinate_so_large_x_still_works() -> None:
    x = np.array([1e12, -2e12])
    g = numerical_gradient(lambda v: np.sum(v**2) / 1e12, x)
    np.testing.assert_allclose(g, 2 * x / 1e12, rtol=1e-9)
    # an unscaled step of 6e-6 is below the spacing of floats near 1e12 (1.2e-4): rejected
    with pytest.raises(ValueError, match="does not change x"):
        numerical_gradient(lambda v: np.sum(v**2), x, h=DEFAULT_RELATIVE_STEP)


def test_numerical_gradient_rejects_non_scalar_functions_and_bad_steps() -> None:
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: v, np.ones(3))
    with pytest.raises(ValueError, match="positive and finite"):
        numerical_gradient(lambda v: np.sum(v), np.ones(3), h=0.0)


def test_check_gradient_accepts_softmax_cross_entropy_gradient_to_about_1e_9(
    rng: np.random.Generator,
) -> None:
    x = 3 * rng.standard_normal((5, 6))
    labels = rng.integers(0, 6, size=5)
    err = check_gradient(
        lambda o: sce.cross_entropy(o, labels),
        lambda o: sce.cross_entropy_grad(o, labels),
        x,
    )
    assert err < 5e-9  # measured 4.3e-10
    soft = rng.dirichlet(np.ones(6), size=5)
    err = check_gradient(
        lambda o: sce.cross_entropy(o, soft, reduction="sum"),
        lambda o: sce.cross_entropy_grad(o, soft, reduction="sum"),
        x,
    )
    assert err < 5e-9  # measured 3.2e-10


def test_check_gradient_accepts_the_softmax_vector_jacobian_product(
    rng: np.random.Generator,
) -> None:
    x = 2 * rng.standard_normal(7)
    w = rng.standard_normal(7)
    # d/dx (w . softmax(x)) = J^T w = J w (J is symmetric)
    err = check_gradient(lambda v: w @ sce.softmax(v), lambda v: sce.softmax_jvp(v, w), x)
    assert err < 5e-9  # measured 4.0e-11


def test_check_gradient_rejects_a_slightly_wrong_gradient(rng: np.random.Generator) -> None:
    x = rng.standard_normal((4, 3))
    labels = rng.integers(0, 3, size=4)

    def wrong(o: np.ndarray) -> np.ndarray:
        g = sce.cross_entropy_grad(o, labels)
        g[2, 1] += 1e-4
        return g

    with pytest.raises(AssertionError, match=r"gradient mismatch at index \(2, 1\)"):
        check_gradient(lambda o: sce.cross_entropy(o, labels), wrong, x)


def test_check_gradient_rejects_a_transposed_jacobian_product(rng: np.random.Generator) -> None:
    x = rng.standard_normal(4)
    A = rng.standard_normal((4, 4))
    with pytest.raises(AssertionError, match="gradient mismatch"):
        check_gradient(
            lambda v: 0.5 * v @ A @ v, lambda v: A @ v, x
        )  # the right one is (A + A^T) v / 2
    check_gradient(lambda v: 0.5 * v @ A @ v, lambda v: 0.5 * (A + A.T) @ v, x)


def test_check_gradient_rejects_wrong_shapes() -> None:
    with pytest.raises(ValueError, match="shape"):
        check_gradient(lambda v: np.sum(v), np.ones(2), np.ones(3))


def test_float32_function_fails_the_float64_check_as_in_pytorch_issue_5351(
    rng: np.random.Generator,
) -> None:
    x = rng.standard_normal(5)
    w = rng.standard_normal(5)

    def f32(v: np.ndarray) -> np.float32:
        return np.float32(w.astype(np.float32) @ sce.softmax(v.astype(np.float32)))

    with pytest.raises(AssertionError, match="float32"):
        check_gradient(f32, lambda v: sce.softmax_jvp(v, w), x)
    # the same function in float64 passes
    assert check_gradient(lambda v: w @ sce.softmax(v), lambda v: sce.softmax_jvp(v, w), x) < 1e-8


def test_a_step_that_overflows_raises_instead_of_returning_nan():
    with pytest.raises(ValueError, match="^h: "):
        # the default step 6e-6 * |x| takes the largest float to inf
        numerical_gradient(lambda v: float(np.sum(v)), np.array([np.finfo(np.float64).max]))
