"""Optima of the cross-entropy loss, and cross-entropy versus squared error (chapter 3), in SymPy.

Each function *derives* one result of chapter 3 and *asserts* it before returning it:

* :func:`derive_hard_label_path` -- with a hard label ``c`` the loss along the logits
  ``z = t e_c`` is ``log(1 + (K - 1) exp(-t))``: strictly decreasing in ``t`` with limit 0, so
  the infimum 0 is never attained (proved for symbolic ``K``);
* :func:`derive_label_smoothing_optimum` -- with label smoothing ``eps`` the target becomes
  ``(1 - eps) y + eps / K``; along the same path the loss has a unique minimiser, the finite logit
  gap ``log((1 - eps + eps/K) / (eps/K))``, where the loss equals the entropy of the smoothed
  target (proved for symbolic ``K`` and ``eps``);
* :func:`derive_weighted_constant_optimum` -- a constant predictor trained with class weights
  ``w_c`` on class counts ``n_c`` has the stationary point ``q_c = w_c n_c / sum_k w_k n_k``
  (checked for a concrete ``K``);
* :func:`derive_squared_error_gradients` -- the gradient of the squared error on a sigmoid /
  softmax output carries the factor ``sigma (1 - sigma)`` / the Jacobian ``diag(p) - p p^T``
  that the cross-entropy gradient ``p - y`` does not (binary case for symbolic ``z``, ``y``;
  softmax case for a concrete ``K``);
* :func:`derive_brier_decomposition` -- the expected squared error of a forecast ``q`` when the
  label is drawn from ``p`` is ``||q - p||^2 + 1 - ||p||^2``, so it is minimised exactly at
  ``q = p`` (the Brier score is a strictly proper scoring rule; concrete ``K``).

Identities are asserted with :func:`softmax_ce.symbolic._checks.assert_zero` (a symbolic proof
plus a numeric spot check).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from softmax_ce.symbolic._checks import assert_zero

__all__ = [
    "BrierDecomposition",
    "HardLabelPath",
    "LabelSmoothingOptimum",
    "SquaredErrorGradients",
    "WeightedConstantOptimum",
    "derive_brier_decomposition",
    "derive_hard_label_path",
    "derive_label_smoothing_optimum",
    "derive_squared_error_gradients",
    "derive_weighted_constant_optimum",
]


def _check_classes(K: int) -> None:
    if not isinstance(K, int) or K < 2:
        raise ValueError(f"K must be an integer >= 2, got K={K!r}")


@dataclass(frozen=True)
class HardLabelPath:
    """The cross-entropy along the ray ``z = t e_c`` for a hard label ``c``.

    Attributes
    ----------
    K : sympy.Symbol
        Number of classes (a positive integer symbol; the results need ``K >= 2``).
    t : sympy.Symbol
        The target logit (all other logits are 0), a real symbol.
    loss : sympy.Expr
        ``logsumexp(z) - z_c = log(exp(t) + K - 1) - t``.
    closed_form : sympy.Expr
        ``log(1 + (K - 1) exp(-t))``, asserted equal to ``loss``.
    dloss_dt : sympy.Expr
        ``-(K - 1) / (exp(t) + K - 1)``, asserted equal to the derivative (negative for K >= 2).
    limit : sympy.Expr
        ``lim_{t -> oo} loss`` (asserted to be 0).
    """

    K: sp.Symbol
    t: sp.Symbol
    loss: sp.Expr
    closed_form: sp.Expr
    dloss_dt: sp.Expr
    limit: sp.Expr


def derive_hard_label_path() -> HardLabelPath:
    """Derive the loss along ``z = t e_c`` for a hard label ``c``, for symbolic ``K``.

    Returns
    -------
    HardLabelPath
        The loss, its derivative and its limit; all three asserted.

    Examples
    --------
    >>> r = derive_hard_label_path()
    >>> r.closed_form
    log((K - 1)*exp(-t) + 1)
    >>> r.limit
    0
    >>> r.dloss_dt.subs(r.K, 3).subs(r.t, 0)
    -2/3
    """
    K = sp.Symbol("K", integer=True, positive=True)
    t = sp.Symbol("t", real=True)
    # logits: t for the target class, 0 for the K - 1 others
    loss = sp.log(sp.exp(t) + (K - 1)) - t
    closed_form = sp.log(1 + (K - 1) * sp.exp(-t))
    assert_zero(sp.expand_log(loss - closed_form, force=True).rewrite(sp.exp).simplify(),
                "log(exp(t) + K - 1) - t = log(1 + (K - 1) exp(-t))")
    dloss_dt = -(K - 1) / (sp.exp(t) + K - 1)
    assert_zero(sp.diff(loss, t) - dloss_dt, "d/dt [log(exp(t) + K - 1) - t]")
    # sign: with m = K - 1 > 0 the derivative -m / (exp(t) + m) is negative
    m = sp.Symbol("m", positive=True)
    assert dloss_dt.subs(K, m + 1).is_negative, "the loss must decrease along t e_c"
    limit = sp.limit(closed_form.subs(K, m + 1), t, sp.oo)
    assert limit == 0, f"the infimum along t e_c must be 0, got {limit}"
    return HardLabelPath(K=K, t=t, loss=loss, closed_form=closed_form,
                         dloss_dt=dloss_dt, limit=limit)


@dataclass(frozen=True)
class LabelSmoothingOptimum:
    """The optimum of the label-smoothed cross-entropy along ``z = t e_c``.

    Attributes
    ----------
    K, eps, t : sympy.Symbol
        Number of classes, smoothing ``0 < eps < 1``, target logit (other logits 0).
    target_true, target_other : sympy.Expr
        Smoothed target: ``1 - eps + eps/K`` on the true class, ``eps/K`` on each other class.
    loss : sympy.Expr
        ``log(exp(t) + K - 1) - (1 - eps + eps/K) t``.
    gap : sympy.Expr
        The unique stationary point ``t* = log(target_true / target_other)`` (asserted to zero
        the derivative, with a positive second derivative).
    min_loss : sympy.Expr
        ``loss(t*)``, asserted equal to ``entropy``.
    entropy : sympy.Expr
        The entropy (nats) of the smoothed target, positive for ``0 < eps < 1``.
    """

    K: sp.Symbol
    eps: sp.Symbol
    t: sp.Symbol
    target_true: sp.Expr
    target_other: sp.Expr
    loss: sp.Expr
    gap: sp.Expr
    min_loss: sp.Expr
    entropy: sp.Expr


def derive_label_smoothing_optimum() -> LabelSmoothingOptimum:
    """Derive the optimal logit gap and the minimum loss under label smoothing (symbolic K, eps).

    With a hard label ``c`` and smoothing ``eps``, the gradient ``softmax(z) - y_eps`` vanishes
    exactly when ``softmax(z) = y_eps``, i.e. (up to adding a constant to every logit) at
    ``z = t* e_c`` with ``t* = log((1 - eps + eps/K) / (eps/K)) = log(1 + K (1 - eps) / eps)``.

    Returns
    -------
    LabelSmoothingOptimum
        The smoothed target, the loss along ``t e_c``, its minimiser and minimum; asserted.

    Examples
    --------
    >>> import sympy as sp
    >>> r = derive_label_smoothing_optimum()
    >>> sp.simplify(r.gap - sp.log(1 + r.K * (1 - r.eps) / r.eps))
    0
    >>> round(float(r.gap.subs({r.K: 10, r.eps: sp.Rational(1, 10)})), 6)
    4.51086
    """
    K = sp.Symbol("K", integer=True, positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    t = sp.Symbol("t", real=True)
    target_true = 1 - eps + eps / K
    target_other = eps / K
    assert_zero(target_true + (K - 1) * target_other - 1, "the smoothed target sums to 1")
    loss = sp.log(sp.exp(t) + K - 1) - target_true * t
    gap = sp.log(target_true / target_other)
    dloss = sp.diff(loss, t)
    assert_zero(sp.simplify(dloss.subs(t, gap)), "d loss / dt = 0 at t = log(y_c / y_other)")
    # uniqueness: the second derivative (K - 1) e^t / (e^t + K - 1)^2 is positive for K >= 2
    m = sp.Symbol("m", positive=True)
    second = sp.simplify(sp.diff(loss, t, 2).subs(K, m + 1))
    assert_zero(second - m * sp.exp(t) / (sp.exp(t) + m) ** 2, "second derivative")
    assert (m * sp.exp(t) / (sp.exp(t) + m) ** 2).is_positive
    entropy = -target_true * sp.log(target_true) - (K - 1) * target_other * sp.log(target_other)
    min_loss = loss.subs(t, gap)
    # the minimum value is the entropy of the smoothed target (since softmax(t* e_c) = y_eps)
    residual = sp.expand_log(sp.simplify(min_loss - entropy), force=True)
    assert_zero(sp.simplify(residual), "min loss = H(smoothed target)")
    return LabelSmoothingOptimum(K=K, eps=eps, t=t, target_true=target_true,
                                 target_other=target_other, loss=loss, gap=gap,
                                 min_loss=min_loss, entropy=entropy)


@dataclass(frozen=True)
class WeightedConstantOptimum:
    """Stationary point of the class-weighted cross-entropy of a constant predictor.

    Attributes
    ----------
    b : sympy.Matrix
        The constant logits ``b_1 ... b_K`` (real symbols), a column.
    n, w : sympy.Matrix
        Class counts and class weights (positive symbols), columns.
    loss : sympy.Expr
        ``sum_c w_c n_c (logsumexp(b) - b_c)`` (the weighted *sum*; the weighted mean divides by
        the constant ``sum_c w_c n_c`` and has the same minimiser).
    q : sympy.Matrix
        ``q_c = w_c n_c / sum_k w_k n_k``; the gradient is asserted zero at ``b = log(w n)``,
        where ``softmax(b) = q``.
    """

    b: sp.Matrix
    n: sp.Matrix
    w: sp.Matrix
    loss: sp.Expr
    q: sp.Matrix


def derive_weighted_constant_optimum(K: int = 3) -> WeightedConstantOptimum:
    """Derive the minimiser of the weighted cross-entropy of a constant predictor, ``K`` classes.

    Parameters
    ----------
    K : int, optional
        Number of classes, ``K >= 2``.

    Returns
    -------
    WeightedConstantOptimum
        The loss and the reweighted class frequencies ``q`` (gradient asserted zero there).

    Raises
    ------
    ValueError
        If ``K < 2``.

    Examples
    --------
    >>> r = derive_weighted_constant_optimum(2)
    >>> r.q.T
    Matrix([[n1*w1/(n1*w1 + n2*w2), n2*w2/(n1*w1 + n2*w2)]])
    """
    _check_classes(K)
    b = sp.Matrix(sp.symbols(f"b1:{K + 1}", real=True))
    n = sp.Matrix(sp.symbols(f"n1:{K + 1}", positive=True))
    w = sp.Matrix(sp.symbols(f"w1:{K + 1}", positive=True))
    lse = sp.log(sp.Add(*[sp.exp(bk) for bk in b]))
    loss = sp.Add(*[w[c] * n[c] * (lse - b[c]) for c in range(K)])
    total = sp.Add(*[w[c] * n[c] for c in range(K)])
    q = sp.Matrix([w[c] * n[c] / total for c in range(K)])
    at_optimum = {b[c]: sp.log(w[c] * n[c]) for c in range(K)}
    for c in range(K):
        grad_c = sp.diff(loss, b[c]).subs(at_optimum)
        assert_zero(sp.simplify(grad_c), f"d loss / d b_{c + 1} = 0 at b = log(w n)")
    assert_zero(sp.Add(*q) - 1, "q sums to 1")
    return WeightedConstantOptimum(b=b, n=n, w=w, loss=loss, q=q)


@dataclass(frozen=True)
class SquaredErrorGradients:
    """Gradients of squared error and cross-entropy with respect to the logits.

    Attributes
    ----------
    z, y : sympy.Symbol
        Binary case: the logit and the 0/1 (or soft) label.
    sigmoid : sympy.Expr
        ``1 / (1 + exp(-z))``.
    se_grad_binary : sympy.Expr
        ``d/dz (sigma - y)^2``, asserted equal to ``2 (sigma - y) sigma (1 - sigma)``.
    ce_grad_binary : sympy.Expr
        ``d/dz`` of the binary cross-entropy, asserted equal to ``sigma - y``.
    se_limit_wrong, ce_limit_wrong : sympy.Expr
        Their limits for ``y = 1`` as ``z -> -oo`` (confidently wrong): ``0`` and ``-1``.
    logits, target : sympy.Matrix
        Softmax case: ``z_1 ... z_K`` and ``y_1 ... y_K`` (real symbols), columns.
    se_grad_softmax : sympy.Matrix
        ``grad_z sum_k (p_k - y_k)^2``, asserted equal to ``2 (diag(p) - p p^T)(p - y)``.
    """

    z: sp.Symbol
    y: sp.Symbol
    sigmoid: sp.Expr
    se_grad_binary: sp.Expr
    ce_grad_binary: sp.Expr
    se_limit_wrong: sp.Expr
    ce_limit_wrong: sp.Expr
    logits: sp.Matrix
    target: sp.Matrix
    se_grad_softmax: sp.Matrix


def derive_squared_error_gradients(K: int = 3) -> SquaredErrorGradients:
    """Derive the logit gradients of squared error (sigmoid and softmax outputs) and of CE.

    Parameters
    ----------
    K : int, optional
        Number of classes for the softmax case, ``K >= 2``.

    Returns
    -------
    SquaredErrorGradients
        Binary gradients (symbolic ``z``, ``y``), their confidently-wrong limits, and the
        softmax squared-error gradient for ``K`` classes; every identity asserted.

    Raises
    ------
    ValueError
        If ``K < 2``.

    Examples
    --------
    >>> r = derive_squared_error_gradients(2)
    >>> r.se_limit_wrong, r.ce_limit_wrong
    (0, -1)
    """
    _check_classes(K)
    z = sp.Symbol("z", real=True)
    y = sp.Symbol("y", real=True)
    s = 1 / (1 + sp.exp(-z))
    se_grad = sp.diff((s - y) ** 2, z)
    assert_zero(se_grad - 2 * (s - y) * s * (1 - s), "d/dz (sigma - y)^2")
    bce = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    ce_grad = sp.diff(bce, z)
    assert_zero(sp.simplify(ce_grad - (s - y)), "d/dz BCE = sigma - y")
    se_limit = sp.limit(se_grad.subs(y, 1), z, -sp.oo)
    ce_limit = sp.limit(sp.simplify(ce_grad.subs(y, 1)), z, -sp.oo)
    assert se_limit == 0 and ce_limit == -1, (se_limit, ce_limit)

    zs = sp.Matrix(sp.symbols(f"z1:{K + 1}", real=True))
    ys = sp.Matrix(sp.symbols(f"y1:{K + 1}", real=True))
    weights = [sp.exp(zk) for zk in zs]
    total = sp.Add(*weights)
    p = sp.Matrix([wk / total for wk in weights])
    se = sp.Add(*[(p[k] - ys[k]) ** 2 for k in range(K)])
    grad = sp.Matrix([sp.diff(se, zk) for zk in zs])
    jac = sp.diag(*p) - p * p.T
    assert_zero(grad - 2 * jac * (p - ys), "grad_z sum (p - y)^2 = 2 (diag p - p p^T)(p - y)")
    return SquaredErrorGradients(z=z, y=y, sigmoid=s, se_grad_binary=se_grad,
                                 ce_grad_binary=ce_grad, se_limit_wrong=se_limit,
                                 ce_limit_wrong=ce_limit, logits=zs, target=ys,
                                 se_grad_softmax=grad)


@dataclass(frozen=True)
class BrierDecomposition:
    """Expected squared error of a forecast ``q`` when the label is drawn from ``p``.

    Attributes
    ----------
    p, q : sympy.Matrix
        True class distribution and forecast (real symbols), columns; ``p`` sums to 1.
    expected_score : sympy.Expr
        ``sum_c p_c ||q - e_c||^2``.
    decomposition : sympy.Expr
        ``||q - p||^2 + 1 - ||p||^2``, asserted equal under ``sum(p) = 1``.
    """

    p: sp.Matrix
    q: sp.Matrix
    expected_score: sp.Expr
    decomposition: sp.Expr


def derive_brier_decomposition(K: int = 3) -> BrierDecomposition:
    """Derive ``E_{c ~ p} ||q - e_c||^2 = ||q - p||^2 + 1 - ||p||^2`` for ``K`` classes.

    The only term depending on ``q`` is ``||q - p||^2``: the expected score is minimised at
    ``q = p`` and nowhere else (strict propriety). The identity needs ``sum_c p_c = 1``.

    Parameters
    ----------
    K : int, optional
        Number of classes, ``K >= 2``.

    Returns
    -------
    BrierDecomposition
        The expected score and its decomposition (asserted).

    Raises
    ------
    ValueError
        If ``K < 2``.

    Examples
    --------
    >>> r = derive_brier_decomposition(2)
    >>> r.decomposition
    -p1**2 - p2**2 + (-p1 + q1)**2 + (-p2 + q2)**2 + 1
    """
    _check_classes(K)
    p = sp.Matrix(sp.symbols(f"p1:{K + 1}", real=True))
    q = sp.Matrix(sp.symbols(f"q1:{K + 1}", real=True))
    expected = sp.Add(*[
        p[c] * sp.Add(*[(q[k] - (1 if k == c else 0)) ** 2 for k in range(K)])
        for c in range(K)
    ])
    decomposition = sp.Add(*[(q[k] - p[k]) ** 2 for k in range(K)]) + 1 - sp.Add(
        *[pk**2 for pk in p])
    on_simplex = {p[K - 1]: 1 - sp.Add(*p[: K - 1])}
    assert_zero(sp.expand((expected - decomposition).subs(on_simplex)),
                "E ||q - e_c||^2 = ||q - p||^2 + 1 - ||p||^2 (sum p = 1)")
    return BrierDecomposition(p=p, q=q, expected_score=expected, decomposition=decomposition)
