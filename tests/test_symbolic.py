"""Every SymPy derivation of ``softmax_ce.symbolic`` runs, and its result agrees with the package.

Each derivation checks its own steps symbolically (raising ``DerivationError``, also under
``python -O``); these tests additionally compile the results with
:func:`softmax_ce.symbolic.lambdify_rows` and compare them, on seeded inputs, with the NumPy
functions the book uses (and with finite differences where the package has no counterpart). SymPy work is kept to K <= 6 and each derivation is computed once per K.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import softmax_ce as sce
from softmax_ce import symbolic as sym
from softmax_ce.gradcheck import numerical_gradient
from softmax_ce.symbolic._checks import assert_zero
from softmax_ce.symbolic.likelihood import derive_log_likelihood_gradient

SYMBOLIC_DIR = Path(sym.__file__).parent

KS = [2, 3, 4, 5, 6]
SMALL_KS = [2, 3, 4]

jacobian = functools.cache(sym.derive_softmax_jacobian)
simplification = functools.cache(sym.derive_ce_simplification)
gradient = functools.cache(sym.derive_ce_gradient)
hessian = functools.cache(sym.derive_ce_hessian)
temperature = functools.cache(sym.derive_temperature_derivative)
decomposition = functools.cache(sym.derive_ce_decomposition)


def _logits(rng: np.random.Generator, n: int, k: int, scale: float = 3.0) -> np.ndarray:
    return scale * rng.standard_normal((n, k))


def _distributions(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.dirichlet(np.ones(k), size=n)


def _at_k(expr: sp.Expr, K: sp.Symbol, k: int) -> sp.Expr:
    return expr.subs(K, k).doit()


# --- the checking machinery itself can fail, and survives python -O ---------------------------


def test_assert_zero_rejects_a_false_identity() -> None:
    x = sp.Symbol("x", real=True)
    with pytest.raises(sym.DerivationError, match="could not confirm"):
        assert_zero(sp.exp(x) - 1 - x, "exp(x) = 1 + x")
    assert_zero(sp.exp(2 * x) - sp.exp(x) ** 2, "exp(2x) = exp(x)^2")


def test_derivation_holds_rejects_false_and_unknown() -> None:
    x = sp.Symbol("x", real=True)
    d = sym.Derivation("signs")
    d.holds(sp.exp(x).is_positive, "exp(x) > 0", sp.exp(x))
    with pytest.raises(sym.DerivationError, match="x > 0"):
        d.holds(x.is_positive, "x > 0", x)  # None (unknown) is not a proof
    with pytest.raises(sym.DerivationError, match="1 = 2"):
        d.holds(sp.Integer(1) == 2, "1 = 2")
    assert [step.claim for step in d.steps] == ["exp(x) > 0"]


def test_derivation_is_frozen_once_done_and_names_missing_results() -> None:
    d = sym.derive_two_class_sigmoid()
    assert d.name and len(d.steps) == 4 and set(d.fields()) >= {"a", "b", "p", "first"}
    with pytest.raises(AttributeError):
        d.first = sp.Integer(0)  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        d.zero(sp.Integer(0), "0 = 0")
    with pytest.raises(AttributeError, match="no result 'third'"):
        _ = d.third


def _assert_nodes(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]


def test_no_assert_statement_in_softmax_ce_symbolic() -> None:
    # a bare `assert` is removed by `python -O`: every proof step must raise explicitly
    files = sorted(SYMBOLIC_DIR.glob("*.py"))
    assert len(files) >= 8
    found = {f.name: lines for f in files if (lines := _assert_nodes(f))}
    assert found == {}, f"assert statements in softmax_ce/symbolic: {found}"


def test_the_assert_scan_finds_an_assert(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f(x):\n    assert x, 'x'\n    return x\n", encoding="utf-8")
    assert _assert_nodes(probe) == [2]


_UNDER_O = textwrap.dedent(
    """
    import sys

    import sympy as sp

    import softmax_ce.symbolic.softmax as module
    from softmax_ce.symbolic import DerivationError, derive_two_class_sigmoid

    exec(compile("assert False, 'not stripped'", "<probe>", "exec"))  # stripped under -O
    print("optimize", sys.flags.optimize)
    print("steps", len(derive_two_class_sigmoid().steps))

    def forged_softmax(z, T=1):  # a wrong closed form: an extra 1 in the denominator
        exps = [sp.exp(zi / T) for zi in z]
        return sp.Matrix([e / (1 + sp.Add(*exps)) for e in exps])

    module.softmax_matrix = forged_softmax
    try:
        derive_two_class_sigmoid()
    except DerivationError as error:
        print("caught", error)
    else:
        print("no error")
    """
)


def test_importing_the_numeric_package_does_not_import_sympy() -> None:
    code = "import sys, softmax_ce; print('sympy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_a_broken_step_still_raises_under_python_O() -> None:
    run = subprocess.run(
        [sys.executable, "-O", "-c", _UNDER_O], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "optimize 1"  # -O is active: the probe's bare assert was stripped
    assert lines[1] == "steps 4"  # the real derivation passes its four checks
    assert lines[2].startswith("caught SymPy could not confirm softmax([a, b])_1 = sigma(a - b)")


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_derivations_reject_a_bad_number_of_classes(bad: object) -> None:
    with pytest.raises(ValueError, match="K"):
        sym.derive_softmax_jacobian(bad)  # type: ignore[arg-type]


# --- lambdify_rows ----------------------------------------------------------------------------


def test_lambdify_rows_shapes_for_scalar_vector_and_matrix(rng: np.random.Generator) -> None:
    z = sym.logits(3)
    x = _logits(rng, 8, 3).reshape(2, 4, 3)
    p = sym.softmax_matrix(z)
    assert sym.lambdify_rows(sp.log(sum(sp.exp(v) for v in z)), z)(x).shape == (2, 4)
    assert sym.lambdify_rows(p, z)(x).shape == (2, 4, 3)
    assert sym.lambdify_rows(p.jacobian(z), z)(x).shape == (2, 4, 3, 3)
    # constant entries (here the zeros of the identity matrix) are broadcast to the batch
    assert sym.lambdify_rows(sp.eye(3), z)(x).shape == (2, 4, 3, 3)
    np.testing.assert_allclose(sym.lambdify_rows(p, z)(x), sce.softmax(x), rtol=1e-13)


def test_lambdify_rows_broadcasts_several_symbol_groups(rng: np.random.Generator) -> None:
    o, y = sym.logits(3, "o"), sym.label_symbols(3)
    f = sym.lambdify_rows(sum(a * b for a, b in zip(o, y)), (o, y))
    x, w = _logits(rng, 5, 3), rng.standard_normal(3)
    np.testing.assert_allclose(f(x, w), x @ w, rtol=1e-13)


def test_lambdify_rows_rejects_missing_symbols_and_wrong_lengths() -> None:
    z = sym.logits(3)
    with pytest.raises(ValueError, match="not in `symbols`"):
        sym.lambdify_rows(sp.Symbol("T") * z[0], z)
    with pytest.raises(ValueError, match="last axis of length 3"):
        sym.lambdify_rows(z[0], z)(np.zeros((2, 4)))
    with pytest.raises(TypeError, match="symbols"):
        sym.lambdify_rows(z[0], [z, "T"])
    a, b = sp.symbols("a b")
    assert sym.lambdify_rows(a - b, (a, b))(np.array([3.0, 4.0]), 1.0).tolist() == [2.0, 3.0]
    assert sym.lambdify_rows(a - b, [[a, b]])(np.array([3.0, 1.0])) == 2.0


# --- softmax ---------------------------------------------------------------------------------


@pytest.mark.parametrize("K", KS)
def test_sympy_jacobian_equals_softmax_jacobian_and_jvp(K: int, rng: np.random.Generator) -> None:
    d = jacobian(K)
    x = _logits(rng, 7, K)
    expected = sce.softmax_jacobian(x)
    np.testing.assert_allclose(
        sym.lambdify_rows(d.jacobian, d.z)(x), expected, rtol=1e-12, atol=1e-16
    )
    closed = sym.lambdify_rows(d.closed_form, d.p_symbols)(sce.softmax(x))
    np.testing.assert_allclose(closed, expected, rtol=1e-12, atol=1e-16)
    v = rng.standard_normal((7, K))
    jv = np.einsum("nij,nj->ni", sym.lambdify_rows(d.jacobian, d.z)(x), v)
    np.testing.assert_allclose(sce.softmax_jvp(x, v), jv, rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("K", KS)
def test_jacobian_quadratic_form_is_a_variance_and_ones_is_null(
    K: int, rng: np.random.Generator
) -> None:
    d = jacobian(K)
    p = sce.softmax(_logits(rng, 6, K))
    v = rng.standard_normal((6, K))
    quad = sym.lambdify_rows(d.quadratic_form, (d.p_symbols, d.v))(p, v)
    mean = np.sum(p * v, axis=-1, keepdims=True)
    np.testing.assert_allclose(quad, np.sum(p * (v - mean) ** 2, axis=-1), rtol=1e-10)
    assert np.all(quad >= 0)
    J = sce.softmax_jacobian(np.log(p))
    np.testing.assert_allclose(J @ np.ones(K), 0.0, atol=4 * np.finfo(np.float64).eps)
    assert np.linalg.eigvalsh(J).min() > -1e-15


def test_symbolic_k_jacobian_formula_evaluates_to_the_package_jacobian(
    rng: np.random.Generator,
) -> None:
    d = sym.derive_softmax_jacobian_symbolic_k()
    k = 4
    x = _logits(rng, 1, k)[0]
    values = {d.z[m + 1]: x[m] for m in range(k)}
    J = np.array(
        [
            [
                float(_at_k(d.closed_form.subs({d.i: a, d.j: b}), d.K, k).subs(values))
                for b in range(1, k + 1)
            ]
            for a in range(1, k + 1)
        ]
    )
    np.testing.assert_allclose(J, sce.softmax_jacobian(x), rtol=1e-12, atol=1e-16)


def test_two_class_softmax_is_the_sigmoid_of_the_logit_difference(rng: np.random.Generator) -> None:
    d = sym.derive_two_class_sigmoid()
    a, b = 5 * rng.standard_normal((2, 50))
    first = sym.lambdify_rows(d.first, (d.a, d.b))(a, b)
    np.testing.assert_allclose(first, sce.softmax(np.stack([a, b], axis=-1))[:, 0], rtol=1e-13)
    np.testing.assert_allclose(first, 1.0 / (1.0 + np.exp(-(a - b))), rtol=1e-13)
    slope = sym.lambdify_rows(d.derivative, (d.a, d.b))(a, b)
    # 1 - first cancels when first is near 1, hence the absolute tolerance (a few ulps of 1)
    np.testing.assert_allclose(slope, first * (1 - first), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("K", SMALL_KS)
def test_temperature_derivative_matches_finite_differences_of_softmax(
    K: int, rng: np.random.Generator
) -> None:
    d = temperature(K)
    x = _logits(rng, 1, K)[0]
    for T in (0.5, 1.0, 3.0):
        closed = sym.lambdify_rows(d.closed_form, (d.z, d.T))(x, T)
        raw = sym.lambdify_rows(d.derivative, (d.z, d.T))(x, T)
        numeric = np.array(
            [
                numerical_gradient(lambda t, i=i: sce.softmax(x, temperature=t[0])[i], [T])[0]
                for i in range(K)
            ]
        )
        np.testing.assert_allclose(closed, numeric, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(raw, closed, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("K", SMALL_KS)
def test_temperature_limits_are_argmax_and_uniform(K: int, rng: np.random.Generator) -> None:
    d = temperature(K)
    assert list(d.limit_zero) == [1] + [0] * (K - 1)
    assert list(d.limit_infinity) == [sp.Rational(1, K)] * K
    x = rng.permutation(np.arange(K, dtype=np.float64))  # distinct logits, gaps >= 1
    np.testing.assert_array_equal(sce.softmax(x, temperature=1e-3), np.eye(K)[np.argmax(x)])
    np.testing.assert_allclose(sce.softmax(x, temperature=1e8), np.full(K, 1.0 / K), rtol=1e-7)


def test_symbolic_k_temperature_derivative_agrees_at_k_3(rng: np.random.Generator) -> None:
    d = sym.derive_temperature_derivative_symbolic_k()
    x, T, k = _logits(rng, 1, 3)[0], 1.7, 3
    values = {d.z[m + 1]: x[m] for m in range(k)} | {d.T: T}
    closed = [
        float(_at_k(d.closed_form.subs(d.i, i), d.K, k).subs(values)) for i in range(1, k + 1)
    ]
    numeric = [
        numerical_gradient(lambda t, i=i: sce.softmax(x, temperature=t[0])[i], [T])[0]
        for i in range(k)
    ]
    np.testing.assert_allclose(closed, numeric, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("K", KS)
def test_shift_invariance_holds_in_sympy_and_in_the_package(
    K: int, rng: np.random.Generator
) -> None:
    d = sym.derive_shift_invariance(K)
    x = _logits(rng, 4, K)
    for c in (-3.0, 0.0, 40.0):
        shifted = sym.lambdify_rows(d.p_shifted, (d.z, d.c))(x, c)
        np.testing.assert_allclose(shifted, sce.softmax(x), rtol=1e-13)
        np.testing.assert_allclose(sce.softmax(x + c), sce.softmax(x), rtol=1e-13)
    sym.derive_shift_invariance_symbolic_k()


# --- cross-entropy ---------------------------------------------------------------------------


@pytest.mark.parametrize("K", KS)
def test_simplified_loss_equals_cross_entropy_with_probability_targets(
    K: int, rng: np.random.Generator
) -> None:
    d = simplification(K)
    x, y = _logits(rng, 9, K), _distributions(rng, 9, K)
    expected = sce.cross_entropy(x, y, reduction="none")
    np.testing.assert_allclose(
        sym.lambdify_rows(d.simplified, (d.o, d.y))(x, y), expected, rtol=1e-12
    )
    np.testing.assert_allclose(sym.lambdify_rows(d.loss, (d.o, d.y))(x, y), expected, rtol=1e-11)


@pytest.mark.parametrize("K", KS)
def test_simplification_is_off_by_label_sum_minus_one_times_logsumexp(
    K: int, rng: np.random.Generator
) -> None:
    d = simplification(K)
    x = _logits(rng, 9, K)
    y = 2.5 * _distributions(rng, 9, K)  # rows sum to 2.5, not 1
    definition = -np.sum(y * sce.log_softmax(x), axis=-1)
    simplified = sym.lambdify_rows(d.simplified, (d.o, d.y))(x, y)
    np.testing.assert_allclose(definition - simplified, 1.5 * sce.logsumexp(x), rtol=1e-11)
    np.testing.assert_allclose(
        sym.lambdify_rows(d.difference, (d.o, d.y))(x, y), 1.5 * sce.logsumexp(x), rtol=1e-12
    )
    assert sp.simplify(d.difference_at_zero - (d.label_sum - 1) * sp.log(K)) == 0


def test_symbolic_k_simplification_agrees_at_k_4(rng: np.random.Generator) -> None:
    d = sym.derive_ce_simplification_symbolic_k()
    k = 4
    x, y = _logits(rng, 1, k)[0], 1.3 * _distributions(rng, 1, k)[0]
    values = {d.o[m + 1]: x[m] for m in range(k)} | {d.y[m + 1]: y[m] for m in range(k)}
    difference = float(_at_k(d.difference, d.K, k).subs(values))
    definition = float(-np.sum(y * sce.log_softmax(x)))
    simplified = float(_at_k(d.simplified, d.K, k).subs(values))
    np.testing.assert_allclose(definition - simplified, difference, rtol=1e-12)
    np.testing.assert_allclose(difference, 0.3 * sce.logsumexp(x), rtol=1e-12)


@pytest.mark.parametrize("K", KS)
def test_sympy_gradient_equals_cross_entropy_grad(K: int, rng: np.random.Generator) -> None:
    d = gradient(K)
    x, y = _logits(rng, 9, K), _distributions(rng, 9, K)
    expected = sce.cross_entropy_grad(x, y, reduction="none")
    for form in (d.gradient, d.general_form, d.normalised_form):
        np.testing.assert_allclose(
            sym.lambdify_rows(form, (d.o, d.y))(x, y), expected, rtol=1e-10, atol=1e-15
        )


@pytest.mark.parametrize("K", SMALL_KS)
def test_general_gradient_is_the_gradient_for_unnormalised_labels(
    K: int, rng: np.random.Generator
) -> None:
    d = gradient(K)
    x = _logits(rng, 1, K)[0]
    y = 1.7 * _distributions(rng, 1, K)[0]  # sums to 1.7

    def loss(o: np.ndarray) -> float:
        return float(-np.sum(y * sce.log_softmax(o)))

    numeric = numerical_gradient(loss, x)
    general = sym.lambdify_rows(d.general_form, (d.o, d.y))(x, y)
    np.testing.assert_allclose(general, numeric, rtol=1e-8, atol=1e-10)
    # the source's p - y is off by exactly (sum y - 1) p: it is not the gradient here
    naive = sym.lambdify_rows(d.normalised_form, (d.o, d.y))(x, y)
    np.testing.assert_allclose(general - naive, 0.7 * sce.softmax(x), rtol=1e-10)
    assert np.max(np.abs(naive - numeric)) > 0.1 * np.max(sce.softmax(x))


def test_symbolic_k_gradient_agrees_at_k_5(rng: np.random.Generator) -> None:
    d = sym.derive_ce_gradient_symbolic_k()
    k = 5
    x, y = _logits(rng, 1, k)[0], _distributions(rng, 1, k)[0]
    values = {d.o[m + 1]: x[m] for m in range(k)} | {d.y[m + 1]: y[m] for m in range(k)}
    g = [float(_at_k(d.general_form.subs(d.i, i), d.K, k).subs(values)) for i in range(1, k + 1)]
    np.testing.assert_allclose(
        g, sce.cross_entropy_grad(x, y, reduction="sum"), rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("K", SMALL_KS)
def test_sympy_hessian_matches_finite_differences_of_cross_entropy_grad(
    K: int, rng: np.random.Generator
) -> None:
    d = hessian(K)
    x, y = _logits(rng, 1, K)[0], _distributions(rng, 1, K)[0]
    numeric = np.array(
        [
            numerical_gradient(lambda o, i=i: sce.cross_entropy_grad(o, y, reduction="sum")[i], x)
            for i in range(K)
        ]
    )
    H = sym.lambdify_rows(d.hessian, (d.o, d.y))(x, y)
    np.testing.assert_allclose(H, numeric, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(
        sym.lambdify_rows(d.closed_form, (d.o, d.y))(x, y), H, rtol=1e-12, atol=1e-16
    )
    eig = np.linalg.eigvalsh(H)
    assert eig.min() > -1e-15  # positive semidefinite ...
    assert abs(eig[np.argmin(np.abs(eig))]) < 1e-15  # ... and singular: not strictly convex
    np.testing.assert_allclose(H @ np.ones(K), 0.0, atol=4 * np.finfo(np.float64).eps)


def test_symbolic_k_hessian_agrees_with_finite_differences_at_k_3(
    rng: np.random.Generator,
) -> None:
    d = sym.derive_ce_hessian_symbolic_k()
    k = 3
    x, y = _logits(rng, 1, k)[0], _distributions(rng, 1, k)[0]
    values = {d.o[m + 1]: x[m] for m in range(k)} | {d.y[m + 1]: y[m] for m in range(k)}
    H = np.array(
        [
            [
                float(_at_k(d.closed_form.subs({d.i: a, d.j: b}), d.K, k).subs(values))
                for b in range(1, k + 1)
            ]
            for a in range(1, k + 1)
        ]
    )
    numeric = np.array(
        [
            numerical_gradient(lambda o, i=i: sce.cross_entropy_grad(o, y, reduction="sum")[i], x)
            for i in range(k)
        ]
    )
    np.testing.assert_allclose(H, numeric, rtol=1e-7, atol=1e-10)


def test_cross_entropy_is_constant_along_the_ones_direction(rng: np.random.Generator) -> None:
    x, y = _logits(rng, 3, 4), _distributions(rng, 3, 4)
    base = sce.cross_entropy(x, y, reduction="none")
    for t in (-5.0, 2.0, 100.0):
        np.testing.assert_allclose(sce.cross_entropy(x + t, y, reduction="none"), base, rtol=1e-12)


# --- information theory ----------------------------------------------------------------------


@pytest.mark.parametrize("K", KS)
def test_decomposition_matches_entropy_plus_kl_divergence(K: int, rng: np.random.Generator) -> None:
    d = decomposition(K)
    y, q = _distributions(rng, 6, K), _distributions(rng, 6, K)
    ce = sym.lambdify_rows(d.cross_entropy, (d.y, d.p))(y, q)
    h = sym.lambdify_rows(d.entropy, (d.y, d.p))(y, q)
    kl = sym.lambdify_rows(d.kl_divergence, (d.y, d.p))(y, q)
    np.testing.assert_allclose(h, sce.entropy(y), rtol=1e-12)
    np.testing.assert_allclose(kl, sce.kl_divergence(y, q), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ce, sce.entropy(y) + sce.kl_divergence(y, q), rtol=1e-12)
    np.testing.assert_allclose(ce, sce.cross_entropy(np.log(q), y, reduction="none"), rtol=1e-12)
    bits = sym.lambdify_rows(d.cross_entropy_bits, (d.y, d.p))(y, q)
    np.testing.assert_allclose(bits, ce / float(d.nats_per_bit), rtol=1e-13)
    np.testing.assert_allclose(sce.entropy(y, base=2), h / np.log(2), rtol=1e-13)


def test_decomposition_needs_no_normalisation_but_kl_sign_does(rng: np.random.Generator) -> None:
    d = decomposition(3)
    y, q = 2.0 * _distributions(rng, 4, 3), 0.5 * _distributions(rng, 4, 3) + 0.1
    f = {
        name: sym.lambdify_rows(getattr(d, name), (d.y, d.p))
        for name in ("cross_entropy", "entropy", "kl_divergence")
    }
    np.testing.assert_allclose(
        f["cross_entropy"](y, q), f["entropy"](y, q) + f["kl_divergence"](y, q), rtol=1e-12
    )
    (ey, eq, ekl) = d.unnormalised_kl_example
    assert float(ekl) == pytest.approx(-np.log(2), rel=1e-15)
    assert float(sum(a * sp.log(a / b) for a, b in zip(ey, eq))) < 0
    assert d.zero_log_zero == 0
    assert any("no normalisation" in a for a in d.assumptions)


def test_symbolic_k_decomposition_agrees_at_k_3(rng: np.random.Generator) -> None:
    d = sym.derive_ce_decomposition_symbolic_k()
    k = 3
    y, q = _distributions(rng, 1, k)[0], _distributions(rng, 1, k)[0]
    values = {d.y[m + 1]: y[m] for m in range(k)} | {d.p[m + 1]: q[m] for m in range(k)}
    ce, h, kl = (
        float(_at_k(e, d.K, k).subs(values)) for e in (d.cross_entropy, d.entropy, d.kl_divergence)
    )
    np.testing.assert_allclose(h, sce.entropy(y), rtol=1e-12)
    np.testing.assert_allclose(kl, sce.kl_divergence(y, q), rtol=1e-10)
    np.testing.assert_allclose(ce, h + kl, rtol=1e-12)


def test_log_likelihood_gradient_reuses_the_one_cross_entropy_gradient() -> None:
    r, ce = derive_log_likelihood_gradient(3), sym.derive_ce_gradient(3, name="z")
    # p - y is derived once: chapter 2's result carries chapter 4's checked steps and forms
    assert [s.claim for s in r.steps] == [f"[{ce.name}] {s.claim}" for s in ce.steps]
    assert r.loss_gradient_normalized == ce.normalised_form
    assert r.gradient == -ce.gradient
    assert list(r.logits) == list(sym.logits(3))  # 1-based z_1 .. z_3, as in the book


def test_lambdify_rows_scalar_expression_on_one_row_returns_a_0d_array():
    # Regression: np.ascontiguousarray promoted the 0-d result of a single row to shape (1,).
    z = sym.logits(3)
    f = sym.lambdify_rows(z[0] + z[1] * z[2], z)
    assert f(np.array([1.0, 2.0, 3.0])).shape == ()
    assert float(f(np.array([1.0, 2.0, 3.0]))) == 7.0
    assert f(np.ones((4, 3))).shape == (4,)
