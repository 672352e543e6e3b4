"""SymPy derivations for chapter 2 (log-likelihood); each checks every step it takes.

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
  i.e. ``p - y`` exactly when ``sum_j y_j = 1``. Derived once, by
  :func:`softmax_ce.symbolic.derive_ce_gradient`, and reused here.
* :func:`derive_soft_label_minimum` -- concrete ``K``: on the probability simplex, the loss
  ``-sum_j y_j log p_j`` with ``y_j > 0`` has its only stationary point at ``p = y`` (Lagrange
  multiplier ``sum_j y_j = 1``), with value ``H(y)``; the Hessian ``diag(y_j / p_j**2)`` is
  positive definite, so this is the global minimum.

Symbols are numbered from 1, as in the book (``z_1 ... z_K``). Each function returns a
:class:`~softmax_ce.symbolic.record.Derivation`; :func:`~softmax_ce.symbolic.lambdify_rows`
ties its expressions to the NumPy functions on seeded inputs.
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from ._symbols import symbol_vector
from .cross_entropy import cross_entropy_expr, derive_ce_gradient, label_symbols
from .record import Derivation
from .softmax import logits, softmax_matrix

__all__ = [
    "derive_bernoulli_likelihood",
    "derive_log_likelihood_gradient",
    "derive_one_hot_loss",
    "derive_product_to_sum",
    "derive_soft_label_minimum",
]


def derive_product_to_sum() -> Derivation:
    """Prove ``log prod_i P_i = sum_i log P_i`` for symbolic ``N`` and positive ``P_i``.

    Returns
    -------
    Derivation
        ``log_product`` (``log(Product(P[i], (i, 1, N)))``); ``sum_of_logs``
        (``Sum(log(P[i]), (i, 1, N))``, equal to it); ``log_derivative`` (``d log(x)/dx = 1/x``,
        positive for ``x > 0``: ``log`` is strictly increasing).

    Raises
    ------
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_product_to_sum()
    >>> r.sum_of_logs
    Sum(log(P[i]), (i, 1, N))
    >>> r.log_derivative
    1/x
    """
    d = Derivation("log of a product is the sum of the logs", "P_i > 0 for every sample i")
    i, n = sp.symbols("i N", integer=True, positive=True)
    p = sp.IndexedBase("P", positive=True)
    log_product = sp.log(sp.Product(p[i], (i, 1, n)))
    sum_of_logs = sp.Sum(sp.log(p[i]), (i, 1, n))
    # P[i] > 0 makes log(ab) = log a + log b valid; force=True only skips SymPy's own re-check.
    d.holds(
        sp.expand_log(log_product, force=True) == sum_of_logs,
        "log prod_i P_i = sum_i log P_i",
        log_product,
    )
    x = sp.Symbol("x", positive=True)
    log_derivative = sp.diff(sp.log(x), x)
    d.holds(log_derivative.is_positive, "d log(x)/dx > 0 for x > 0", log_derivative)
    return d.done(log_product=log_product, sum_of_logs=sum_of_logs, log_derivative=log_derivative)


def derive_bernoulli_likelihood() -> Derivation:
    """Derive the Bernoulli likelihood of one label and its log.

    Returns
    -------
    Derivation
        ``p`` (``P(Y=1|x)``, in (0, 1)); ``y`` (the label); ``pmf``
        (``p**y * (1 - p)**(1 - y)``); ``log_pmf`` (``y log p + (1 - y) log(1 - p)``, equal to
        ``log(pmf)``).

    Raises
    ------
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_bernoulli_likelihood()
    >>> r.pmf.subs(r.y, 1), r.pmf.subs(r.y, 0)
    (p, 1 - p)
    >>> r.log_pmf
    y*log(p) + (1 - y)*log(1 - p)
    """
    d = Derivation("Bernoulli likelihood", "0 < p < 1")
    p = sp.Symbol("p", positive=True)
    y = sp.Symbol("y", real=True)
    pmf = p**y * (1 - p) ** (1 - y)
    log_pmf = y * sp.log(p) + (1 - y) * sp.log(1 - p)
    d.holds(pmf.subs(y, 1) == p, "the pmf at y = 1 is p", pmf)
    d.holds(pmf.subs(y, 0) == 1 - p, "the pmf at y = 0 is 1 - p", pmf)
    # expand_log needs 1 - p > 0, which holds for a probability in (0, 1); checked at both labels.
    d.zero(sp.expand_log(sp.log(pmf), force=True) - log_pmf, "log pmf = y log p + (1-y) log(1-p)")
    for label in (0, 1):
        d.zero(sp.log(pmf.subs(y, label)) - log_pmf.subs(y, label), f"log pmf at y = {label}")
    return d.done(p=p, y=y, pmf=pmf, log_pmf=log_pmf)


def derive_one_hot_loss(num_classes: int) -> Derivation:
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
    Derivation
        ``num_classes``; ``logits`` (real ``z_1 .. z_K``); ``labels`` (``y_1 .. y_K``);
        ``probabilities`` (``softmax(z)``); ``loss`` (``-sum_j y_j log softmax(z)_j`` with
        symbolic ``y``); ``picked`` (tuple: ``loss`` at ``y = e_c`` for ``c = 1 .. K``, each
        equal to ``-log softmax(z)_c``); ``gap_forms`` (tuple:
        ``log(1 + sum_{k != c} exp(z_k - z_c))``, each equal to ``picked[c - 1]`` and positive).

    Raises
    ------
    ValueError
        If ``num_classes`` is not an int ``>= 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> import sympy as sp
    >>> r = derive_one_hot_loss(3)
    >>> z_1, z_2, z_3 = r.logits
    >>> r.gap_forms[0].equals(sp.log(1 + sp.exp(z_2 - z_1) + sp.exp(z_3 - z_1)))
    True
    >>> r.gap_forms[0].is_positive
    True
    """
    K = check_classes(num_classes, "num_classes", minimum=2)
    d = Derivation("a one-hot label picks -log p_c")
    z = logits(K)
    p = softmax_matrix(z)
    y = label_symbols(K)
    p_free = symbol_vector("p", K, positive=True)  # p_1 .. p_K, not tied to z
    loss = cross_entropy_expr(z, y)
    pmf = sp.Mul(*[p_free[j] ** y[j] for j in range(K)])
    d.zero(
        sp.expand_log(sp.log(pmf)) - sum(y[j] * sp.log(p_free[j]) for j in range(K)),
        "log prod_j p_j^y_j = sum_j y_j log p_j",
    )
    picked, gaps = [], []
    for c in range(K):
        one_hot = {y[j]: int(j == c) for j in range(K)}
        d.holds(pmf.subs(one_hot) == p_free[c], f"the pmf at y = e_{c + 1} is p_{c + 1}", pmf)
        loss_c = loss.subs(one_hot)
        d.zero(loss_c + sp.log(p[c]), f"the loss at y = e_{c + 1} is -log p_{c + 1}")
        gap = sp.log(1 + sum(sp.exp(z[k] - z[c]) for k in range(K) if k != c))
        # loss_c = -log p_c and gap are logs of positive reals, so they are equal iff their
        # arguments are: 1/p_c = sum_k exp(z_k - z_c) = exp(gap).
        d.zero(sp.expand(sp.exp(gap) - 1 / p[c]), f"-log p_{c + 1} = log(1 + sum exp(z_k - z_c))")
        # log(1 + s) with s = sum of exponentials of real numbers > 0: SymPy proves positivity.
        d.holds(gap.is_positive, f"the loss at y = e_{c + 1} is positive", gap)
        picked.append(loss_c)
        gaps.append(gap)
    return d.done(
        num_classes=K,
        logits=z,
        labels=y,
        probabilities=p,
        loss=loss,
        picked=tuple(picked),
        gap_forms=tuple(gaps),
    )


def derive_log_likelihood_gradient(num_classes: int) -> Derivation:
    """Differentiate the log-likelihood (not the loss) with respect to the logits.

    The log-likelihood of one sample is minus the loss, so its gradient is minus the loss
    gradient: ``y - (sum_j y_j) p`` in general and ``y - p`` when ``sum_j y_j = 1``. The loss
    gradient is derived (and every step checked) once, by
    :func:`softmax_ce.symbolic.derive_ce_gradient` with logits named ``z``; this function
    reuses that derivation: its checked steps and its results.

    Parameters
    ----------
    num_classes : int
        ``K >= 2``.

    Returns
    -------
    Derivation
        Every result of :func:`softmax_ce.symbolic.derive_ce_gradient` (under the names
        ``o``, ``y``, ``p``, ``loss``, ``general_form``, ``normalised_form``,
        ``normalisation``, with ``o`` the logits ``z``), and ``num_classes``; ``logits``,
        ``labels`` (the symbols ``z``, ``y``); ``probabilities`` (``softmax(z)``);
        ``log_likelihood`` (``sum_j y_j log softmax(z)_j``, minus ``loss``); ``gradient``
        (``d log_likelihood / dz``: minus SymPy's derivative of ``loss``, equal to
        ``y - (sum_j y_j) p``);
        ``gradient_normalized`` (``y - p``, the gradient when ``sum_j y_j = 1``);
        ``loss_gradient_normalized`` (``p - y``, the loss gradient when ``sum_j y_j = 1``).

    Raises
    ------
    ValueError
        If ``num_classes`` is not an int ``>= 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_log_likelihood_gradient(2)
    >>> y_1, y_2 = r.labels
    >>> p_1, p_2 = r.probabilities
    >>> import sympy as sp
    >>> sp.simplify(r.gradient[0] - (y_1 - (y_1 + y_2) * p_1))
    0
    >>> r.loss_gradient_normalized[0]
    -y_1 + exp(z_1)/(exp(z_1) + exp(z_2))
    """
    K = check_classes(num_classes, "num_classes", minimum=2)
    ce = derive_ce_gradient(K, name="z")
    d = Derivation("log-likelihood gradient", "y - p needs sum_j y_j = 1")
    d.reuse(ce)
    log_likelihood = -ce.loss
    gradient = -ce.gradient  # d(-l)/dz = -(dl/dz): differentiation is linear
    fields = ce.fields()  # o, y, p, loss, general_form, ... under their chapter-4 names
    fields.update(
        num_classes=K,
        logits=ce.o,
        labels=ce.y,
        probabilities=ce.p,
        log_likelihood=log_likelihood,
        gradient=gradient,
        gradient_normalized=-ce.normalised_form,
        loss_gradient_normalized=ce.normalised_form,
    )
    return d.done(**fields)


def derive_soft_label_minimum(num_classes: int) -> Derivation:
    """Minimise ``-sum_j y_j log p_j`` over the probability simplex (all ``y_j > 0``).

    Parameters
    ----------
    num_classes : int
        ``K >= 2``.

    Returns
    -------
    Derivation
        ``num_classes``; ``labels``, ``predictions`` (positive symbols ``y`` and ``p``);
        ``multiplier`` (the Lagrange multiplier of ``sum_j p_j = 1``); ``minimizer`` (dict: the
        unique stationary point ``{p_j: y_j / sum(y), multiplier: sum(y)}``); ``minimum``
        (``-sum_j y_j log y_j = H(y)``, the loss at ``p = y`` when ``sum_j y_j = 1``);
        ``hessian`` (``diag(y_j / p_j**2)``, positive definite).

    Raises
    ------
    ValueError
        If ``num_classes`` is not an int ``>= 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_soft_label_minimum(2)
    >>> r.minimum
    -y_1*log(y_1) - y_2*log(y_2)
    >>> r.hessian.is_positive_definite
    True
    """
    K = check_classes(num_classes, "num_classes", minimum=2)
    d = Derivation("soft-label minimum of the loss over the simplex", "y_j > 0 for every j")
    y = symbol_vector("y", K, positive=True)
    p = symbol_vector("p", K, positive=True)
    lam = sp.Symbol("lambda", real=True)
    loss = -sum(y[j] * sp.log(p[j]) for j in range(K))
    lagrangian = loss + lam * (sum(p) - 1)
    equations = [sp.diff(lagrangian, pj) for pj in p] + [sum(p) - 1]
    solutions = sp.solve(equations, list(p) + [lam], dict=True)
    d.holds(len(solutions) == 1, "the Lagrange conditions have exactly one solution", solutions)
    solution = solutions[0]
    total = sum(y)
    d.zero(solution[lam] - total, "the multiplier is sum_j y_j")
    d.zero(
        sp.Matrix([solution[p[j]] - y[j] / total for j in range(K)]),
        "the stationary point is p_j = y_j / sum_k y_k",
    )
    # With sum(y) = 1 the minimiser is p = y and the minimum is the entropy H(y).
    at_y = loss.subs({p[j]: y[j] for j in range(K)})
    minimum = -sum(y[j] * sp.log(y[j]) for j in range(K))
    d.zero(at_y - minimum, "the loss at p = y is H(y)")
    hessian = sp.hessian(loss, list(p))
    d.zero(hessian - sp.diag(*[y[j] / p[j] ** 2 for j in range(K)]), "Hessian = diag(y / p^2)")
    d.holds(hessian.is_positive_definite, "diag(y / p^2) is positive definite", hessian)
    return d.done(
        num_classes=K,
        labels=y,
        predictions=p,
        multiplier=lam,
        minimizer=solution,
        minimum=minimum,
        hessian=hessian,
    )
