"""Softmax cross-entropy, derived and asserted in SymPy: simplification, gradient, Hessian.

The loss of one sample with logits ``o`` (chapter 4 follows the source and writes ``o`` for
the logits ``z``) and label vector ``y`` is the source's

    l(o, y) = -sum_j y_j log softmax(o)_j.

The labels ``y`` are left *unconstrained* (real symbols), so every result shows exactly where
the assumption ``sum_j y_j = 1`` enters; the source uses it silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ._checks import assert_zero
from .softmax import _check_k, _indices, logits, softmax_matrix

__all__ = [
    "CESimplification",
    "CESimplificationSymbolicK",
    "CEGradient",
    "CEGradientSymbolicK",
    "CEHessian",
    "CEHessianSymbolicK",
    "label_symbols",
    "derive_ce_simplification",
    "derive_ce_simplification_symbolic_k",
    "derive_ce_gradient",
    "derive_ce_gradient_symbolic_k",
    "derive_ce_hessian",
    "derive_ce_hessian_symbolic_k",
]


def label_symbols(K: int, name: str = "y") -> sp.Matrix:
    """Return a ``K x 1`` column of real label symbols ``y_1..y_K`` (no constraint on their sum).

    Examples
    --------
    >>> label_symbols(3).T
    Matrix([[y_1, y_2, y_3]])
    """
    _check_k(K)
    return sp.Matrix(sp.symbols(f"{name}_1:{K + 1}", real=True))


def _ce_loss(o: sp.Matrix, y: sp.Matrix) -> tuple[sp.Matrix, sp.Expr]:
    p = softmax_matrix(o)
    return p, -sum(yj * sp.log(pj) for yj, pj in zip(y, p))


@dataclass(frozen=True)
class CESimplification:
    """Substituting softmax into cross-entropy (see :func:`derive_ce_simplification`).

    Attributes
    ----------
    K : int
        Number of classes.
    o : sympy.Matrix
        Logits ``o_1..o_K``.
    y : sympy.Matrix
        Labels ``y_1..y_K`` (real, unconstrained).
    p : sympy.Matrix
        ``softmax(o)``.
    loss : sympy.Expr
        The definition ``-sum_j y_j log(exp(o_j) / sum_k exp(o_k))``.
    loss_expanded : sympy.Expr
        ``loss`` after ``log(a/b) = log a - log b`` and ``log exp(o_j) = o_j`` (real ``o``).
    log_sum_exp : sympy.Expr
        ``log sum_k exp(o_k)``.
    simplified : sympy.Expr
        The source's form ``log sum_k exp(o_k) - sum_j y_j o_j``.
    label_sum : sympy.Expr
        ``sum_j y_j``.
    difference : sympy.Expr
        ``loss - simplified = (sum_j y_j - 1) log sum_k exp(o_k)`` (exact, for all ``y``).
    difference_at_zero : sympy.Expr
        ``difference`` at ``o = 0``: ``(sum_j y_j - 1) log K``, nonzero for ``K >= 2`` unless
        ``sum_j y_j = 1``, which shows the condition is necessary.
    condition : str
        ``"sum_j y_j = 1"``: the simplification holds for all ``o`` if and only if this holds.
    """

    K: int
    o: sp.Matrix
    y: sp.Matrix
    p: sp.Matrix
    loss: sp.Expr
    loss_expanded: sp.Expr
    log_sum_exp: sp.Expr
    simplified: sp.Expr
    label_sum: sp.Expr
    difference: sp.Expr
    difference_at_zero: sp.Expr
    condition: str


def derive_ce_simplification(K: int) -> CESimplification:
    """Derive ``-sum_j y_j log softmax(o)_j = log sum_k exp(o_k) - sum_j y_j o_j``, and when.

    Proved for the given concrete ``K`` with symbolic ``o`` and *unconstrained* ``y``:

    * exactly, ``loss - simplified = (sum_j y_j - 1) log sum_k exp(o_k)``;
    * so the simplification holds for all ``o`` if ``sum_j y_j = 1`` (substituting
      ``y_K = 1 - y_1 - ... - y_{K-1}`` makes the residual vanish), and *only* if: at
      ``o = 0`` the residual is ``(sum_j y_j - 1) log K``, nonzero for ``K >= 2``.

    The source (document 4, 1.2) states the simplification without this assumption; it is
    harmless for one-hot and probability labels and wrong for, e.g., unnormalised weights.
    See :func:`derive_ce_simplification_symbolic_k` for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    CESimplification

    Raises
    ------
    AssertionError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_simplification(2)
    >>> d.simplified
    -o_1*y_1 - o_2*y_2 + log(exp(o_1) + exp(o_2))
    >>> d.difference
    (y_1 + y_2 - 1)*log(exp(o_1) + exp(o_2))
    """
    _check_k(K)
    o = logits(K, "o")
    y = label_symbols(K)
    p, loss = _ce_loss(o, y)
    expanded = sp.expand(sp.expand_log(loss, force=True))
    lse = sp.log(sum(sp.exp(ok) for ok in o))
    simplified = lse - sum(yj * oj for yj, oj in zip(y, o))
    label_sum = sum(y)
    difference = (label_sum - 1) * lse
    assert_zero(loss - expanded, "the log expansion of the loss")
    assert_zero(
        expanded - simplified - difference, "loss - simplified = (sum y - 1) log sum exp(o)"
    )
    normalise = {y[-1]: 1 - sum(y[:-1])}
    assert_zero((loss - simplified).xreplace(normalise), "loss = simplified when sum y = 1")
    at_zero = difference.xreplace({ok: 0 for ok in o})
    assert_zero(at_zero - (label_sum - 1) * sp.log(K), "the residual at o = 0")
    if K >= 2 and not sp.log(K).is_positive:
        raise AssertionError("SymPy cannot confirm log K > 0 for K >= 2")
    return CESimplification(
        K=K,
        o=o,
        y=y,
        p=p,
        loss=loss,
        loss_expanded=expanded,
        log_sum_exp=lse,
        simplified=simplified,
        label_sum=label_sum,
        difference=difference,
        difference_at_zero=at_zero,
        condition="sum_j y_j = 1",
    )


@dataclass(frozen=True)
class CESimplificationSymbolicK:
    """The simplification for symbolic ``K`` (see :func:`derive_ce_simplification_symbolic_k`).

    Attributes
    ----------
    K, j, k : sympy.Symbol
        Number of classes and the two summation indices.
    o, y : sympy.IndexedBase
        Logits and labels.
    loss : sympy.Expr
        ``-Sum(y[j] log(exp(o[j]) / Sum(exp(o[k]), (k, 1, K))), (j, 1, K))``.
    simplified : sympy.Expr
        ``log Sum(exp(o[k])) - Sum(y[j] o[j])``.
    difference : sympy.Expr
        ``(Sum(y[j]) - 1) log Sum(exp(o[k]))``.
    """

    K: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    o: sp.IndexedBase
    y: sp.IndexedBase
    loss: sp.Expr
    simplified: sp.Expr
    difference: sp.Expr


def derive_ce_simplification_symbolic_k() -> CESimplificationSymbolicK:
    """Prove ``loss - simplified = (sum_j y_j - 1) log sum_k exp(o_k)`` for symbolic ``K``.

    Proved for symbolic ``K`` (``IndexedBase``/``Sum``, real ``o`` and unconstrained ``y``):
    ``expand_log`` splits the logarithm inside the sum and SymPy's sum simplification
    collects the terms.

    Returns
    -------
    CESimplificationSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_simplification_symbolic_k().difference
    (Sum(y[j], (j, 1, K)) - 1)*log(Sum(exp(o[k]), (k, 1, K)))
    """
    K, _, j, k = _indices()
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    lse = sp.log(sp.Sum(sp.exp(o[k]), (k, 1, K)))
    loss = -sp.Sum(y[j] * sp.log(sp.exp(o[j]) / sp.Sum(sp.exp(o[k]), (k, 1, K))), (j, 1, K))
    simplified = lse - sp.Sum(y[j] * o[j], (j, 1, K))
    difference = (sp.Sum(y[j], (j, 1, K)) - 1) * lse
    residual = sp.simplify(sp.expand_log(loss, force=True) - simplified - difference)
    if residual != 0:
        raise AssertionError(
            f"SymPy could not confirm the simplification for symbolic K: {residual}"
        )
    return CESimplificationSymbolicK(
        K=K, j=j, k=k, o=o, y=y, loss=loss, simplified=simplified, difference=difference
    )


@dataclass(frozen=True)
class CEGradient:
    """The gradient of softmax cross-entropy (see :func:`derive_ce_gradient`).

    Attributes
    ----------
    K : int
        Number of classes.
    o, y : sympy.Matrix
        Logits and (unconstrained) labels.
    p : sympy.Matrix
        ``softmax(o)``.
    loss : sympy.Expr
        ``-sum_j y_j log softmax(o)_j``.
    gradient : sympy.Matrix
        ``dl/do_j`` as SymPy differentiates the definition.
    general_form : sympy.Matrix
        ``(sum_k y_k) p_j - y_j``: valid for every ``y``.
    normalised_form : sympy.Matrix
        ``p_j - y_j``: valid when ``sum_k y_k = 1``.
    normalisation : dict
        The substitution ``{y_K: 1 - y_1 - ... - y_{K-1}}`` that imposes ``sum_k y_k = 1``.
    """

    K: int
    o: sp.Matrix
    y: sp.Matrix
    p: sp.Matrix
    loss: sp.Expr
    gradient: sp.Matrix
    general_form: sp.Matrix
    normalised_form: sp.Matrix
    normalisation: dict


def derive_ce_gradient(K: int) -> CEGradient:
    """Derive ``dl/do_j = (sum_k y_k) p_j - y_j``, and ``p_j - y_j`` if ``sum y = 1``.

    Proved for the given concrete ``K`` by differentiating the *definition*
    ``-sum_j y_j log softmax(o)_j`` (not the simplified form) with unconstrained ``y``; then
    ``sum y = 1`` is imposed by substitution. Also asserted: the gradient sums to
    ``sum_k y_k - sum_k y_k = 0`` over the classes (it is orthogonal to ``1``). The source's
    ``p - y`` therefore silently assumes normalised labels. See
    :func:`derive_ce_gradient_symbolic_k` for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.

    Returns
    -------
    CEGradient

    Raises
    ------
    AssertionError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_gradient(2)
    >>> d.general_form[0]
    -y_1 + (y_1 + y_2)*exp(o_1)/(exp(o_1) + exp(o_2))
    """
    _check_k(K)
    o = logits(K, "o")
    y = label_symbols(K)
    p, loss = _ce_loss(o, y)
    gradient = sp.Matrix([sp.diff(loss, oj) for oj in o])
    label_sum = sum(y)
    general = sp.Matrix([label_sum * pj - yj for pj, yj in zip(p, y)])
    normalised = p - y
    normalise = {y[-1]: 1 - sum(y[:-1])}
    assert_zero(gradient - general, "dl/do = (sum y) softmax(o) - y")
    assert_zero((general - normalised).xreplace(normalise), "dl/do = softmax(o) - y when sum y = 1")
    assert_zero(sum(gradient), "sum_j dl/do_j = 0")
    return CEGradient(
        K=K,
        o=o,
        y=y,
        p=p,
        loss=loss,
        gradient=gradient,
        general_form=general,
        normalised_form=normalised,
        normalisation=normalise,
    )


@dataclass(frozen=True)
class CEGradientSymbolicK:
    """The gradient for symbolic ``K`` (see :func:`derive_ce_gradient_symbolic_k`).

    Attributes
    ----------
    K, i, j, k : sympy.Symbol
        Number of classes, the differentiation index and two summation indices.
    o, y : sympy.IndexedBase
        Logits and labels.
    loss : sympy.Expr
        ``-Sum(y[j] log softmax(o)_j, (j, 1, K))``.
    derivative : sympy.Expr
        ``diff(loss, o[i])`` as SymPy returns it (sums of ``KroneckerDelta``).
    general_form : sympy.Expr
        ``Sum(y[j]) exp(o[i]) / Sum(exp(o[k])) - y[i]``.
    assumption : str
        What the proof uses about the index.
    """

    K: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    o: sp.IndexedBase
    y: sp.IndexedBase
    loss: sp.Expr
    derivative: sp.Expr
    general_form: sp.Expr
    assumption: str


def derive_ce_gradient_symbolic_k() -> CEGradientSymbolicK:
    """Prove ``dl/do_i = (sum_j y_j) p_i - y_i`` for symbolic ``K``.

    Proved for symbolic ``K`` by differentiating the definition with ``IndexedBase``/``Sum``.
    SymPy's ``KroneckerDelta`` sums evaluate only when it knows ``i <= K``; the proof writes
    ``K = i + n`` with an integer ``n >= 0`` (exactly the condition ``1 <= i <= K``).
    With ``sum_j y_j = 1`` this is the source's ``p_i - y_i``.

    Returns
    -------
    CEGradientSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_gradient_symbolic_k().general_form
    exp(o[i])*Sum(y[j], (j, 1, K))/Sum(exp(o[k]), (k, 1, K)) - y[i]
    """
    K, i, j, k = _indices()
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    total = sp.Sum(sp.exp(o[k]), (k, 1, K))
    loss = -sp.Sum(y[j] * sp.log(sp.exp(o[j]) / total), (j, 1, K))
    derivative = sp.diff(loss, o[i])
    general = sp.Sum(y[j], (j, 1, K)) * sp.exp(o[i]) / total - y[i]
    n = sp.Symbol("n", integer=True, nonnegative=True)
    residual = sp.simplify((derivative - general).subs(K, i + n).doit())
    if residual != 0:
        raise AssertionError(f"SymPy could not confirm dl/do_i for symbolic K: {residual}")
    return CEGradientSymbolicK(
        K=K,
        i=i,
        j=j,
        k=k,
        o=o,
        y=y,
        loss=loss,
        derivative=derivative,
        general_form=general,
        assumption="i, j, k are integers with 1 <= i <= K (written K = i + n, n >= 0)",
    )


@dataclass(frozen=True)
class CEHessian:
    """The Hessian of softmax cross-entropy (see :func:`derive_ce_hessian`).

    Attributes
    ----------
    K : int
        Number of classes.
    o, y : sympy.Matrix
        Logits and (unconstrained) labels.
    p : sympy.Matrix
        ``softmax(o)``.
    loss : sympy.Expr
        ``-sum_j y_j log softmax(o)_j``.
    hessian : sympy.Matrix
        ``d^2 l / do_i do_j`` as SymPy computes it (``sympy.hessian``).
    label_sum : sympy.Expr
        ``sum_j y_j``.
    closed_form : sympy.Matrix
        ``(sum_j y_j) (diag(p) - p p^T)``: the label sum times the softmax Jacobian.
    t : sympy.Symbol
        A real step along the null direction.
    null_vector : sympy.Matrix
        ``1``: ``H 1 = 0`` and ``l(o + t 1) = l(o)`` exactly, for every ``y``
        (``t`` names the step).
    """

    K: int
    o: sp.Matrix
    y: sp.Matrix
    p: sp.Matrix
    loss: sp.Expr
    hessian: sp.Matrix
    label_sum: sp.Expr
    closed_form: sp.Matrix
    t: sp.Symbol
    null_vector: sp.Matrix


def derive_ce_hessian(K: int) -> CEHessian:
    """Derive ``H = (sum_j y_j)(diag(p) - p p^T)``: convex in ``o`` if ``sum y >= 0``, not strictly.

    Proved for the given concrete ``K`` with unconstrained ``y``. Consequences, with
    :func:`softmax_ce.symbolic.derive_softmax_jacobian` (``diag(p) - p p^T`` is positive
    semidefinite with null vector ``1``):

    * for ``sum y >= 0`` (in particular for one-hot or probability labels, ``sum y = 1``) the
      Hessian is positive semidefinite everywhere, so ``l`` is convex in the logits ``o``
      (it is *not* convex as a function of ``y_hat`` composed with anything else, and the
      statement is about ``o``);
    * ``H 1 = 0`` and, asserted, ``d/dt l(o + t 1) = sum_j dl/do_j = 0`` at every point, so
      ``l(o + t 1) = l(o)`` for every real ``t`` and every ``y``:
      ``l`` is constant along ``1``, convex but **not strictly** convex, and a minimiser,
      when one exists, is never unique.

    Parameters
    ----------
    K : int
        Number of classes; ``K <= 5`` keeps it about a second.

    Returns
    -------
    CEHessian

    Raises
    ------
    AssertionError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_hessian(2)
    >>> d.label_sum
    y_1 + y_2
    """
    _check_k(K)
    o = logits(K, "o")
    y = label_symbols(K)
    p, loss = _ce_loss(o, y)
    hessian = sp.hessian(loss, list(o))
    label_sum = sum(y)
    closed = label_sum * (sp.diag(*p) - p * p.T)
    assert_zero(hessian - closed, "hessian(l) = (sum y)(diag(p) - p p^T)")
    ones = sp.ones(K, 1)
    assert_zero(hessian * ones, "H 1 = 0")
    # d/dt l(o + t 1) = sum_j (dl/do_j)(o + t 1); it vanishes at every point, so l is constant
    # along 1. (Differentiating the definition directly, not the gradient's closed form.)
    t = sp.Symbol("t", real=True)
    directional = sum(sp.diff(loss, oj) for oj in o)
    assert_zero(directional, "d/dt l(o + t 1) = 0, so l(o + t 1) = l(o) for every y")
    return CEHessian(
        K=K,
        o=o,
        y=y,
        p=p,
        loss=loss,
        hessian=hessian,
        label_sum=label_sum,
        closed_form=closed,
        t=t,
        null_vector=ones,
    )


@dataclass(frozen=True)
class CEHessianSymbolicK:
    """The Hessian for symbolic ``K`` (see :func:`derive_ce_hessian_symbolic_k`).

    Attributes
    ----------
    K, i, j, k, m : sympy.Symbol
        Number of classes, the two differentiation indices, two summation indices.
    o, y : sympy.IndexedBase
        Logits and labels (unconstrained).
    loss : sympy.Expr
        ``-Sum(y[m] log softmax(o)_m, (m, 1, K))``.
    derivative : sympy.Expr
        ``diff(loss, o[i], o[j])`` as SymPy returns it.
    closed_form : sympy.Expr
        ``Sum(y[m]) p_i (KroneckerDelta(i, j) - p_j)``.
    assumption : str
        What the proof uses about the indices.
    """

    K: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    m: sp.Symbol
    o: sp.IndexedBase
    y: sp.IndexedBase
    loss: sp.Expr
    derivative: sp.Expr
    closed_form: sp.Expr
    assumption: str


def derive_ce_hessian_symbolic_k() -> CEHessianSymbolicK:
    """Prove ``d^2 l / do_i do_j = (sum_m y_m) p_i (delta_ij - p_j)`` for symbolic ``K``.

    Proved for symbolic ``K`` by differentiating the definition twice with
    ``IndexedBase``/``Sum``; the ``KroneckerDelta`` sums are evaluated with ``refine`` under
    ``i <= K`` and ``j <= K``. Takes about 2 s. The consequences (convexity for
    ``sum y >= 0``, null direction ``1``) are those of :func:`derive_ce_hessian`.

    Returns
    -------
    CEHessianSymbolicK

    Raises
    ------
    AssertionError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_hessian_symbolic_k().assumption
    'i, j, k, m are integers with 1 <= i, j <= K'
    """
    K, i, j, k = _indices()
    m = sp.Symbol("m", integer=True, positive=True)
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    total = sp.Sum(sp.exp(o[k]), (k, 1, K))
    loss = -sp.Sum(y[m] * sp.log(sp.exp(o[m]) / total), (m, 1, K))
    derivative = sp.diff(loss, o[i], o[j])
    p_i, p_j = sp.exp(o[i]) / total, sp.exp(o[j]) / total
    closed = sp.Sum(y[m], (m, 1, K)) * p_i * (sp.KroneckerDelta(i, j) - p_j)
    residual = sp.refine((derivative - closed).doit(), sp.Q.le(i, K) & sp.Q.le(j, K))
    residual = sp.simplify(residual)
    if residual != 0:
        raise AssertionError(f"SymPy could not confirm the Hessian for symbolic K: {residual}")
    return CEHessianSymbolicK(
        K=K,
        i=i,
        j=j,
        k=k,
        m=m,
        o=o,
        y=y,
        loss=loss,
        derivative=derivative,
        closed_form=closed,
        assumption="i, j, k, m are integers with 1 <= i, j <= K",
    )
