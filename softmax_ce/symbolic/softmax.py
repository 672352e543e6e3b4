"""Softmax, derived and checked in SymPy: Jacobian, sigmoid link, temperature, shift.

Every ``derive_*`` function computes a result with SymPy and checks each step: it raises
:class:`~softmax_ce.symbolic.record.DerivationError` if SymPy cannot confirm an identity.
It returns a :class:`~softmax_ce.symbolic.record.Derivation` whose attributes are the
symbols, the intermediate steps and the results, so that a chapter can display each step
(SymPy objects render as LaTeX in a notebook).

Functions taking ``K`` work with a concrete number of classes; the ``*_symbolic_k``
functions work for a symbolic ``K`` with :class:`sympy.IndexedBase` and :class:`sympy.Sum`.
Each docstring says which was done.
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from ._symbols import indices, symbol_vector
from .record import Derivation

__all__ = [
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
    return symbol_vector(name, K, real=True)


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
    exps = [sp.exp(zi / T) for zi in z]
    total = sp.Add(*exps)
    return sp.Matrix([e / total for e in exps])


def derive_softmax_jacobian(K: int) -> Derivation:
    """Derive the softmax Jacobian ``J = diag(p) - p p^T`` for ``K`` classes and its properties.

    Proved for the given concrete ``K`` (SymPy's ``Matrix.jacobian`` needs explicit
    symbols); :func:`derive_softmax_jacobian_symbolic_k` proves the entrywise formula for a
    symbolic ``K``. Checked:

    * ``p.jacobian(z) == diag(p) - p p^T`` entrywise (so ``dp_i/dz_i = p_i(1 - p_i)`` and
      ``dp_i/dz_j = -p_i p_j``, the source's case formula);
    * ``J`` is symmetric;
    * every row of ``J`` sums to 0, i.e. ``J 1 = 0`` (because ``sum p = 1``, also checked);
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
    Derivation
        ``K``; ``z`` (logits ``z_1..z_K``); ``p`` (``softmax(z)``); ``jacobian``
        (``p.jacobian(z)`` as SymPy differentiates it, entry ``(i, j)`` is ``dp_i/dz_j``);
        ``p_symbols`` (positive symbols ``p_1..p_K`` standing for the probabilities);
        ``closed_form`` (``diag(p) - p p^T`` in ``p_symbols``); ``v`` (a real direction);
        ``quadratic_form`` (``v^T J v`` in ``p_symbols``, expanded); ``mean_v``
        (``sum_i p_i v_i``); ``weighted_variance`` (``sum_i p_i (v_i - mean_v)^2``);
        ``null_vector`` (the all-ones vector).

    Raises
    ------
    DerivationError
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
    check_classes(K)
    d = Derivation("softmax Jacobian")
    z = logits(K)
    p = softmax_matrix(z)
    jac = p.jacobian(z)
    q = symbol_vector("p", K, positive=True)
    closed = sp.Matrix(K, K, lambda i, j: q[i] * (1 - q[i]) if i == j else -q[i] * q[j])
    d.zero(closed - (sp.diag(*q) - q * q.T), "the case formula equals diag(p) - p p^T")
    d.zero(jac - closed.xreplace(dict(zip(q, p))), "jacobian(softmax) = diag(p) - p p^T")
    d.holds(closed == closed.T, "diag(p) - p p^T is symmetric", closed)
    d.zero(jac - jac.T, "the softmax Jacobian is symmetric")
    d.zero(sum(p) - 1, "sum_i softmax(z)_i = 1")
    ones = sp.ones(K, 1)
    d.zero(jac * ones, "the rows of the softmax Jacobian sum to 0 (J 1 = 0)")

    v = symbol_vector("v", K, real=True)
    quad = sp.expand((v.T * closed * v)[0, 0])
    m = sum(qi * vi for qi, vi in zip(q, v))
    var = sum(qi * (vi - m) ** 2 for qi, vi in zip(q, v))
    d.zero(
        quad - (sum(qi * vi**2 for qi, vi in zip(q, v)) - m**2),
        "v^T J v = sum p v^2 - (sum p v)^2",
    )
    d.zero(quad - var - m**2 * (1 - sum(q)), "v^T J v = Var_p(v) + m^2 (1 - sum p)")
    d.holds(var.is_nonnegative, "sum_i p_i (v_i - m)^2 >= 0", var)
    return d.done(
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


def derive_softmax_jacobian_symbolic_k() -> Derivation:
    """Prove ``dp_i/dz_j = p_i (delta_ij - p_j)`` for a symbolic number of classes ``K``.

    Proved for symbolic ``K``: SymPy differentiates ``Sum(exp(z[k]), (k, 1, K))`` with
    respect to ``z[j]`` into a ``Sum`` with a ``KroneckerDelta``, which it evaluates to
    ``exp(z[j])`` once it knows ``1 <= j <= K`` (``refine`` with ``Q.le(j, K)``; the indices
    are positive integers). The residual against the closed form then simplifies to 0.

    Returns
    -------
    Derivation
        ``K``, ``i``, ``j``, ``k`` (number of classes and class indices, positive integer
        symbols; ``k`` is the summation index); ``z`` (``IndexedBase`` logits ``z[1..K]``);
        ``p_i``, ``p_j`` (``exp(z[i]) / Sum(exp(z[k]), (k, 1, K))`` and the same for ``j``);
        ``derivative`` (``diff(p_i, z[j])`` as SymPy returns it, with ``KroneckerDelta``);
        ``closed_form`` (``p_i * (KroneckerDelta(i, j) - p_j)``); and the ``assumption``
        made about the indices.

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> d = derive_softmax_jacobian_symbolic_k()
    >>> d.closed_form
    (-exp(z[j])/Sum(exp(z[k]), (k, 1, K)) + KroneckerDelta(i, j))*exp(z[i])/Sum(exp(z[k]),
    (k, 1, K))
    >>> d.assumption
    'i, j, k are integers with 1 <= i, j <= K'
    """
    d = Derivation("softmax Jacobian, symbolic K", "i, j, k are integers with 1 <= i, j <= K")
    K, i, j, k = indices()
    z = sp.IndexedBase("z", real=True)
    total = sp.Sum(sp.exp(z[k]), (k, 1, K))
    p_i = sp.exp(z[i]) / total
    p_j = sp.exp(z[j]) / total
    derivative = sp.diff(p_i, z[j])
    closed = p_i * (sp.KroneckerDelta(i, j) - p_j)
    residual = sp.refine(sp.simplify(derivative - closed), sp.Q.le(j, K))
    d.zero(sp.simplify(residual), "dp_i/dz_j = p_i (delta_ij - p_j) for symbolic K")
    return d.done(
        K=K, i=i, j=j, k=k, z=z, p_i=p_i, p_j=p_j, derivative=derivative, closed_form=closed
    )


def derive_two_class_sigmoid() -> Derivation:
    """Prove ``softmax([a, b])_1 = sigma(a - b)`` (the logistic sigmoid of the logit difference).

    Proved for symbolic real ``a, b`` (the statement is about ``K = 2`` only). Also
    checked: ``softmax([a, b])_2 = sigma(b - a) = 1 - sigma(a - b)``, and
    ``d/da softmax([a, b])_1 = sigma(a - b)(1 - sigma(a - b))``, the sigmoid's derivative,
    which is the ``(1, 1)`` entry ``p_1 (1 - p_1)`` of the softmax Jacobian. So two-class
    softmax depends on the logits only through ``a - b``: one of the two is redundant.

    Returns
    -------
    Derivation
        ``a``, ``b`` (the two real logits); ``p`` (``softmax([a, b])``); ``sigmoid``
        (``Lambda``: ``sigma(t) = 1 / (1 + exp(-t))``); ``first`` (``sigma(a - b)``, equal to
        ``p[0]``); ``second`` (``sigma(b - a)``, equal to ``p[1]``); ``derivative``
        (``d p[0] / da`` as SymPy computes it).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_two_class_sigmoid()
    >>> d.first
    1/(exp(-a + b) + 1)
    """
    d = Derivation("two-class softmax is a sigmoid")
    a, b = sp.symbols("a b", real=True)
    p = softmax_matrix(sp.Matrix([a, b]))
    t = sp.Symbol("t", real=True)
    sigma = sp.Lambda(t, 1 / (1 + sp.exp(-t)))
    first = sigma(a - b)
    second = sigma(b - a)
    d.zero(p[0] - first, "softmax([a, b])_1 = sigma(a - b)")
    d.zero(p[1] - second, "softmax([a, b])_2 = sigma(b - a)")
    d.zero(second - (1 - first), "sigma(b - a) = 1 - sigma(a - b)")
    derivative = sp.diff(p[0], a)
    d.zero(derivative - first * (1 - first), "d sigma(a - b)/da = sigma (1 - sigma)")
    return d.done(a=a, b=b, p=p, sigmoid=sigma, first=first, second=second, derivative=derivative)


def derive_temperature_derivative(K: int) -> Derivation:
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
    Derivation
        ``K``; ``z`` (logits); ``T`` (positive temperature); ``p`` (``softmax(z / T)``);
        ``derivative`` (``dp/dT`` as SymPy differentiates it); ``mean_z``
        (``sum_j p_j z_j``); ``closed_form`` (``-(1/T^2) p_i (z_i - mean_z)``); ``gaps``
        (positive ``d_2..d_K`` with ``z_j = z_1 - d_j``); ``limit_zero``
        (``lim_{T -> 0+} p = (1, 0, ..., 0)``); ``limit_infinity``
        (``lim_{T -> oo} p = (1/K, ..., 1/K)``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the derivative or a limit.

    Examples
    --------
    >>> d = derive_temperature_derivative(2)
    >>> d.limit_zero.T, d.limit_infinity.T
    (Matrix([[1, 0]]), Matrix([[1/2, 1/2]]))
    """
    check_classes(K)
    d = Derivation("softmax temperature derivative and limits")
    z = logits(K)
    T = sp.Symbol("T", positive=True)
    p = softmax_matrix(z, T)
    derivative = p.diff(T)
    mean_z = sum(pj * zj for pj, zj in zip(p, z))
    closed = sp.Matrix([-(p[i] * (z[i] - mean_z)) / T**2 for i in range(K)])
    d.zero(derivative - closed, "dp_i/dT = -(1/T^2) p_i (z_i - sum_j p_j z_j)")

    gaps = sp.Matrix(sp.symbols(f"d_2:{K + 1}", positive=True)) if K > 1 else sp.zeros(0, 1)
    spread = {z[j]: z[0] - gaps[j - 1] for j in range(1, K)}
    # By shift invariance (c = -z_1), softmax(z/T) = softmax((0, -d_2, ..., -d_K)/T): check it,
    # then take the limit of the shifted form, whose exponents all have a known sign.
    p_gapped = softmax_matrix(sp.Matrix([0, *(-g for g in gaps)]), T)
    d.zero(p.xreplace(spread) - p_gapped, "softmax(z/T) = softmax((z - z_1)/T)")
    limit_zero = sp.Matrix([sp.limit(e, T, 0, "+") for e in p_gapped])
    d.holds(
        limit_zero == sp.Matrix([1] + [0] * (K - 1)),
        "lim T->0+ softmax(z/T) is the one-hot argmax",
        limit_zero,
    )
    limit_inf = sp.Matrix([sp.limit(e, T, sp.oo) for e in p])
    d.holds(
        limit_inf == sp.Matrix([sp.Rational(1, K)] * K),
        "lim T->oo softmax(z/T) is uniform",
        limit_inf,
    )
    return d.done(
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


def derive_temperature_derivative_symbolic_k() -> Derivation:
    """Prove ``dp_i/dT = -(1/T^2) p_i (z_i - sum_k p_k z_k)`` for symbolic ``K``.

    Proved for symbolic ``K`` with ``IndexedBase``/``Sum``: SymPy differentiates under the
    sum. The mean ``sum_k p_k z_k`` is written with the normaliser factored out of the sum
    (linearity), and the one summation index is used throughout so that SymPy can combine
    the sums.

    Returns
    -------
    Derivation
        ``K``, ``i``, ``k`` (number of classes, class index, summation index); ``z``
        (``IndexedBase`` logits); ``T`` (positive temperature); ``p_i``
        (``exp(z[i]/T) / Sum(exp(z[k]/T), (k, 1, K))``); ``derivative`` (``diff(p_i, T)``);
        ``mean_z`` (``Sum(z[k] exp(z[k]/T)) / Sum(exp(z[k]/T))``); ``closed_form``
        (``-(1/T^2) p_i (z[i] - mean_z)``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> d = derive_temperature_derivative_symbolic_k()
    >>> d.T.is_positive
    True
    """
    d = Derivation("softmax temperature derivative, symbolic K")
    K, i, _, k = indices()
    z = sp.IndexedBase("z", real=True)
    T = sp.Symbol("T", positive=True)
    total = sp.Sum(sp.exp(z[k] / T), (k, 1, K))
    p_i = sp.exp(z[i] / T) / total
    derivative = sp.diff(p_i, T)
    mean_z = sp.Sum(z[k] * sp.exp(z[k] / T), (k, 1, K)) / total
    closed = -p_i * (z[i] - mean_z) / T**2
    d.zero(sp.simplify(derivative - closed), "dp_i/dT = -(1/T^2) p_i (z_i - E_p[z]), symbolic K")
    return d.done(
        K=K, i=i, k=k, z=z, T=T, p_i=p_i, derivative=derivative, mean_z=mean_z, closed_form=closed
    )


def derive_shift_invariance(K: int) -> Derivation:
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
    Derivation
        ``K``; ``z`` (logits); ``c`` (the real shift; ``c = -max(z)`` is the stable-softmax
        choice); ``p`` (``softmax(z)``); ``p_shifted`` (``softmax(z + c 1)`` before
        simplification).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_shift_invariance(3).p_shifted[0]
    exp(c + z_1)/(exp(c + z_1) + exp(c + z_2) + exp(c + z_3))
    """
    check_classes(K)
    d = Derivation("softmax shift invariance")
    z = logits(K)
    c = sp.Symbol("c", real=True)
    p = softmax_matrix(z)
    shifted = softmax_matrix(z + c * sp.ones(K, 1))
    d.zero(shifted - p, "softmax(z + c 1) = softmax(z)")
    return d.done(K=K, z=z, c=c, p=p, p_shifted=shifted)


def derive_shift_invariance_symbolic_k() -> Derivation:
    """Prove ``softmax(z + c 1) = softmax(z)`` for symbolic ``K`` (``IndexedBase``/``Sum``).

    Proved for symbolic ``K``: SymPy pulls ``exp(c)`` out of the ``Sum`` and cancels it.

    Returns
    -------
    Derivation
        ``K``, ``i``, ``k`` (number of classes, class index, summation index); ``z``
        (``IndexedBase`` logits); ``c`` (the shift); ``p_i`` (``softmax(z)_i``);
        ``p_i_shifted`` (``exp(z[i] + c) / Sum(exp(z[k] + c), (k, 1, K))``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_shift_invariance_symbolic_k().p_i_shifted
    exp(c + z[i])/Sum(exp(c + z[k]), (k, 1, K))
    """
    d = Derivation("softmax shift invariance, symbolic K")
    K, i, _, k = indices()
    z = sp.IndexedBase("z", real=True)
    c = sp.Symbol("c", real=True)
    p_i = sp.exp(z[i]) / sp.Sum(sp.exp(z[k]), (k, 1, K))
    shifted = sp.exp(z[i] + c) / sp.Sum(sp.exp(z[k] + c), (k, 1, K))
    d.zero(sp.simplify(shifted - p_i), "softmax(z + c 1)_i = softmax(z)_i, symbolic K")
    return d.done(K=K, i=i, k=k, z=z, c=c, p_i=p_i, p_i_shifted=shifted)
