"""Optima of the cross-entropy loss, and cross-entropy versus squared error (chapter 3), in SymPy.

Each function *derives* one result of chapter 3 and *checks* it before returning it:

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
* :func:`derive_brier_decomposition` -- the expected squared error of a forecast ``p`` when the
  label is drawn from ``y`` is ``||p - y||^2 + 1 - ||y||^2``, so it is minimised exactly at
  ``p = y`` (the Brier score is a strictly proper scoring rule; concrete ``K``).

Each function returns a :class:`~softmax_ce.symbolic.record.Derivation`; its identities are
checked with :meth:`~softmax_ce.symbolic.record.Derivation.zero` (a symbolic proof plus a
numeric spot check). Symbols are numbered from 1, as in the book (``z_1 ... z_K``).
"""

from __future__ import annotations

import sympy as sp

from ._checks import check_classes
from ._symbols import symbol_vector
from .record import Derivation
from .softmax import logits, softmax_matrix

__all__ = [
    "derive_brier_decomposition",
    "derive_hard_label_path",
    "derive_label_smoothing_optimum",
    "derive_squared_error_gradients",
    "derive_weighted_constant_optimum",
]


def derive_hard_label_path() -> Derivation:
    """Derive the loss along ``z = t e_c`` for a hard label ``c``, for symbolic ``K``.

    Returns
    -------
    Derivation
        ``K`` (number of classes, a positive integer symbol; the results need ``K >= 2``);
        ``t`` (the target logit, all other logits 0); ``loss``
        (``logsumexp(z) - z_c = log(exp(t) + K - 1) - t``); ``closed_form``
        (``log(1 + (K - 1) exp(-t))``, equal to ``loss``); ``dloss_dt``
        (``-(K - 1) / (exp(t) + K - 1)``, the derivative, negative for ``K >= 2``); ``limit``
        (``lim_{t -> oo} loss = 0``).

    Raises
    ------
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

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
    d = Derivation("hard-label loss along t e_c", "K >= 2 (written K = m + 1, m > 0)")
    K = sp.Symbol("K", integer=True, positive=True)
    t = sp.Symbol("t", real=True)
    # logits: t for the target class, 0 for the K - 1 others
    loss = sp.log(sp.exp(t) + (K - 1)) - t
    closed_form = sp.log(1 + (K - 1) * sp.exp(-t))
    d.zero(
        sp.expand_log(loss - closed_form, force=True).rewrite(sp.exp).simplify(),
        "log(exp(t) + K - 1) - t = log(1 + (K - 1) exp(-t))",
    )
    dloss_dt = -(K - 1) / (sp.exp(t) + K - 1)
    d.zero(sp.diff(loss, t) - dloss_dt, "d/dt [log(exp(t) + K - 1) - t]")
    # sign: with m = K - 1 > 0 the derivative -m / (exp(t) + m) is negative
    m = sp.Symbol("m", positive=True)
    d.holds(dloss_dt.subs(K, m + 1).is_negative, "the loss decreases along t e_c", dloss_dt)
    limit = sp.limit(closed_form.subs(K, m + 1), t, sp.oo)
    d.holds(limit == 0, "the infimum along t e_c is 0", limit)
    return d.done(K=K, t=t, loss=loss, closed_form=closed_form, dloss_dt=dloss_dt, limit=limit)


def derive_label_smoothing_optimum() -> Derivation:
    """Derive the optimal logit gap and the minimum loss under label smoothing (symbolic K, eps).

    With a hard label ``c`` and smoothing ``eps``, the gradient ``softmax(z) - y_eps`` vanishes
    exactly when ``softmax(z) = y_eps``, i.e. (up to adding a constant to every logit) at
    ``z = t* e_c`` with ``t* = log((1 - eps + eps/K) / (eps/K)) = log(1 + K (1 - eps) / eps)``.

    Returns
    -------
    Derivation
        ``K``, ``eps``, ``t`` (number of classes, smoothing ``0 < eps < 1``, target logit with
        the other logits 0); ``target_true``, ``target_other`` (the smoothed target:
        ``1 - eps + eps/K`` on the true class, ``eps/K`` on each other class); ``loss``
        (``log(exp(t) + K - 1) - (1 - eps + eps/K) t``); ``gap`` (the unique stationary point
        ``t* = log(target_true / target_other)``, with a positive second derivative);
        ``min_loss`` (``loss(t*)``, equal to ``entropy``); ``entropy`` (of the smoothed
        target, in nats).

    Raises
    ------
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> import sympy as sp
    >>> r = derive_label_smoothing_optimum()
    >>> sp.simplify(r.gap - sp.log(1 + r.K * (1 - r.eps) / r.eps))
    0
    >>> round(float(r.gap.subs({r.K: 10, r.eps: sp.Rational(1, 10)})), 6)
    4.51086
    """
    d = Derivation("label-smoothing optimum along t e_c", "0 < eps < 1 and K >= 2")
    K = sp.Symbol("K", integer=True, positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    t = sp.Symbol("t", real=True)
    target_true = 1 - eps + eps / K
    target_other = eps / K
    d.zero(target_true + (K - 1) * target_other - 1, "the smoothed target sums to 1")
    loss = sp.log(sp.exp(t) + K - 1) - target_true * t
    gap = sp.log(target_true / target_other)
    dloss = sp.diff(loss, t)
    d.zero(sp.simplify(dloss.subs(t, gap)), "d loss / dt = 0 at t = log(y_c / y_other)")
    # uniqueness: the second derivative (K - 1) e^t / (e^t + K - 1)^2 is positive for K >= 2
    m = sp.Symbol("m", positive=True)
    second = sp.simplify(sp.diff(loss, t, 2).subs(K, m + 1))
    curvature = m * sp.exp(t) / (sp.exp(t) + m) ** 2
    d.zero(second - curvature, "d^2 loss / dt^2 = (K - 1) e^t / (e^t + K - 1)^2")
    d.holds(curvature.is_positive, "the second derivative is positive", curvature)
    entropy = -target_true * sp.log(target_true) - (K - 1) * target_other * sp.log(target_other)
    min_loss = loss.subs(t, gap)
    # the minimum value is the entropy of the smoothed target (since softmax(t* e_c) = y_eps)
    residual = sp.expand_log(sp.simplify(min_loss - entropy), force=True)
    d.zero(sp.simplify(residual), "min loss = H(smoothed target)")
    return d.done(
        K=K,
        eps=eps,
        t=t,
        target_true=target_true,
        target_other=target_other,
        loss=loss,
        gap=gap,
        min_loss=min_loss,
        entropy=entropy,
    )


def derive_weighted_constant_optimum(K: int = 3) -> Derivation:
    """Derive the minimiser of the weighted cross-entropy of a constant predictor, ``K`` classes.

    Parameters
    ----------
    K : int, optional
        Number of classes, ``K >= 2``.

    Returns
    -------
    Derivation
        ``b`` (the constant logits ``b_1 ... b_K``, real); ``n``, ``w`` (class counts and class
        weights, positive); ``loss`` (``sum_c w_c n_c (logsumexp(b) - b_c)``, the weighted
        *sum*: the weighted mean divides by the constant ``sum_c w_c n_c`` and has the same
        minimiser); ``q`` (``q_c = w_c n_c / sum_k w_k n_k``; the gradient vanishes at
        ``b = log(w n)``, where ``softmax(b) = q``).

    Raises
    ------
    ValueError
        If ``K < 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_weighted_constant_optimum(2)
    >>> r.q.T
    Matrix([[n_1*w_1/(n_1*w_1 + n_2*w_2), n_2*w_2/(n_1*w_1 + n_2*w_2)]])
    """
    check_classes(K, minimum=2)
    d = Derivation("class-weighted optimum of a constant predictor")
    b = logits(K, "b")
    n = symbol_vector("n", K, positive=True)
    w = symbol_vector("w", K, positive=True)
    lse = sp.log(sp.Add(*[sp.exp(bk) for bk in b]))
    loss = sp.Add(*[w[c] * n[c] * (lse - b[c]) for c in range(K)])
    total = sp.Add(*[w[c] * n[c] for c in range(K)])
    q = sp.Matrix([w[c] * n[c] / total for c in range(K)])
    at_optimum = {b[c]: sp.log(w[c] * n[c]) for c in range(K)}
    for c in range(K):
        grad_c = sp.diff(loss, b[c]).subs(at_optimum)
        d.zero(sp.simplify(grad_c), f"d loss / d b_{c + 1} = 0 at b = log(w n)")
    d.zero(sp.Add(*q) - 1, "q sums to 1")
    d.zero(softmax_matrix(b).xreplace(at_optimum) - q, "softmax(log(w n)) = q")
    return d.done(b=b, n=n, w=w, loss=loss, q=q)


def derive_squared_error_gradients(K: int = 3) -> Derivation:
    """Derive the logit gradients of squared error (sigmoid and softmax outputs) and of CE.

    Parameters
    ----------
    K : int, optional
        Number of classes for the softmax case, ``K >= 2``.

    Returns
    -------
    Derivation
        Binary case: ``z``, ``y`` (the logit and the 0/1 or soft label); ``sigmoid``
        (``1 / (1 + exp(-z))``); ``se_grad_binary`` (``d/dz (sigma - y)^2``, equal to
        ``2 (sigma - y) sigma (1 - sigma)``); ``ce_grad_binary`` (``d/dz`` of the binary
        cross-entropy, equal to ``sigma - y``); ``se_limit_wrong``, ``ce_limit_wrong`` (their
        limits for ``y = 1`` as ``z -> -oo``, confidently wrong: ``0`` and ``-1``). Softmax
        case: ``logits``, ``target`` (``z_1 ... z_K`` and ``y_1 ... y_K``, real);
        ``se_grad_softmax`` (``grad_z sum_k (p_k - y_k)^2``, equal to
        ``2 (diag(p) - p p^T)(p - y)``).

    Raises
    ------
    ValueError
        If ``K < 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm a step.

    Examples
    --------
    >>> r = derive_squared_error_gradients(2)
    >>> r.se_limit_wrong, r.ce_limit_wrong
    (0, -1)
    """
    check_classes(K, minimum=2)
    d = Derivation("squared-error and cross-entropy gradients in the logits")
    z = sp.Symbol("z", real=True)
    y = sp.Symbol("y", real=True)
    s = 1 / (1 + sp.exp(-z))
    se_grad = sp.diff((s - y) ** 2, z)
    d.zero(
        se_grad - 2 * (s - y) * s * (1 - s), "d/dz (sigma - y)^2 = 2 (sigma - y) sigma (1 - sigma)"
    )
    bce = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    ce_grad = sp.diff(bce, z)
    d.zero(sp.simplify(ce_grad - (s - y)), "d/dz BCE = sigma - y")
    se_limit = sp.limit(se_grad.subs(y, 1), z, -sp.oo)
    ce_limit = sp.limit(sp.simplify(ce_grad.subs(y, 1)), z, -sp.oo)
    d.holds(se_limit == 0, "d/dz (sigma - y)^2 -> 0 as z -> -oo with y = 1", se_limit)
    d.holds(ce_limit == -1, "d/dz BCE -> -1 as z -> -oo with y = 1", ce_limit)

    zs = logits(K)
    ys = symbol_vector("y", K, real=True)
    p = softmax_matrix(zs)
    se = sp.Add(*[(p[k] - ys[k]) ** 2 for k in range(K)])
    grad = sp.Matrix([sp.diff(se, zk) for zk in zs])
    jac = sp.diag(*p) - p * p.T
    d.zero(grad - 2 * jac * (p - ys), "grad_z sum (p - y)^2 = 2 (diag p - p p^T)(p - y)")
    return d.done(
        z=z,
        y=y,
        sigmoid=s,
        se_grad_binary=se_grad,
        ce_grad_binary=ce_grad,
        se_limit_wrong=se_limit,
        ce_limit_wrong=ce_limit,
        logits=zs,
        target=ys,
        se_grad_softmax=grad,
    )


def derive_brier_decomposition(K: int = 3) -> Derivation:
    """Derive ``E_{c ~ y} ||p - e_c||^2 = ||p - y||^2 + 1 - ||y||^2`` for ``K`` classes.

    The only term depending on ``p`` is ``||p - y||^2``: the expected score is minimised at
    ``p = y`` and nowhere else (strict propriety). The identity needs ``sum_c y_c = 1``.

    Parameters
    ----------
    K : int, optional
        Number of classes, ``K >= 2``.

    Returns
    -------
    Derivation
        ``y``, ``p`` (true class distribution and forecast, real; ``y`` sums to 1);
        ``expected_score`` (``sum_c y_c ||p - e_c||^2``); ``decomposition``
        (``||p - y||^2 + 1 - ||y||^2``, equal to it when ``sum(y) = 1``).

    Raises
    ------
    ValueError
        If ``K < 2``.
    softmax_ce.symbolic.DerivationError
        If SymPy cannot confirm the identity.

    Examples
    --------
    >>> r = derive_brier_decomposition(2)
    >>> r.decomposition
    -y_1**2 - y_2**2 + (p_1 - y_1)**2 + (p_2 - y_2)**2 + 1
    """
    check_classes(K, minimum=2)
    d = Derivation("Brier score decomposition", "sum_c y_c = 1")
    y = symbol_vector("y", K, real=True)
    p = symbol_vector("p", K, real=True)
    expected = sp.Add(*[
        y[c] * sp.Add(*[(p[k] - (1 if k == c else 0)) ** 2 for k in range(K)])
        for c in range(K)
    ])
    decomposition = sp.Add(*[(p[k] - y[k]) ** 2 for k in range(K)]) + 1 - sp.Add(
        *[yk**2 for yk in y])
    on_simplex = {y[K - 1]: 1 - sp.Add(*y[: K - 1])}
    d.zero(
        sp.expand((expected - decomposition).subs(on_simplex)),
        "E ||p - e_c||^2 = ||p - y||^2 + 1 - ||y||^2 (sum y = 1)",
    )
    return d.done(y=y, p=p, expected_score=expected, decomposition=decomposition)
