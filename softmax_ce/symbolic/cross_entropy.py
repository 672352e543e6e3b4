"""Softmax cross-entropy, derived and checked in SymPy: simplification, gradient, Hessian.

The loss of one sample with logits ``o`` (chapter 4 follows the source and writes ``o`` for
the logits ``z``) and label vector ``y`` is the source's

    l(o, y) = -sum_j y_j log softmax(o)_j.

The labels ``y`` are left *unconstrained* (real symbols), so every result shows exactly where
the assumption ``sum_j y_j = 1`` enters; the source uses it silently. Each function returns a
:class:`~softmax_ce.symbolic.record.Derivation`.
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from ._symbols import indices, symbol_vector
from .record import Derivation
from .softmax import logits, softmax_matrix

__all__ = [
    "label_symbols",
    "cross_entropy_expr",
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
    return symbol_vector(name, K, real=True)


def cross_entropy_expr(o: sp.MatrixBase, y: sp.MatrixBase) -> sp.Expr:
    """The definition ``-sum_j y_j log softmax(o)_j`` as a SymPy expression (not simplified).

    Examples
    --------
    >>> cross_entropy_expr(logits(2, "o"), label_symbols(2))
    -y_1*log(exp(o_1)/(exp(o_1) + exp(o_2))) - y_2*log(exp(o_2)/(exp(o_1) + exp(o_2)))
    """
    return -sum(yj * sp.log(pj) for yj, pj in zip(y, softmax_matrix(o)))


def derive_ce_simplification(K: int) -> Derivation:
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
    Derivation
        ``K``; ``o``, ``y`` (logits and real, unconstrained labels); ``p`` (``softmax(o)``);
        ``loss`` (the definition ``-sum_j y_j log(exp(o_j) / sum_k exp(o_k))``);
        ``loss_expanded`` (after ``log(a/b) = log a - log b`` and ``log exp(o_j) = o_j``);
        ``log_sum_exp`` (``log sum_k exp(o_k)``); ``simplified`` (the source's
        ``log sum_k exp(o_k) - sum_j y_j o_j``); ``label_sum`` (``sum_j y_j``);
        ``difference`` (``loss - simplified = (sum_j y_j - 1) log sum_k exp(o_k)``);
        ``difference_at_zero`` (``(sum_j y_j - 1) log K``, at ``o = 0``); ``condition``
        (``"sum_j y_j = 1"``, necessary and sufficient).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_simplification(2)
    >>> d.simplified
    -o_1*y_1 - o_2*y_2 + log(exp(o_1) + exp(o_2))
    >>> d.difference
    (y_1 + y_2 - 1)*log(exp(o_1) + exp(o_2))
    """
    check_classes(K)
    d = Derivation("cross-entropy simplification", "sum_j y_j = 1 (shown necessary)")
    o = logits(K, "o")
    y = label_symbols(K)
    p = softmax_matrix(o)
    loss = cross_entropy_expr(o, y)
    expanded = sp.expand(sp.expand_log(loss, force=True))
    lse = sp.log(sum(sp.exp(ok) for ok in o))
    simplified = lse - sum(yj * oj for yj, oj in zip(y, o))
    label_sum = sum(y)
    difference = (label_sum - 1) * lse
    d.zero(loss - expanded, "the log expansion of the loss")
    d.zero(expanded - simplified - difference, "loss - simplified = (sum y - 1) log sum exp(o)")
    normalise = {y[-1]: 1 - sum(y[:-1])}
    d.zero((loss - simplified).xreplace(normalise), "loss = simplified when sum y = 1")
    at_zero = difference.xreplace({ok: 0 for ok in o})
    d.zero(at_zero - (label_sum - 1) * sp.log(K), "the residual at o = 0 is (sum y - 1) log K")
    if K >= 2:
        d.holds(sp.log(K).is_positive, "log K > 0 for K >= 2", sp.log(K))
    return d.done(
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


def derive_ce_simplification_symbolic_k() -> Derivation:
    """Prove ``loss - simplified = (sum_j y_j - 1) log sum_k exp(o_k)`` for symbolic ``K``.

    Proved for symbolic ``K`` (``IndexedBase``/``Sum``, real ``o`` and unconstrained ``y``):
    ``expand_log`` splits the logarithm inside the sum and SymPy's sum simplification
    collects the terms.

    Returns
    -------
    Derivation
        ``K``, ``j``, ``k`` (number of classes, summation indices); ``o``, ``y``
        (``IndexedBase`` logits and labels); ``loss``
        (``-Sum(y[j] log(exp(o[j]) / Sum(exp(o[k]))), (j, 1, K))``); ``simplified``
        (``log Sum(exp(o[k])) - Sum(y[j] o[j])``); ``difference``
        (``(Sum(y[j]) - 1) log Sum(exp(o[k]))``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_simplification_symbolic_k().difference
    (Sum(y[j], (j, 1, K)) - 1)*log(Sum(exp(o[k]), (k, 1, K)))
    """
    d = Derivation("cross-entropy simplification, symbolic K")
    K, _, j, k = indices()
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    lse = sp.log(sp.Sum(sp.exp(o[k]), (k, 1, K)))
    loss = -sp.Sum(y[j] * sp.log(sp.exp(o[j]) / sp.Sum(sp.exp(o[k]), (k, 1, K))), (j, 1, K))
    simplified = lse - sp.Sum(y[j] * o[j], (j, 1, K))
    difference = (sp.Sum(y[j], (j, 1, K)) - 1) * lse
    d.zero(
        sp.simplify(sp.expand_log(loss, force=True) - simplified - difference),
        "loss - simplified = (sum y - 1) log sum exp(o), symbolic K",
    )
    return d.done(K=K, j=j, k=k, o=o, y=y, loss=loss, simplified=simplified, difference=difference)


def derive_ce_gradient(K: int, name: str = "o") -> Derivation:
    """Derive ``dl/do_j = (sum_k y_k) p_j - y_j``, and ``p_j - y_j`` if ``sum y = 1``.

    Proved for the given concrete ``K`` by differentiating the *definition*
    ``-sum_j y_j log softmax(o)_j`` (not the simplified form) with unconstrained ``y``; then
    ``sum y = 1`` is imposed by substitution. Also checked: the gradient sums to
    ``sum_k y_k - sum_k y_k = 0`` over the classes (it is orthogonal to ``1``). The source's
    ``p - y`` therefore silently assumes normalised labels. This is the book's one derivation
    of ``p - y``; chapter 2's :func:`softmax_ce.symbolic.likelihood.derive_log_likelihood_gradient`
    reuses it. See :func:`derive_ce_gradient_symbolic_k` for symbolic ``K``.

    Parameters
    ----------
    K : int
        Number of classes.
    name : str, default "o"
        Name of the logit symbols (chapter 4 writes ``o``, the other chapters ``z``).

    Returns
    -------
    Derivation
        ``K``; ``o``, ``y`` (logits and unconstrained labels); ``p`` (``softmax(o)``);
        ``loss`` (``-sum_j y_j log softmax(o)_j``); ``gradient`` (``dl/do_j`` as SymPy
        differentiates the definition); ``general_form`` (``(sum_k y_k) p_j - y_j``, valid
        for every ``y``); ``normalised_form`` (``p_j - y_j``, valid when ``sum_k y_k = 1``);
        ``normalisation`` (the substitution ``{y_K: 1 - y_1 - ... - y_{K-1}}``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_gradient(2)
    >>> d.general_form[0]
    -y_1 + (y_1 + y_2)*exp(o_1)/(exp(o_1) + exp(o_2))
    """
    check_classes(K)
    d = Derivation("cross-entropy gradient", "p - y needs sum_j y_j = 1")
    o = logits(K, name)
    y = label_symbols(K)
    p = softmax_matrix(o)
    loss = cross_entropy_expr(o, y)
    gradient = sp.Matrix([sp.diff(loss, oj) for oj in o])
    label_sum = sum(y)
    general = sp.Matrix([label_sum * pj - yj for pj, yj in zip(p, y)])
    normalised = p - y
    normalise = {y[-1]: 1 - sum(y[:-1])}
    d.zero(gradient - general, "dl/do = (sum y) softmax(o) - y")
    d.zero((general - normalised).xreplace(normalise), "dl/do = softmax(o) - y when sum y = 1")
    d.zero(sum(gradient), "sum_j dl/do_j = 0")
    return d.done(
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


def derive_ce_gradient_symbolic_k() -> Derivation:
    """Prove ``dl/do_i = (sum_j y_j) p_i - y_i`` for symbolic ``K``.

    Proved for symbolic ``K`` by differentiating the definition with ``IndexedBase``/``Sum``.
    SymPy's ``KroneckerDelta`` sums evaluate only when it knows ``i <= K``; the proof writes
    ``K = i + n`` with an integer ``n >= 0`` (exactly the condition ``1 <= i <= K``).
    With ``sum_j y_j = 1`` this is the source's ``p_i - y_i``.

    Returns
    -------
    Derivation
        ``K``, ``i``, ``j``, ``k`` (number of classes, the differentiation index, two
        summation indices); ``o``, ``y`` (``IndexedBase`` logits and labels); ``loss``
        (``-Sum(y[j] log softmax(o)_j, (j, 1, K))``); ``derivative`` (``diff(loss, o[i])`` as
        SymPy returns it); ``general_form``
        (``Sum(y[j]) exp(o[i]) / Sum(exp(o[k])) - y[i]``); and the ``assumption`` on ``i``.

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_gradient_symbolic_k().general_form
    exp(o[i])*Sum(y[j], (j, 1, K))/Sum(exp(o[k]), (k, 1, K)) - y[i]
    """
    d = Derivation(
        "cross-entropy gradient, symbolic K",
        "i, j, k are integers with 1 <= i <= K (written K = i + n, n >= 0)",
    )
    K, i, j, k = indices()
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    total = sp.Sum(sp.exp(o[k]), (k, 1, K))
    loss = -sp.Sum(y[j] * sp.log(sp.exp(o[j]) / total), (j, 1, K))
    derivative = sp.diff(loss, o[i])
    general = sp.Sum(y[j], (j, 1, K)) * sp.exp(o[i]) / total - y[i]
    n = sp.Symbol("n", integer=True, nonnegative=True)
    d.zero(
        sp.simplify((derivative - general).subs(K, i + n).doit()),
        "dl/do_i = (sum_j y_j) p_i - y_i, symbolic K",
    )
    return d.done(
        K=K, i=i, j=j, k=k, o=o, y=y, loss=loss, derivative=derivative, general_form=general
    )


def derive_ce_hessian(K: int) -> Derivation:
    """Derive ``H = (sum_j y_j)(diag(p) - p p^T)``: convex in ``o`` if ``sum y >= 0``, not strictly.

    Proved for the given concrete ``K`` with unconstrained ``y``, by differentiating the
    definition twice. Consequences, with :func:`softmax_ce.symbolic.derive_softmax_jacobian`
    (``diag(p) - p p^T`` is positive semidefinite with null vector ``1``):

    * for ``sum y >= 0`` (in particular for one-hot or probability labels, ``sum y = 1``) the
      Hessian is positive semidefinite everywhere, so ``l`` is convex in the logits ``o``
      (it is *not* convex as a function of ``y_hat`` composed with anything else, and the
      statement is about ``o``);
    * ``H 1 = 0`` and, checked, ``d/dt l(o + t 1) = sum_j dl/do_j = 0`` at every point, so
      ``l(o + t 1) = l(o)`` for every real ``t`` and every ``y``:
      ``l`` is constant along ``1``, convex but **not strictly** convex, and a minimiser,
      when one exists, is never unique.

    Parameters
    ----------
    K : int
        Number of classes; ``K <= 5`` keeps it about a second.

    Returns
    -------
    Derivation
        ``K``; ``o``, ``y`` (logits and unconstrained labels); ``p`` (``softmax(o)``);
        ``loss``; ``hessian`` (``sympy.hessian`` of ``loss``); ``label_sum``
        (``sum_j y_j``); ``closed_form`` (``(sum_j y_j)(diag(p) - p p^T)``); ``t`` (a real
        step along the null direction); ``null_vector`` (``1``: ``H 1 = 0`` and
        ``l(o + t 1) = l(o)``).

    Raises
    ------
    DerivationError
        If SymPy cannot confirm an identity.

    Examples
    --------
    >>> d = derive_ce_hessian(2)
    >>> d.label_sum
    y_1 + y_2
    """
    check_classes(K)
    d = Derivation("cross-entropy Hessian", "convexity needs sum_j y_j >= 0")
    o = logits(K, "o")
    y = label_symbols(K)
    p = softmax_matrix(o)
    loss = cross_entropy_expr(o, y)
    hessian = sp.hessian(loss, list(o))
    label_sum = sum(y)
    closed = label_sum * (sp.diag(*p) - p * p.T)
    d.zero(hessian - closed, "hessian(l) = (sum y)(diag(p) - p p^T)")
    ones = sp.ones(K, 1)
    d.zero(hessian * ones, "H 1 = 0")
    # d/dt l(o + t 1) = sum_j (dl/do_j)(o + t 1); it vanishes at every point, so l is constant
    # along 1. (Differentiating the definition directly, not the gradient's closed form.)
    t = sp.Symbol("t", real=True)
    directional = sum(sp.diff(loss, oj) for oj in o)
    d.zero(directional, "d/dt l(o + t 1) = 0, so l(o + t 1) = l(o) for every y")
    return d.done(
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


def derive_ce_hessian_symbolic_k() -> Derivation:
    """Prove ``d^2 l / do_i do_j = (sum_m y_m) p_i (delta_ij - p_j)`` for symbolic ``K``.

    Proved for symbolic ``K`` by differentiating the definition twice with
    ``IndexedBase``/``Sum``; the ``KroneckerDelta`` sums are evaluated with ``refine`` under
    ``i <= K`` and ``j <= K``. Takes about 2 s. The consequences (convexity for
    ``sum y >= 0``, null direction ``1``) are those of :func:`derive_ce_hessian`.

    Returns
    -------
    Derivation
        ``K``, ``i``, ``j``, ``k``, ``m`` (number of classes, the two differentiation indices,
        two summation indices); ``o``, ``y`` (``IndexedBase`` logits and labels); ``loss``
        (``-Sum(y[m] log softmax(o)_m, (m, 1, K))``); ``derivative``
        (``diff(loss, o[i], o[j])`` as SymPy returns it); ``closed_form``
        (``Sum(y[m]) p_i (KroneckerDelta(i, j) - p_j)``); and the ``assumption`` on the
        indices.

    Raises
    ------
    DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> derive_ce_hessian_symbolic_k().assumption
    'i, j, k, m are integers with 1 <= i, j <= K'
    """
    d = Derivation(
        "cross-entropy Hessian, symbolic K", "i, j, k, m are integers with 1 <= i, j <= K"
    )
    K, i, j, k = indices()
    m = sp.Symbol("m", integer=True, positive=True)
    o = sp.IndexedBase("o", real=True)
    y = sp.IndexedBase("y", real=True)
    total = sp.Sum(sp.exp(o[k]), (k, 1, K))
    loss = -sp.Sum(y[m] * sp.log(sp.exp(o[m]) / total), (m, 1, K))
    derivative = sp.diff(loss, o[i], o[j])
    p_i, p_j = sp.exp(o[i]) / total, sp.exp(o[j]) / total
    closed = sp.Sum(y[m], (m, 1, K)) * p_i * (sp.KroneckerDelta(i, j) - p_j)
    residual = sp.refine((derivative - closed).doit(), sp.Q.le(i, K) & sp.Q.le(j, K))
    d.zero(sp.simplify(residual), "d^2 l/do_i do_j = (sum y) p_i (delta_ij - p_j), symbolic K")
    return d.done(
        K=K, i=i, j=j, k=k, m=m, o=o, y=y, loss=loss, derivative=derivative, closed_form=closed
    )
