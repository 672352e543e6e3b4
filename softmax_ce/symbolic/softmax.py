"""Softmax, derived and asserted in SymPy: Jacobian, sigmoid link, temperature, shift.

Every ``derive_*`` function computes a result with SymPy *and asserts it*: it raises
:class:`AssertionError` if SymPy cannot confirm an identity. It returns a frozen dataclass
whose fields are the symbols, the intermediate steps and the results, so that a chapter can
display each step (SymPy objects render as LaTeX in a notebook).

Functions taking ``K`` work with a concrete number of classes; the ``*_symbolic_k``
functions work for a symbolic ``K`` with :class:`sympy.IndexedBase` and :class:`sympy.Sum`.
Each docstring says which was done.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._checks import assert_zero

__all__ = [
    "SoftmaxJacobian",
    "SoftmaxJacobianSymbolicK",
    "TwoClassSigmoid",
    "TemperatureDerivative",
    "TemperatureDerivativeSymbolicK",
    "ShiftInvariance",
    "ShiftInvarianceSymbolicK",
    "logits",
    "softmax_matrix",
    "derive_softmax_jacobian",
    "derive_softmax_jacobian_symbolic_k",
    "derive_two_class_sigmoid",
    "derive_temperature_derivative",
    "derive_temperature_derivative_symbolic_k",
    "derive_shift_invariance",
    "derive_shift_invariance_symbolic_k",
]


def _check_k(K: int) -> int:
    if isinstance(K, bool) or not isinstance(K, int) or K < 1:
        raise ValueError(f"K: expected a positive int number of classes, got {K!r}")
    return K


def logits(K: int, name: str = "z") -> sp.Matrix:
    """Return a ``K x 1`` column of real symbols ``name_1, ..., name_K``.

    Parameters
    ----------
    K : int
        Number of classes (``K >= 1``).
    name : str, default "z"
        Base name; the book writes ``z`` (chapter 4 follows the source and writes ``o``).

    Returns
    -------
    sympy.Matrix
        Column vector of ``K`` real symbols, indexed from 1 as in the book.

    Examples
    --------
    >>> logits(3).T
    Matrix([[z_1, z_2, z_3]])
    >>> logits(2, "o")[1].is_real
    True
    """
    _check_k(K)
    return sp.Matrix(sp.symbols(f"{name}_1:{K + 1}", real=True))


def softmax_matrix(z: sp.MatrixBase, T: sp.Expr | int = 1) -> sp.Matrix:
    """Softmax of a column of symbols: ``p_i = exp(z_i / T) / sum_j exp(z_j / T)``.

    Parameters
    ----------
    z : sympy.Matrix
        Column (or row) vector of logits.
    T : sympy expression or int, default 1
        Temperature.

    Returns
    -------
    sympy.Matrix
        Column vector ``p`` with the shape of ``z`` as a column.

    Examples
    --------
    >>> z = logits(2)
    >>> softmax_matrix(z)
    Matrix([
    [exp(z_1)/(exp(z_1) + exp(z_2))],
    [exp(z_2)/(exp(z_1) + exp(z_2))]])
    """
    zs = list(z)
    exps = [sp.exp(zi / T) for zi in zs]
    total = sp.Add(*exps)
    return sp.Matrix([e / total for e in exps])


def _probability_symbols(K: int, name: str = "p") -> sp.Matrix:
    return sp.Matrix(sp.symbols(f"{name}_1:{K + 1}", positive=True))


@dataclass(frozen=True)
class SoftmaxJacobian:
    """The softmax Jacobian for ``K`` classes, step by step (see :func:`derive_softmax_jacobian`).

    Attributes
    ----------
    K : int
        Number of classes.
    z : sympy.Matrix
        Logits ``z_1..z_K`` (real symbols).
    p : sympy.Matrix
        ``softmax(z)`` in terms of ``z``.
    jacobian : sympy.Matrix
        ``p.jacobian(z)`` exactly as SymPy differentiates it (entry ``(i, j)`` is
        ``dp_i/dz_j``).
    p_symbols : sympy.Matrix
        Positive symbols ``p_1..p_K`` standing for the probabilities.
    closed_form : sympy.Matrix
        ``diag(p) - p p^T`` in ``p_symbols``: ``p_i(1 - p_i)`` on the diagonal, ``-p_i p_j`` off it.
    v : sympy.Matrix
        An arbitrary real direction ``v_1..v_K``.
    quadratic_form : sympy.Expr
        ``v^T J v`` in ``p_symbols`` (expanded).
    mean_v : sympy.Expr
        ``sum_i p_i v_i``, the mean of ``v`` under ``p``.
    weighted_variance : sympy.Expr
        ``sum_i p_i (v_i - mean_v)^2 = Var_p(v)``: manifestly ``>= 0``.
    null_vector : sympy.Matrix
        The all-ones vector, with ``J 1 = 0``.
    """

    K: int
    z: sp.Matrix
    p: sp.Matrix
    jacobian: sp.Matrix
    p_symbols: sp.Matrix
    closed_form: sp.Matrix
    v: sp.Matrix
    quadratic_form: sp.Expr
    mean_v: sp.Expr
    weighted_variance: sp.Expr
    null_vector: sp.Matrix


def derive_softmax_jacobian(K: int) -> SoftmaxJacobian:
    """Derive the softmax Jacobian ``J = diag(p) - p p^T`` for ``K`` classes and its properties.

    Proved for the given concrete ``K`` (SymPy's ``Matrix.jacobian`` needs explicit
    symbols); :func:`derive_softmax_jacobian_symbolic_k` proves the entrywise formula for a
    symbolic ``K``. Asserted:

    * ``p.jacobian(z) == diag(p) - p p^T`` entrywise (so ``dp_i/dz_i = p_i(1 - p_i)`` and
      ``dp_i/dz_j = -p_i p_j``, the source's case formula);
    * ``J`` is symmetric;
    * every row of ``J`` sums to 0, i.e. ``J 1 = 0`` (because ``sum p = 1``, also asserted);
    * positive semidefiniteness, by the identity (in the ``p`` symbols, symbolic ``v``)
      ``v^T J v = sum_i p_i v_i^2 - (sum_i p_i v_i)^2
      = sum_i p_i (v_i - m)^2 + m^2 (1 - sum_i p_i)`` with ``m = sum_i p_i v_i``; with
      ``sum p = 1`` the last term vanishes and ``v^T J v = Var_p(v) >= 0`` (SymPy confirms
      the sum of ``p_i (v_i - m)^2`` is nonnegative for positive ``p_i``). ``J`` is singular:
      ``1`` is a null vector, so it is semidefinite, not definite.

    Parameters
    ----------
    K : int
        Number of classes; ``K <= 6`` keeps it well under a second.

    Returns
    -------
    SoftmaxJacobian

    Raises
    ------
    AssertionError
        If SymPy cannot confirm one of the identities.

    Examples
    --------
    >>> d = derive_softmax_jacobian(2)
    >>> d.closed_form
    Matrix([
    [p_1*(1 - p_1),     -p_1*p_2],
    [    -p_1*p_2, p_2*(1 - p_2)]])
    >>> d.weighted_variance
    p_1*(-p_1*v_1 - p_2*v_2 + v_1)**2 + p_2*(-p_1*v_1 - p_2*v_2 + v_2)**2
    """
    _check_k(K)
    z = logits(K)
    p = softmax_matrix(z)
    jac = p.jacobian(z)
    q = _probability_symbols(K)
    closed = sp.Matrix(K, K, lambda i, j: q[i] * (1 - q[i]) if i == j else -q[i] * q[j])
    assert_zero(closed - (sp.diag(*q) - q * q.T), "the case formula equals diag(p) - p p^T")
    to_p = dict(zip(q, p))
    assert_zero(jac - closed.xreplace(to_p), "jacobian(softmax) = diag(p) - p p^T")
    if closed != closed.T:
        raise AssertionError("diag(p) - p p^T is not symmetric")
    assert_zero(jac - jac.T, "the softmax Jacobian is symmetric")
    assert_zero(sum(p) - 1, "sum_i softmax(z)_i = 1")
    ones = sp.ones(K, 1)
    assert_zero(jac * ones, "the rows of the softmax Jacobian sum to 0 (J 1 = 0)")

    v = sp.Matrix(sp.symbols(f"v_1:{K + 1}", real=True))
    quad = sp.expand((v.T * closed * v)[0, 0])
    m = sum(qi * vi for qi, vi in zip(q, v))
    var = sum(qi * (vi - m) ** 2 for qi, vi in zip(q, v))
    assert_zero(
        quad - (sum(qi * vi**2 for qi, vi in zip(q, v)) - m**2),
        "v^T J v = sum p v^2 - (sum p v)^2",
    )
    assert_zero(quad - var - m**2 * (1 - sum(q)), "v^T J v = Var_p(v) + m^2 (1 - sum p)")
    if not var.is_nonnegative:
        raise AssertionError("SymPy cannot confirm that sum_i p_i (v_i - m)^2 >= 0")
    return SoftmaxJacobian(
        K=K,
        z=z,
        p=p,
        jacobian=jac,
        p_symbols=q,
        closed_form=closed,
        v=v,
        quadratic_form=quad,
        mean_v=m,
        weighted_variance=var,
        null_vector=ones,
    )


@dataclass(frozen=True)
class SoftmaxJacobianSymbolicK:
    """``dp_i/dz_j = p_i (delta_ij - p_j)`` for symbolic ``K`` (see
    :func:`derive_softmax_jacobian_symbolic_k`).

    Attributes
    ----------
    K : sympy.Symbol
        Number of classes (positive integer symbol).
    i, j, k : sympy.Symbol
        Class indices (positive integers); ``k`` is the summation index.
    z : sympy.IndexedBase
        Logits ``z[1..K]``.
    p_i, p_j : sympy.Expr
        ``exp(z[i]) / Sum(exp(z[k]), (k, 1, K))`` and the same for ``j``.
    derivative : sympy.Expr
        ``diff(p_i, z[j])`` exactly as SymPy returns it (with ``KroneckerDelta``).
    closed_form : sympy.Expr
        ``p_i * (KroneckerDelta(i, j) - p_j)``.
    assumption : str
        What the proof uses about the indices.
    """

    K: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    z: sp.IndexedBase
    p_i: sp.Expr
    p_j: sp.Expr
    derivative: sp.Expr
    closed_form: sp.Expr
    assumption: str


def _indices() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, sp.Symbol]:
    K = sp.Symbol("K", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True, positive=True)
    return K, i, j, k


def derive_softmax_jacobian_symbolic_k() -> SoftmaxJacobianSymbolicK:
    """Prove ``dp_i/dz_j = p_i (delta_ij - p_j)`` for a symbolic number of classes ``K``.

    Proved for symbolic ``K``: SymPy differentiates ``Sum(exp(z[k]), (k, 1, K))`` with
    respect to ``z[j]`` into a ``Sum`` with a ``KroneckerDelta``, which it evaluates to
    ``exp(z[j])`` once it knows ``1 <= j <= K`` (``refine`` with ``Q.le(j, K)``; the indices
    are positive integers). The residual against the closed form then simplifies to 0.

    Returns
    -------
    SoftmaxJacobianSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> d = derive_softmax_jacobian_symbolic_k()
    >>> d.closed_form
    (-exp(z[j])/Sum(exp(z[k]), (k, 1, K)) + KroneckerDelta(i, j))*exp(z[i])/Sum(exp(z[k]),
    (k, 1, K))
    """
    K, i, j, k = _indices()
    z = sp.IndexedBase("z", real=True)
    total = sp.Sum(sp.exp(z[k]), (k, 1, K))
    p_i = sp.exp(z[i]) / total
    p_j = sp.exp(z[j]) / total
    derivative = sp.diff(p_i, z[j])
    closed = p_i * (sp.KroneckerDelta(i, j) - p_j)
    residual = sp.refine(sp.simplify(derivative - closed), sp.Q.le(j, K))
    if sp.simplify(residual) != 0:
        raise AssertionError(f"SymPy could not confirm dp_i/dz_j = p_i(delta_ij - p_j): {residual}")
    return SoftmaxJacobianSymbolicK(
        K=K,
        i=i,
        j=j,
        k=k,
        z=z,
        p_i=p_i,
        p_j=p_j,
        derivative=derivative,
        closed_form=closed,
        assumption="i, j, k are integers with 1 <= i, j <= K",
    )


@dataclass(frozen=True)
class TwoClassSigmoid:
    """Two-class softmax as a sigmoid (see :func:`derive_two_class_sigmoid`).

    Attributes
    ----------
    a, b : sympy.Symbol
        The two logits (real).
    p : sympy.Matrix
        ``softmax([a, b])``.
    sigmoid : sympy.Lambda
        ``sigma(t) = 1 / (1 + exp(-t))``.
    first : sympy.Expr
        ``sigma(a - b)``, equal to ``p[0]``.
    second : sympy.Expr
        ``sigma(b - a) = 1 - sigma(a - b)``, equal to ``p[1]``.
    derivative : sympy.Expr
        ``d p[0] / da`` as SymPy computes it, equal to ``sigma(a - b)(1 - sigma(a - b))``.
    """

    a: sp.Symbol
    b: sp.Symbol
    p: sp.Matrix
    sigmoid: sp.Lambda
    first: sp.Expr
    second: sp.Expr
    derivative: sp.Expr


def derive_two_class_sigmoid() -> TwoClassSigmoid:
    """Prove ``softmax([a, b])_1 = sigma(a - b)`` (the logistic sigmoid of the logit difference).

    Proved for symbolic real ``a, b`` (the statement is about ``K = 2`` only). Also
    asserted: ``softmax([a, b])_2 = sigma(b - a) = 1 - sigma(a - b)``, and
    ``d/da softmax([a, b])_1 = sigma(a - b)(1 - sigma(a - b))``, the sigmoid's derivative,
    which is the ``(1, 1)`` entry ``p_1 (1 - p_1)`` of the softmax Jacobian. So two-class
    softmax depends on the logits only through ``a - b``: one of the two is redundant.

    Returns
    -------
    TwoClassSigmoid

    Raises
    ------
    AssertionError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_two_class_sigmoid()
    >>> d.first
    1/(exp(-a + b) + 1)
    """
    a, b = sp.symbols("a b", real=True)
    p = softmax_matrix(sp.Matrix([a, b]))
    t = sp.Symbol("t", real=True)
    sigma = sp.Lambda(t, 1 / (1 + sp.exp(-t)))
    first = sigma(a - b)
    second = sigma(b - a)
    assert_zero(p[0] - first, "softmax([a, b])_1 = sigma(a - b)")
    assert_zero(p[1] - second, "softmax([a, b])_2 = sigma(b - a)")
    assert_zero(second - (1 - first), "sigma(b - a) = 1 - sigma(a - b)")
    derivative = sp.diff(p[0], a)
    assert_zero(derivative - first * (1 - first), "d sigma(a - b)/da = sigma (1 - sigma)")
    return TwoClassSigmoid(
        a=a, b=b, p=p, sigmoid=sigma, first=first, second=second, derivative=derivative
    )


@dataclass(frozen=True)
class TemperatureDerivative:
    """Softmax with temperature: derivative in ``T`` and the limits (see
    :func:`derive_temperature_derivative`).

    Attributes
    ----------
    K : int
        Number of classes.
    z : sympy.Matrix
        Logits.
    T : sympy.Symbol
        Temperature (positive).
    p : sympy.Matrix
        ``softmax(z / T)``.
    derivative : sympy.Matrix
        ``dp/dT`` as SymPy differentiates it.
    mean_z : sympy.Expr
        ``sum_j p_j z_j``, the mean logit under ``p``.
    closed_form : sympy.Matrix
        ``-(1/T^2) p_i (z_i - mean_z)``.
    gaps : sympy.Matrix
        Positive symbols ``d_2..d_K`` with ``z_j = z_1 - d_j``: ``z_1`` is the unique largest
        logit (no loss of generality for distinct logits, by relabelling).
    limit_zero : sympy.Matrix
        ``lim_{T -> 0+} p`` with ``z_1`` the unique maximum: ``(1, 0, ..., 0)``, the argmax.
    limit_infinity : sympy.Matrix
        ``lim_{T -> oo} p = (1/K, ..., 1/K)``, uniform.
    """

    K: int
    z: sp.Matrix
    T: sp.Symbol
    p: sp.Matrix
    derivative: sp.Matrix
    mean_z: sp.Expr
    closed_form: sp.Matrix
    gaps: sp.Matrix
    limit_zero: sp.Matrix
    limit_infinity: sp.Matrix


def derive_temperature_derivative(K: int) -> TemperatureDerivative:
    """Derive ``dp_i/dT = -(1/T^2) p_i (z_i - sum_j p_j z_j)`` and the limits ``T -> 0+, oo``.

    Proved for the given concrete ``K`` with symbolic logits and temperature (see
    :func:`derive_temperature_derivative_symbolic_k` for the derivative with symbolic ``K``).
    The limits are computed by :func:`sympy.limit`, also with symbolic logits:

    * ``T -> oo``: every ``p_i -> 1/K`` (uniform), for any real logits;
    * ``T -> 0+``: for distinct logits, relabel so that ``z_1`` is the largest and write
      ``z_j = z_1 - d_j`` with symbolic ``d_j > 0``; then ``p -> (1, 0, ..., 0)``, the
      one-hot vector of the argmax. (With tied maxima the limit is uniform over the tied
      classes instead; not covered here.)

    Since ``z_i - mean_z`` is positive for the largest logit and negative for the smallest,
    raising ``T`` lowers the largest probability and raises the smallest one.

    Parameters
    ----------
    K : int
        Number of classes; ``K <= 4`` keeps the limits fast (about a second).

    Returns
    -------
    TemperatureDerivative

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the derivative or a limit.

    Examples
    --------
    >>> d = derive_temperature_derivative(2)
    >>> d.limit_zero.T, d.limit_infinity.T
    (Matrix([[1, 0]]), Matrix([[1/2, 1/2]]))
    """
    _check_k(K)
    z = logits(K)
    T = sp.Symbol("T", positive=True)
    p = softmax_matrix(z, T)
    derivative = p.diff(T)
    mean_z = sum(pj * zj for pj, zj in zip(p, z))
    closed = sp.Matrix([-(p[i] * (z[i] - mean_z)) / T**2 for i in range(K)])
    assert_zero(derivative - closed, "dp_i/dT = -(1/T^2) p_i (z_i - sum_j p_j z_j)")

    gaps = sp.Matrix(sp.symbols(f"d_2:{K + 1}", positive=True)) if K > 1 else sp.zeros(0, 1)
    spread = {z[j]: z[0] - gaps[j - 1] for j in range(1, K)}
    # By shift invariance (c = -z_1), softmax(z/T) = softmax((0, -d_2, ..., -d_K)/T): assert it,
    # then take the limit of the shifted form, whose exponents all have a known sign.
    p_gapped = softmax_matrix(sp.Matrix([0, *(-g for g in gaps)]), T)
    assert_zero(p.xreplace(spread) - p_gapped, "softmax(z/T) = softmax((z - z_1)/T)")
    limit_zero = sp.Matrix([sp.limit(e, T, 0, "+") for e in p_gapped])
    expected_zero = sp.Matrix([1] + [0] * (K - 1))
    if limit_zero != expected_zero:
        raise AssertionError(f"lim T->0+ softmax(z/T) = {limit_zero.T}, expected the argmax")
    limit_inf = sp.Matrix([sp.limit(e, T, sp.oo) for e in p])
    if limit_inf != sp.Matrix([sp.Rational(1, K)] * K):
        raise AssertionError(f"lim T->oo softmax(z/T) = {limit_inf.T}, expected uniform")
    return TemperatureDerivative(
        K=K,
        z=z,
        T=T,
        p=p,
        derivative=derivative,
        mean_z=mean_z,
        closed_form=closed,
        gaps=gaps,
        limit_zero=limit_zero,
        limit_infinity=limit_inf,
    )


def _rename_sum_index(expr: sp.Expr, old: sp.Symbol, new: sp.Symbol) -> sp.Expr:
    """Rename the bound index ``old`` to ``new`` in every ``Sum`` over ``old`` (alpha-renaming)."""

    def rename(s: sp.Sum) -> sp.Sum:
        (var, lo, hi), *rest = s.limits
        if var != old or rest or new in s.function.free_symbols:
            return s
        return sp.Sum(s.function.xreplace({old: new}), (new, lo, hi))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


@dataclass(frozen=True)
class TemperatureDerivativeSymbolicK:
    """``dp_i/dT`` for symbolic ``K`` (see :func:`derive_temperature_derivative_symbolic_k`).

    Attributes
    ----------
    K, i, k : sympy.Symbol
        Number of classes, class index, summation index.
    z : sympy.IndexedBase
        Logits.
    T : sympy.Symbol
        Temperature (positive).
    p_i : sympy.Expr
        ``exp(z[i]/T) / Sum(exp(z[k]/T), (k, 1, K))``.
    derivative : sympy.Expr
        ``diff(p_i, T)`` as SymPy computes it.
    mean_z : sympy.Expr
        ``Sum(p_k z[k], (k, 1, K))``, written
        ``Sum(z[k] exp(z[k]/T), (k, 1, K)) / Sum(exp(z[k]/T), (k, 1, K))``.
    closed_form : sympy.Expr
        ``-(1/T^2) p_i (z[i] - mean_z)``.
    """

    K: sp.Symbol
    i: sp.Symbol
    k: sp.Symbol
    z: sp.IndexedBase
    T: sp.Symbol
    p_i: sp.Expr
    derivative: sp.Expr
    mean_z: sp.Expr
    closed_form: sp.Expr


def derive_temperature_derivative_symbolic_k() -> TemperatureDerivativeSymbolicK:
    """Prove ``dp_i/dT = -(1/T^2) p_i (z_i - sum_k p_k z_k)`` for symbolic ``K``.

    Proved for symbolic ``K`` with ``IndexedBase``/``Sum``: SymPy differentiates under the
    sum. The mean ``sum_k p_k z_k`` is written with the normaliser factored out of the sum
    (linearity), and the one summation index is used throughout so that SymPy can combine
    the sums (it does not identify sums that differ only in the name of the bound index; the
    helper renames them).

    Returns
    -------
    TemperatureDerivativeSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> d = derive_temperature_derivative_symbolic_k()
    >>> d.T.is_positive
    True
    """
    K, i, _, k = _indices()
    z = sp.IndexedBase("z", real=True)
    T = sp.Symbol("T", positive=True)
    total = sp.Sum(sp.exp(z[k] / T), (k, 1, K))
    p_i = sp.exp(z[i] / T) / total
    derivative = sp.diff(p_i, T)
    mean_z = sp.Sum(z[k] * sp.exp(z[k] / T), (k, 1, K)) / total
    closed = -p_i * (z[i] - mean_z) / T**2
    residual = sp.simplify(derivative - closed)
    if residual != 0:
        raise AssertionError(f"SymPy could not confirm dp_i/dT for symbolic K: {residual}")
    return TemperatureDerivativeSymbolicK(
        K=K,
        i=i,
        k=k,
        z=z,
        T=T,
        p_i=p_i,
        derivative=derivative,
        mean_z=mean_z,
        closed_form=closed,
    )


@dataclass(frozen=True)
class ShiftInvariance:
    """``softmax(z + c 1) = softmax(z)`` for ``K`` classes (see :func:`derive_shift_invariance`).

    Attributes
    ----------
    K : int
        Number of classes.
    z : sympy.Matrix
        Logits.
    c : sympy.Symbol
        The shift (any real number; ``c = -max(z)`` is the stable-softmax choice).
    p : sympy.Matrix
        ``softmax(z)``.
    p_shifted : sympy.Matrix
        ``softmax(z + c 1)`` before simplification.
    """

    K: int
    z: sp.Matrix
    c: sp.Symbol
    p: sp.Matrix
    p_shifted: sp.Matrix


def derive_shift_invariance(K: int) -> ShiftInvariance:
    """Prove ``softmax(z + c 1) = softmax(z)`` for every real ``c`` (concrete ``K``).

    Proved for the given ``K`` with symbolic ``z`` and ``c``: ``exp(z_i + c) = exp(c) exp(z_i)``
    and the factor ``exp(c)`` cancels between numerator and denominator. This is why the
    stable softmax may subtract ``max(z)``. See :func:`derive_shift_invariance_symbolic_k`
    for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    ShiftInvariance

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_shift_invariance(3).p_shifted[0]
    exp(c + z_1)/(exp(c + z_1) + exp(c + z_2) + exp(c + z_3))
    """
    _check_k(K)
    z = logits(K)
    c = sp.Symbol("c", real=True)
    p = softmax_matrix(z)
    shifted = softmax_matrix(z + c * sp.ones(K, 1))
    assert_zero(shifted - p, "softmax(z + c 1) = softmax(z)")
    return ShiftInvariance(K=K, z=z, c=c, p=p, p_shifted=shifted)


@dataclass(frozen=True)
class ShiftInvarianceSymbolicK:
    """``softmax(z + c)_i = softmax(z)_i`` for symbolic ``K``.

    Attributes
    ----------
    K, i, k : sympy.Symbol
        Number of classes, class index, summation index.
    z : sympy.IndexedBase
        Logits.
    c : sympy.Symbol
        The shift.
    p_i : sympy.Expr
        ``softmax(z)_i``.
    p_i_shifted : sympy.Expr
        ``exp(z[i] + c) / Sum(exp(z[k] + c), (k, 1, K))``.
    """

    K: sp.Symbol
    i: sp.Symbol
    k: sp.Symbol
    z: sp.IndexedBase
    c: sp.Symbol
    p_i: sp.Expr
    p_i_shifted: sp.Expr


def derive_shift_invariance_symbolic_k() -> ShiftInvarianceSymbolicK:
    """Prove ``softmax(z + c 1) = softmax(z)`` for symbolic ``K`` (``IndexedBase``/``Sum``).

    Proved for symbolic ``K``: SymPy pulls ``exp(c)`` out of the ``Sum`` and cancels it.

    Returns
    -------
    ShiftInvarianceSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_shift_invariance_symbolic_k().p_i_shifted
    exp(c + z[i])/Sum(exp(c + z[k]), (k, 1, K))
    """
    K, i, _, k = _indices()
    z = sp.IndexedBase("z", real=True)
    c = sp.Symbol("c", real=True)
    p_i = sp.exp(z[i]) / sp.Sum(sp.exp(z[k]), (k, 1, K))
    shifted = sp.exp(z[i] + c) / sp.Sum(sp.exp(z[k] + c), (k, 1, K))
    if sp.simplify(shifted - p_i) != 0:
        raise AssertionError("SymPy could not confirm shift invariance for symbolic K")
    return ShiftInvarianceSymbolicK(K=K, i=i, k=k, z=z, c=c, p_i=p_i, p_i_shifted=shifted)
