r"""Softmax regression on real data, fitted exactly: L-BFGS on the package's loss and gradient.

Chapter 6 trains the linear model :math:`Z = X W + b` on scikit-learn's handwritten digits with
the *sum* of the per-sample cross-entropies (:func:`softmax_ce.cross_entropy`, with its
``weight`` and ``label_smoothing`` options) plus an L2 penalty on ``W`` (not on ``b``):

.. math::

    f(W, b) = \sum_{i=1}^{N} \ell\bigl(x_i^{\top} W + b + a,\; y_i\bigr)
              + \frac{\lambda}{2} \lVert W \rVert_F^2 ,

where :math:`a` is an optional per-class offset used only during training (the *logit
adjustment* loss of Menon et al. 2021, :math:`a = \tau \log \pi`). With :math:`\lambda =
1/C` this is the objective of scikit-learn's ``LogisticRegression(C=C)`` for :math:`K > 2`
classes (multinomial loss, intercept not penalised), divided by :math:`C`: both have the same
minimiser. The objective is convex; scipy's L-BFGS-B finds its minimum to a gradient norm set
by ``gtol``.

It also builds the seeded long-tailed training subsets of the chapter's imbalance experiment
(:func:`long_tail_indices`).

References
----------
A. K. Menon, S. Jayasumana, A. S. Rawat, H. Jain, A. Veit and S. Kumar, "Long-tail Learning
via Logit Adjustment", ICLR 2021.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import minimize

from softmax_ce import cross_entropy, cross_entropy_grad, softmax
from softmax_ce.calibration import expected_calibration_error
from softmax_ce.squared_error import squared_error

__all__ = [
    "SoftmaxRegression",
    "Table",
    "evaluate",
    "fit_softmax_regression",
    "long_tail_indices",
    "regression_objective",
]


@dataclass(frozen=True)
class SoftmaxRegression:
    """A fitted linear softmax model, as returned by :func:`fit_softmax_regression`.

    Attributes
    ----------
    W : numpy.ndarray, shape (d, K)
        Weights: column ``k`` is the template of class ``k``.
    b : numpy.ndarray, shape (K,)
        Intercepts (defined up to a common constant: softmax ignores it).
    objective : float
        The minimised objective :math:`f(W, b)` (module docstring).
    grad_norm : float
        Largest absolute entry of the objective's gradient at ``(W, b)``.
    n_iter : int
        Iterations used: L-BFGS-B's plus Newton's.
    """

    W: np.ndarray
    b: np.ndarray
    objective: float
    grad_norm: float
    n_iter: int

    def logits(self, X: ArrayLike) -> np.ndarray:
        """The logits ``X @ W + b`` (no training offset: predictions use the plain model).

        Parameters
        ----------
        X : array_like, shape (N, d)

        Returns
        -------
        numpy.ndarray, shape (N, K)
        """
        return np.asarray(X, dtype=np.float64) @ self.W + self.b


def regression_objective(
    W: np.ndarray,
    b: np.ndarray,
    X: np.ndarray,
    labels: np.ndarray,
    *,
    l2: float,
    weight: np.ndarray | None = None,
    label_smoothing: float = 0.0,
    logit_adjustment: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""The objective :math:`f(W, b)` of the module docstring and its gradients.

    Parameters
    ----------
    W, b : numpy.ndarray, shapes (d, K) and (K,)
    X : numpy.ndarray, shape (N, d)
    labels : numpy.ndarray of int, shape (N,)
    l2 : float
        :math:`\lambda \ge 0`, the L2 penalty on ``W``.
    weight, label_smoothing
        Passed to :func:`softmax_ce.cross_entropy` (``reduction="sum"``).
    logit_adjustment : numpy.ndarray, shape (K,), optional
        Offset :math:`a` added to the logits inside the loss.

    Returns
    -------
    value : float
    grad_W, grad_b : numpy.ndarray
        Shaped like ``W`` and ``b``.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); labels = np.array([0, 1])
    >>> value, gW, gb = regression_objective(np.zeros((2, 2)), np.zeros(2), X, labels, l2=1.0)
    >>> round(value, 6), gW.tolist(), gb.tolist()  # 2 log 2; softmax minus one-hot, summed
    (1.386294, [[-0.5, 0.5], [0.5, -0.5]], [0.0, 0.0])
    """
    Z = X @ W + b
    if logit_adjustment is not None:
        Z = Z + logit_adjustment
    options = dict(weight=weight, label_smoothing=label_smoothing, reduction="sum")
    value = float(cross_entropy(Z, labels, **options)) + 0.5 * l2 * float(np.sum(W * W))
    G = cross_entropy_grad(Z, labels, **options)
    return value, X.T @ G + l2 * W, G.sum(axis=0)


def fit_softmax_regression(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    l2: float,
    n_classes: int | None = None,
    weight: ArrayLike | None = None,
    label_smoothing: float = 0.0,
    logit_adjustment: ArrayLike | None = None,
    gtol: float = 1e-10,
    max_iter: int = 5000,
) -> SoftmaxRegression:
    r"""Minimise :func:`regression_objective` over ``(W, b)``: L-BFGS-B, then Newton steps.

    Two phases. scipy's L-BFGS-B, started from zero, brings the largest gradient entry below
    ``1e-2``; it cannot go much further, because near the optimum the decrease of the
    objective is smaller than its rounding error (about ``1e-16`` times its value) and the
    line search stalls. Newton's method, which only needs the gradient to be accurate, then
    converges quadratically to ``gtol`` in a few steps, with the exact Hessian
    :math:`\sum_i s_i\,(\tilde x_i \tilde x_i^{\top}) \otimes (\operatorname{diag} p_i -
    p_i p_i^{\top}) + \lambda I_W` (:math:`s_i` the row's total target mass, 1 without class
    weights; :math:`\tilde x_i = (x_i, 1)`).

    Parameters
    ----------
    X : array_like, shape (N, d)
        Features, one row per sample.
    labels : array_like of int, shape (N,)
        Class indices in ``[0, K)``.
    l2 : float
        :math:`\lambda > 0`, the L2 penalty on ``W`` (``1 / C`` in scikit-learn's terms).
        Positive, so that the minimum exists even for separable data.
    n_classes : int, optional
        :math:`K`; default ``labels.max() + 1``.
    weight : array_like, shape (K,), optional
        Class weights of the cross-entropy (as in :func:`softmax_ce.cross_entropy`).
    label_smoothing : float, default 0
        :math:`\varepsilon` of :func:`softmax_ce.cross_entropy`.
    logit_adjustment : array_like, shape (K,), optional
        Offset added to the logits during training only, e.g. ``tau * log(prior)`` for the
        logit-adjusted loss; :meth:`SoftmaxRegression.logits` leaves it out.
    gtol : float, default 1e-10
        Stop when the largest absolute gradient entry is at most this.
    max_iter : int, default 5000
        Iteration limit of the L-BFGS-B phase (Newton's phase takes at most 50 steps).

    Returns
    -------
    SoftmaxRegression

    Raises
    ------
    TypeError
        If ``labels`` are not integers.
    ValueError
        If ``X`` is not 2-d, ``labels``' shape is not ``(N,)``, a label is outside
        ``[0, K)``, ``l2`` is not positive and finite, ``logit_adjustment``'s shape is not
        ``(K,)``, or the gradient does not reach ``gtol`` (the message names ``gtol``).
        Errors in ``weight`` and ``label_smoothing`` come from
        :func:`softmax_ce.cross_entropy`, naming the argument.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1, 2], 20)
    >>> X = np.eye(3)[labels] + 0.5 * rng.standard_normal((60, 3))
    >>> model = fit_softmax_regression(X, labels, l2=1.0)
    >>> model.W.shape, model.b.shape, bool(model.grad_norm <= 1e-10)
    ((3, 3), (3,), True)
    >>> bool(np.allclose(model.W.sum(axis=1), 0))  # the penalty centres each row of W
    True
    >>> float(np.mean(model.logits(X).argmax(axis=1) == labels)) > 0.8
    True
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X: expected a 2-d array (samples, features), got shape {X.shape}")
    y = np.asarray(labels)
    if y.dtype.kind not in "iu":
        raise TypeError(f"labels: class indices must be integers, got dtype {y.dtype}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"labels: expected shape ({X.shape[0]},), got {y.shape}")
    k = int(y.max()) + 1 if n_classes is None else int(n_classes)
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"labels: class indices must lie in [0, {k})")
    if not (np.isfinite(l2) and l2 > 0):
        raise ValueError(f"l2: must be positive and finite, got {l2!r}")
    offset = None
    if logit_adjustment is not None:
        offset = np.asarray(logit_adjustment, dtype=np.float64)
        if offset.shape != (k,):
            raise ValueError(f"logit_adjustment: expected shape ({k},), got {offset.shape}")
    w = None if weight is None else np.asarray(weight, dtype=np.float64)
    d = X.shape[1]
    options = dict(l2=l2, weight=w, label_smoothing=label_smoothing, logit_adjustment=offset)

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W, b = theta[: d * k].reshape(d, k), theta[d * k :]
        value, gW, gb = regression_objective(W, b, X, y, **options)
        return value, np.concatenate([gW.ravel(), gb])

    # 1. L-BFGS-B from zero to a coarse gradient (docstring: why not further)
    result = minimize(fun, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                      options={"maxiter": max_iter, "gtol": 1e-2, "ftol": 1e-13})
    theta, n_iter = result.x, int(result.nit)
    # 2. Newton's method, which needs only the gradient to be accurate, to the requested gtol.
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    row_mass = _row_target_mass(y, k, w, label_smoothing)
    grad = fun(theta)[1]
    for _ in range(50):
        if np.abs(grad).max() <= gtol:
            break
        Z = Xb @ theta.reshape(d + 1, k) + (0.0 if offset is None else offset)
        theta = theta - np.linalg.solve(_hessian(Xb, softmax(Z), row_mass, l2), grad)
        grad = fun(theta)[1]
        n_iter += 1
    grad_norm = float(np.abs(grad).max())
    if not grad_norm <= gtol:
        raise ValueError(f"gtol: stopped at a gradient of {grad_norm:.3g} > gtol = {gtol:g}; "
                         "raise gtol")
    W, b = theta[: d * k].reshape(d, k), theta[d * k :]
    return SoftmaxRegression(W.copy(), b.copy(), fun(theta)[0], grad_norm, n_iter)


def _row_target_mass(y: np.ndarray, k: int, weight: np.ndarray | None,
                     smoothing: float) -> np.ndarray:
    """``s_i = sum_j q_ij``, the total target mass of each row (1 without class weights)."""
    if weight is None:
        return np.ones(y.shape[0])
    return (1.0 - smoothing) * weight[y] + smoothing * float(np.mean(weight))


def _hessian(Xb: np.ndarray, P: np.ndarray, row_mass: np.ndarray, l2: float) -> np.ndarray:
    """Hessian of the objective in ``theta = [[W], [b]].ravel()``, made invertible.

    Row ``i`` contributes ``s_i (x_i x_i^T) kron (diag(p_i) - p_i p_i^T)`` (the Hessian of
    the cross-entropy in the logits is ``s_i`` times the softmax Jacobian); the penalty adds
    ``l2`` on the ``W`` entries. Shifting every intercept by the same constant changes
    nothing, so ``u u^T`` with ``u`` the normalised all-ones intercept direction is added: the
    gradient is orthogonal to ``u``, so the Newton step is unchanged and has no ``u`` part.
    """
    n, dim = Xb.shape
    k = P.shape[1]
    H = np.zeros((dim, k, dim, k))
    for j in range(k):
        H[:, j, :, j] = (Xb * (row_mass * P[:, j])[:, None]).T @ Xb
    A = (Xb[:, :, None] * P[:, None, :]).reshape(n, dim * k)
    H = H.reshape(dim * k, dim * k) - (A * row_mass[:, None]).T @ A
    penalised = np.arange((dim - 1) * k)
    H[penalised, penalised] += l2
    H[-k:, -k:] += 1.0 / k
    return H


def long_tail_indices(labels: ArrayLike, *, ratio: float, seed: int) -> np.ndarray:
    """Indices of a seeded long-tailed subset: class ``k`` keeps a fraction
    ``ratio ** (-k / (K - 1))`` of its samples.

    Class 0 keeps all its samples, class ``K - 1`` a fraction ``1 / ratio`` (at least one
    sample each), the fractions falling geometrically in between: the "exponential profile"
    of long-tailed benchmarks.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class indices ``0 .. K - 1`` (``K >= 2``).
    ratio : float
        Imbalance ratio, at least 1: the largest class fraction over the smallest.
    seed : int
        Seed of :func:`numpy.random.default_rng`: which samples of each class are kept.

    Returns
    -------
    numpy.ndarray of int64
        Sorted indices into ``labels``.

    Raises
    ------
    TypeError
        If ``labels`` are not integers.
    ValueError
        If ``labels`` is not 1-d with at least two classes, or ``ratio < 1``.

    Examples
    --------
    >>> labels = np.repeat([0, 1, 2], 100)
    >>> keep = long_tail_indices(labels, ratio=25.0, seed=0)
    >>> np.bincount(labels[keep]).tolist()  # 100, 100 / 5, 100 / 25
    [100, 20, 4]
    """
    y = np.asarray(labels)
    if y.dtype.kind not in "iu":
        raise TypeError(f"labels: class indices must be integers, got dtype {y.dtype}")
    if y.ndim != 1 or y.size == 0 or y.max() < 1:
        raise ValueError("labels: expected a 1-d array with at least two classes")
    if not (np.isfinite(ratio) and ratio >= 1):
        raise ValueError(f"ratio: must be at least 1, got {ratio!r}")
    k = int(y.max()) + 1
    rng = np.random.default_rng(seed)
    kept = []
    for c in range(k):
        members = np.flatnonzero(y == c)
        n_keep = max(1, int(round(members.size * ratio ** (-c / (k - 1)))))
        kept.append(rng.permutation(members)[:n_keep])
    return np.sort(np.concatenate(kept)).astype(np.int64)


def evaluate(logits: ArrayLike, labels: ArrayLike, *, n_bins: int = 15) -> dict[str, float]:
    r"""Accuracy, NLL, ECE, Brier score and mean centred logit norm of a classifier.

    Parameters
    ----------
    logits : array_like, shape (N, K)
    labels : array_like of int, shape (N,)
    n_bins : int, default 15
        Bins of :func:`softmax_ce.calibration.expected_calibration_error`.

    Returns
    -------
    dict
        ``accuracy`` (fraction with ``argmax == label``), ``nll`` (mean cross-entropy,
        :func:`softmax_ce.cross_entropy`), ``ece``, ``brier`` (mean over rows of
        :math:`\sum_k (p_k - [k = y])^2`, :func:`softmax_ce.squared_error.squared_error`) and
        ``logit_norm`` (mean over rows of :math:`\lVert z - \bar z \mathbf 1 \rVert_2`, the
        logits' norm after removing their row mean, which softmax ignores); all floats.

    Examples
    --------
    >>> metrics = evaluate([[2.0, 0.0], [0.0, 1.0]], [0, 0])  # p_y = 0.881 (right), 0.269 (wrong)
    >>> {name: round(value, 4) for name, value in metrics.items()}
    {'accuracy': 0.5, 'nll': 0.7201, 'ece': 0.4251, 'brier': 0.5487, 'logit_norm': 1.0607}
    """
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    P = softmax(Z)
    centred = Z - Z.mean(axis=1, keepdims=True)
    return {
        "accuracy": float(np.mean(Z.argmax(axis=1) == y)),
        "nll": float(cross_entropy(Z, y)),
        "ece": float(expected_calibration_error(P, y, n_bins=n_bins)),
        "brier": float(squared_error(Z, y)),
        "logit_norm": float(np.linalg.norm(centred, axis=1).mean()),
    }


@dataclass(frozen=True)
class Table:
    """A table of numbers that a notebook shows as Markdown and stores as the same text.

    Jupyter renders ``_repr_markdown_``; the plain-text form (what nbval compares) is the
    identical Markdown source, so a change in any number shows up as an output difference.

    Attributes
    ----------
    header : tuple of str
        Column titles; the first column holds the row names.
    rows : tuple of tuple
        One row per line: a name, then numbers (formatted with ``digits`` decimals) or text.
    digits : int
        Decimals of the numbers.

    Examples
    --------
    >>> print(repr(Table(("model", "NLL"), (("a", 0.12345), ("b", 1.0)), digits=3)))
    | model | NLL |
    |---|---:|
    | a | 0.123 |
    | b | 1.000 |
    """

    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    digits: int = 4

    def _cell(self, value: object) -> str:
        if isinstance(value, (float, np.floating)):
            return f"{value:.{self.digits}f}"
        return str(value)

    def _repr_markdown_(self) -> str:
        lines = ["| " + " | ".join(self.header) + " |",
                 "|---|" + "---:|" * (len(self.header) - 1)]
        lines += ["| " + " | ".join(self._cell(v) for v in row) + " |" for row in self.rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self._repr_markdown_()
