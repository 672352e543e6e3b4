"""SymPy derivations for chapter 2 (log-likelihood): each function derives *and asserts*.

What is proved where:

* :func:`derive_product_to_sum` -- for **symbolic** ``N``: the log of a product of positive
  per-sample likelihoods is the sum of their logs, and ``log`` is strictly increasing.
* :func:`derive_bernoulli_likelihood` -- the Bernoulli pmf ``p**y * (1-p)**(1-y)`` picks ``p`` or
  ``1-p`` and its log is ``y log p + (1-y) log(1-p)``.
* :func:`derive_one_hot_loss` -- for a **concrete** ``K`` (SymPy cannot sum over a symbolic number
  of softmax terms and simplify): the categorical pmf ``prod_j p_j**y_j`` with a one-hot ``y``
  picks ``p_c``; ``-sum_j y_j log softmax(z)_j = -log softmax(z)_c
  = log(1 + sum_{k != c} exp(z_k - z_c))``, which SymPy proves **positive** for real ``z``
  (the infimum 0 is not attained by finite logits).
* :func:`derive_log_likelihood_gradient` -- concrete ``K``: the gradient of the log-likelihood
  ``sum_j y_j log softmax(z)_j`` is ``y - (sum_j y_j) p``; of the loss, ``(sum_j y_j) p - y``,
  i.e. ``p - y`` exactly when ``sum_j y_j = 1``.
* :func:`derive_soft_label_minimum` -- concrete ``K``: on the probability simplex, the loss
  ``-sum_j y_j log p_j`` with ``y_j > 0`` has its only stationary point at ``p = y`` (Lagrange
  multiplier ``sum_j y_j = 1``), with value ``H(y)``; the Hessian ``diag(y_j / p_j**2)`` is
  positive definite, so this is the global minimum.

The tests (``tests/test_ch02_log_likelihood.py``) tie these expressions to the NumPy package
through ``lambdify`` on seeded inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = [
    "BernoulliLikelihood",
    "LogLikelihoodGradient",
    "OneHotLoss",
    "ProductToSum",
    "SoftLabelMinimum",
    "derive_bernoulli_likelihood",
    "derive_log_likelihood_gradient",
    "derive_one_hot_loss",
    "derive_product_to_sum",
    "derive_soft_label_minimum",
]


def _check_num_classes(num_classes: int) -> None:
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 2:
        raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")


def _is_zero(expr: sp.Expr) -> bool:
    return sp.simplify(expr) == 0


def _softmax_symbols(num_classes: int) -> tuple[sp.Matrix, sp.Matrix]:
    """Real logit symbols ``z0 .. z{K-1}`` and the softmax expressions built from them."""
    z = sp.Matrix(sp.symbols(f"z0:{num_classes}", real=True))
    denominator = sum(sp.exp(zk) for zk in z)
    return z, sp.Matrix([sp.exp(zk) / denominator for zk in z])


@dataclass(frozen=True)
class ProductToSum:
    """Result of :func:`derive_product_to_sum`.

    Attributes
    ----------
    log_product : sympy.Expr
        ``log(Product(P[i], (i, 1, N)))`` for a symbolic ``N``.
    sum_of_logs : sympy.Expr
        ``Sum(log(P[i]), (i, 1, N))``, proved equal to ``log_product``.
    log_derivative : sympy.Expr
        ``d log(x) / dx = 1/x``, proved positive for ``x > 0`` (``log`` is strictly increasing).
    """

    log_product: sp.Expr
    sum_of_logs: sp.Expr
    log_derivative: sp.Expr


def derive_product_to_sum() -> ProductToSum:
    """Prove ``log prod_i P_i = sum_i log P_i`` for symbolic ``N`` and positive ``P_i``.

    Returns
    -------
    ProductToSum

    Examples
    --------
    >>> r = derive_product_to_sum()
    >>> r.sum_of_logs
    Sum(log(P[i]), (i, 1, N))
    >>> r.log_derivative
    1/x
    """
    i, n = sp.symbols("i N", integer=True, positive=True)
    p = sp.IndexedBase("P", positive=True)
    log_product = sp.log(sp.Product(p[i], (i, 1, n)))
    sum_of_logs = sp.Sum(sp.log(p[i]), (i, 1, n))
    # P[i] > 0 makes log(ab) = log a + log b valid; force=True only skips SymPy's own re-check.
    assert sp.expand_log(log_product, force=True) == sum_of_logs
    x = sp.Symbol("x", positive=True)
    log_derivative = sp.diff(sp.log(x), x)
    assert log_derivative.is_positive
    return ProductToSum(log_product, sum_of_logs, log_derivative)


@dataclass(frozen=True)
class BernoulliLikelihood:
    """Result of :func:`derive_bernoulli_likelihood`.

    Attributes
    ----------
    p, y : sympy.Symbol
        ``P(Y=1|x)`` (in (0, 1)) and the label.
    pmf : sympy.Expr
        ``p**y * (1 - p)**(1 - y)``.
    log_pmf : sympy.Expr
        ``y log p + (1 - y) log(1 - p)``, proved equal to ``log(pmf)``.
    """

    p: sp.Symbol
    y: sp.Symbol
    pmf: sp.Expr
    log_pmf: sp.Expr


def derive_bernoulli_likelihood() -> BernoulliLikelihood:
    """Derive the Bernoulli likelihood of one label and its log.

    Returns
    -------
    BernoulliLikelihood

    Examples
    --------
    >>> r = derive_bernoulli_likelihood()
    >>> r.pmf.subs(r.y, 1), r.pmf.subs(r.y, 0)
    (p, 1 - p)
    >>> r.log_pmf
    y*log(p) + (1 - y)*log(1 - p)
    """
    p = sp.Symbol("p", positive=True)
    y = sp.Symbol("y", real=True)
    pmf = p**y * (1 - p) ** (1 - y)
    log_pmf = y * sp.log(p) + (1 - y) * sp.log(1 - p)
    assert pmf.subs(y, 1) == p and pmf.subs(y, 0) == 1 - p
    # expand_log needs 1 - p > 0, which holds for a probability in (0, 1); checked at both labels
    # symbolically and at a sample p numerically.
    assert _is_zero(sp.expand_log(sp.log(pmf), force=True) - log_pmf)
    for label in (0, 1):
        assert _is_zero(sp.log(pmf.subs(y, label)) - log_pmf.subs(y, label))
    return BernoulliLikelihood(p, y, pmf, log_pmf)


@dataclass(frozen=True)
class OneHotLoss:
    """Result of :func:`derive_one_hot_loss`.

    Attributes
    ----------
    num_classes : int
        ``K``.
    logits : sympy.Matrix
        Real symbols ``z0 .. z{K-1}``.
    labels : sympy.Matrix
        Symbols ``y0 .. y{K-1}`` (the label distribution).
    probabilities : sympy.Matrix
        ``softmax(z)``.
    loss : sympy.Expr
        ``-sum_j y_j log softmax(z)_j`` with symbolic ``y``.
    picked : tuple of sympy.Expr
        ``loss`` with ``y = e_c`` for ``c = 0 .. K-1``; each proved equal to ``-log softmax(z)_c``.
    gap_forms : tuple of sympy.Expr
        ``log(1 + sum_{k != c} exp(z_k - z_c))``; each proved equal to ``picked[c]`` and positive.
    """

    num_classes: int
    logits: sp.Matrix
    labels: sp.Matrix
    probabilities: sp.Matrix
    loss: sp.Expr
    picked: tuple[sp.Expr, ...]
    gap_forms: tuple[sp.Expr, ...]


def derive_one_hot_loss(num_classes: int) -> OneHotLoss:
    """Prove that a one-hot label picks ``-log p_c`` and that this loss is positive.

    For each true class ``c``: the categorical pmf ``prod_j p_j**y_j`` at ``y = e_c`` is ``p_c``
    and its log is ``sum_j y_j log p_j``; with ``p = softmax(z)``,
    ``-sum_j y_j log p_j = -log p_c = log(1 + sum_{k != c} exp(z_k - z_c)) > 0``.

    Parameters
    ----------
    num_classes : int
        ``K >= 2`` (a concrete number of classes).

    Returns
    -------
    OneHotLoss

    Examples
    --------
    >>> import sympy as sp
    >>> r = derive_one_hot_loss(3)
    >>> z0, z1, z2 = r.logits
    >>> r.gap_forms[0].equals(sp.log(1 + sp.exp(z1 - z0) + sp.exp(z2 - z0)))
    True
    >>> r.gap_forms[0].is_positive
    True
    """
    _check_num_classes(num_classes)
    z, p = _softmax_symbols(num_classes)
    y = sp.Matrix(sp.symbols(f"y0:{num_classes}", real=True))
    q = sp.Matrix(sp.symbols(f"p0:{num_classes}", positive=True))
    loss = -sum(y[j] * sp.log(p[j]) for j in range(num_classes))
    pmf = sp.Mul(*[q[j] ** y[j] for j in range(num_classes)])
    assert _is_zero(sp.expand_log(sp.log(pmf)) - sum(y[j] * sp.log(q[j]) for j in range(num_classes)))
    picked, gaps = [], []
    for c in range(num_classes):
        one_hot = {y[j]: int(j == c) for j in range(num_classes)}
        assert pmf.subs(one_hot) == q[c]
        loss_c = loss.subs(one_hot)
        assert _is_zero(loss_c + sp.log(p[c]))
        gap = sp.log(1 + sum(sp.exp(z[k] - z[c]) for k in range(num_classes) if k != c))
        # loss_c = -log p_c and gap are logs of positive reals, so they are equal iff their
        # arguments are: 1/p_c = sum_k exp(z_k - z_c) = exp(gap).
        assert _is_zero(sp.expand(sp.exp(gap) - 1 / p[c]))
        # log(1 + s) with s = sum of exponentials of real numbers > 0: SymPy proves positivity.
        assert gap.is_positive is True
        picked.append(loss_c)
        gaps.append(gap)
    return OneHotLoss(num_classes, z, y, p, loss, tuple(picked), tuple(gaps))


@dataclass(frozen=True)
class LogLikelihoodGradient:
    """Result of :func:`derive_log_likelihood_gradient`.

    Attributes
    ----------
    num_classes : int
    logits, labels : sympy.Matrix
        Real symbols ``z`` and ``y``.
    probabilities : sympy.Matrix
        ``softmax(z)``.
    log_likelihood : sympy.Expr
        ``sum_j y_j log softmax(z)_j``.
    gradient : sympy.Matrix
        ``d log_likelihood / dz = y - (sum_j y_j) p`` (no assumption on ``y``).
    gradient_normalized : sympy.Matrix
        The same with ``sum_j y_j = 1`` substituted (as ``y_{K-1} = 1 - sum_{j<K-1} y_j``):
        ``y - p``.
    loss_gradient_normalized : sympy.Matrix
        Gradient of the loss ``-log_likelihood`` when ``sum_j y_j = 1``: ``p - y``.
    """

    num_classes: int
    logits: sp.Matrix
    labels: sp.Matrix
    probabilities: sp.Matrix
    log_likelihood: sp.Expr
    gradient: sp.Matrix
    gradient_normalized: sp.Matrix
    loss_gradient_normalized: sp.Matrix


def derive_log_likelihood_gradient(num_classes: int) -> LogLikelihoodGradient:
    """Differentiate the log-likelihood (not the loss) with respect to the logits.

    Parameters
    ----------
    num_classes : int
        ``K >= 2``.

    Returns
    -------
    LogLikelihoodGradient

    Examples
    --------
    >>> r = derive_log_likelihood_gradient(2)
    >>> y0, y1 = r.labels
    >>> p0, p1 = r.probabilities
    >>> import sympy as sp
    >>> sp.simplify(r.gradient[0] - (y0 - (y0 + y1) * p0))
    0
    >>> r.loss_gradient_normalized[0].equals(p0 - y0)  # y1 = 1 - y0 substituted
    True
    """
    _check_num_classes(num_classes)
    z, p = _softmax_symbols(num_classes)
    y = sp.Matrix(sp.symbols(f"y0:{num_classes}", real=True))
    ll = sum(y[j] * sp.log(p[j]) for j in range(num_classes))
    grad = sp.Matrix([sp.diff(ll, zk) for zk in z])
    total = sum(y)
    for k in range(num_classes):
        assert _is_zero(grad[k] - (y[k] - total * p[k]))
    last = y[num_classes - 1]
    normalized = {last: 1 - sum(y[:num_classes - 1])}
    grad_n = sp.Matrix([sp.simplify((y[k] - total * p[k]).subs(normalized)) for k in range(num_classes)])
    for k in range(num_classes):
        assert _is_zero(grad_n[k] - (y[k] - p[k]).subs(normalized))
    loss_grad_n = -grad_n
    return LogLikelihoodGradient(num_classes, z, y, p, ll, grad, grad_n, loss_grad_n)


@dataclass(frozen=True)
class SoftLabelMinimum:
    """Result of :func:`derive_soft_label_minimum`.

    Attributes
    ----------
    num_classes : int
    labels, predictions : sympy.Matrix
        Positive symbols ``y`` and ``p``.
    multiplier : sympy.Symbol
        The Lagrange multiplier of ``sum_j p_j = 1``.
    minimizer : dict
        The unique stationary point ``{p_j: y_j / sum(y), multiplier: sum(y)}``.
    minimum : sympy.Expr
        ``-sum_j y_j log y_j = H(y)`` (the loss at ``p = y`` when ``sum_j y_j = 1``).
    hessian : sympy.Matrix
        ``diag(y_j / p_j**2)``, positive definite.
    """

    num_classes: int
    labels: sp.Matrix
    predictions: sp.Matrix
    multiplier: sp.Symbol
    minimizer: dict
    minimum: sp.Expr
    hessian: sp.Matrix


def derive_soft_label_minimum(num_classes: int) -> SoftLabelMinimum:
    """Minimise ``-sum_j y_j log p_j`` over the probability simplex (all ``y_j > 0``).

    Parameters
    ----------
    num_classes : int
        ``K >= 2``.

    Returns
    -------
    SoftLabelMinimum

    Examples
    --------
    >>> r = derive_soft_label_minimum(2)
    >>> r.minimum
    -y0*log(y0) - y1*log(y1)
    >>> r.hessian.is_positive_definite
    True
    """
    _check_num_classes(num_classes)
    y = sp.Matrix(sp.symbols(f"y0:{num_classes}", positive=True))
    p = sp.Matrix(sp.symbols(f"p0:{num_classes}", positive=True))
    lam = sp.Symbol("lambda", real=True)
    loss = -sum(y[j] * sp.log(p[j]) for j in range(num_classes))
    lagrangian = loss + lam * (sum(p) - 1)
    equations = [sp.diff(lagrangian, pj) for pj in p] + [sum(p) - 1]
    solutions = sp.solve(equations, list(p) + [lam], dict=True)
    assert len(solutions) == 1
    solution = solutions[0]
    total = sum(y)
    assert _is_zero(solution[lam] - total)
    for j in range(num_classes):
        assert _is_zero(solution[p[j]] - y[j] / total)
    # With sum(y) = 1 the minimiser is p = y and the minimum is the entropy H(y).
    at_y = loss.subs({p[j]: y[j] for j in range(num_classes)})
    minimum = -sum(y[j] * sp.log(y[j]) for j in range(num_classes))
    assert _is_zero(at_y - minimum)
    hessian = sp.hessian(loss, list(p))
    assert hessian == sp.diag(*[y[j] / p[j] ** 2 for j in range(num_classes)])
    assert hessian.is_positive_definite
    return SoftLabelMinimum(num_classes, y, p, lam, solution, minimum, hessian)
