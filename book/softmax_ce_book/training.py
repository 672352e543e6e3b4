"""A small, seeded softmax-regression trainer for the book's experiments.

Linear logits ``Z = X W + b`` trained by full-batch gradient descent, with either the package's
cross-entropy (:func:`softmax_ce.cross_entropy` / :func:`softmax_ce.cross_entropy_grad`) or the
squared error of the softmax probabilities (:func:`softmax_ce.squared_error`), so chapters can
compare the two losses on the same problem from the same starting point. Everything is
deterministic: data come from a seeded generator and gradient descent has no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from softmax_ce import cross_entropy, cross_entropy_grad
from softmax_ce.squared_error import squared_error, squared_error_grad

__all__ = [
    "History",
    "loss_and_gradients",
    "make_classification",
    "train_softmax_regression",
]

LossName = Literal["cross_entropy", "squared_error"]


def make_classification(
    n_samples: int,
    n_classes: int,
    n_features: int,
    *,
    seed: int,
    separation: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs: one unit-variance cloud per class around well-separated means.

    Parameters
    ----------
    n_samples, n_classes, n_features : int
        Number of rows, classes and features.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same data.
    separation : float, optional
        Distance scale of the class means (larger is easier).

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    labels : ndarray of int64, shape (n_samples,)
        Balanced classes ``0 .. n_classes - 1`` in shuffled order.

    Examples
    --------
    >>> X, labels = make_classification(6, 3, 2, seed=0)
    >>> X.shape, labels.shape, sorted(labels.tolist())
    ((6, 2), (6,), [0, 0, 1, 1, 2, 2])
    """
    if n_samples < 1 or n_classes < 1 or n_features < 1:
        raise ValueError("n_samples, n_classes, n_features: must all be at least 1")
    rng = np.random.default_rng(seed)
    means = separation * rng.standard_normal((n_classes, n_features))
    labels = rng.permutation(np.arange(n_samples) % n_classes).astype(np.int64)
    X = means[labels] + rng.standard_normal((n_samples, n_features))
    return X, labels


def loss_and_gradients(
    W: np.ndarray,
    b: np.ndarray,
    X: np.ndarray,
    labels: np.ndarray,
    *,
    loss: LossName = "cross_entropy",
) -> tuple[float, np.ndarray, np.ndarray]:
    """Mean loss of the linear softmax model and its gradients with respect to ``W`` and ``b``.

    The chain rule through ``Z = X W + b``: with ``G = ∂loss/∂Z`` (from the package),
    ``∂loss/∂W = Xᵀ G`` and ``∂loss/∂b = Σ_i G_i``.

    Returns
    -------
    value : float
        The mean loss over the rows.
    grad_W : ndarray, shape like ``W``
    grad_b : ndarray, shape like ``b``

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); labels = np.array([0, 1])
    >>> W = np.zeros((2, 2)); b = np.zeros(2)
    >>> value, gW, gb = loss_and_gradients(W, b, X, labels)
    >>> round(value, 6), gW.tolist(), gb.tolist()
    (0.693147, [[-0.25, 0.25], [0.25, -0.25]], [0.0, 0.0])
    """
    Z = X @ W + b
    if loss == "cross_entropy":
        value = cross_entropy(Z, labels)
        G = cross_entropy_grad(Z, labels)
    elif loss == "squared_error":
        value = squared_error(Z, labels)
        G = squared_error_grad(Z, labels)
    else:
        raise ValueError(f"loss: must be 'cross_entropy' or 'squared_error', got {loss!r}")
    return float(value), X.T @ G, G.sum(axis=0)


@dataclass(frozen=True)
class History:
    """What :func:`train_softmax_regression` returns.

    Attributes
    ----------
    W, b : ndarray
        The final parameters.
    loss : ndarray, shape (epochs + 1,)
        Mean training loss before each step, and after the last one.
    accuracy : ndarray, shape (epochs + 1,)
        Training accuracy at the same moments.
    grad_norm : ndarray, shape (epochs + 1,)
        Euclidean norm of the full gradient ``(∂/∂W, ∂/∂b)`` at the same moments.
    """

    W: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    grad_norm: np.ndarray


def train_softmax_regression(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    loss: LossName = "cross_entropy",
    lr: float = 0.5,
    epochs: int = 100,
    init: tuple[np.ndarray, np.ndarray] | None = None,
    n_classes: int | None = None,
) -> History:
    """Train ``Z = X W + b`` by full-batch gradient descent on the mean ``loss``.

    Parameters
    ----------
    X : ndarray, shape (N, d)
    labels : ndarray of int, shape (N,)
    loss : {"cross_entropy", "squared_error"}
        Cross-entropy of ``softmax(Z)`` against the labels, or the squared error
        ``Σ_k (softmax(Z)_k - onehot_k)²`` (mean over rows).
    lr : float
        Step size.
    epochs : int
        Number of gradient steps.
    init : (W, b), optional
        Starting parameters (copied, never modified), shapes ``(d, K)`` and ``(K,)``; zeros
        by default.
    n_classes : int, optional
        :math:`K`, the number of classes (columns of ``W``). Default: from ``init`` if given,
        else ``labels.max() + 1`` — pass it when the highest class may be absent from
        ``labels`` (a subsample), or the model gets too few columns.

    Returns
    -------
    History

    Raises
    ------
    TypeError
        If ``labels`` are not integers, or ``lr``, ``epochs`` or ``n_classes`` is not a
        number of the right kind.
    ValueError
        If ``X`` is not 2-d or has no rows, ``labels``' shape is not ``(N,)``, a label is
        outside ``[0, K)``, ``init``'s shapes are not ``(d, K)`` and ``(K,)`` or disagree
        with ``n_classes``, ``lr`` is not positive and finite, ``epochs`` is negative, or
        ``loss`` is unknown. Every message names the argument.

    Examples
    --------
    >>> X, labels = make_classification(200, 3, 2, seed=1)
    >>> h = train_softmax_regression(X, labels, lr=0.5, epochs=50)
    >>> bool(h.loss[-1] < h.loss[0]), float(h.accuracy[-1]) > 0.9
    (True, True)
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X: expected a 2-d array (samples, features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X: has no rows (samples); at least one is needed to train")
    labels = _as_labels(labels)
    if labels.shape != (X.shape[0],):
        raise ValueError(f"labels: expected shape ({X.shape[0]},), got {labels.shape}")
    if loss not in ("cross_entropy", "squared_error"):
        raise ValueError(f"loss: must be 'cross_entropy' or 'squared_error', got {loss!r}")
    if isinstance(lr, (bool, np.bool_)) or not isinstance(
        lr, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"lr: expected a real number, got {lr!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr: must be positive and finite, got {lr!r}")
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"epochs: expected an integer, got {epochs!r}")
    if epochs < 0:
        raise ValueError(f"epochs: must be non-negative, got {epochs!r}")
    W, b, k = _initial_parameters(X.shape[1], labels, init, n_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        bad = int(labels[(labels < 0) | (labels >= k)][0])
        raise ValueError(f"labels: class index {bad} out of range [0, {k})")

    losses, accuracies, norms = [], [], []
    for step in range(epochs + 1):
        value, gW, gb = loss_and_gradients(W, b, X, labels, loss=loss)
        losses.append(value)
        accuracies.append(float(np.mean(np.argmax(X @ W + b, axis=1) == labels)))
        norms.append(float(np.sqrt(np.sum(gW**2) + np.sum(gb**2))))
        if step < epochs:
            W = W - lr * gW
            b = b - lr * gb
    return History(W, b, np.array(losses), np.array(accuracies), np.array(norms))


def _as_labels(labels: np.ndarray) -> np.ndarray:
    """Integer class labels as int64; ``TypeError`` naming ``labels`` for anything else."""
    arr = np.asarray(labels)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"labels: class indices must be integers, got an array of dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def _initial_parameters(
    d: int,
    labels: np.ndarray,
    init: tuple[np.ndarray, np.ndarray] | None,
    n_classes: int | None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Validated float64 copies of ``(W, b)`` and the number of classes ``K``."""
    if n_classes is not None:
        if isinstance(n_classes, (bool, np.bool_)) or not isinstance(
            n_classes, (int, np.integer)
        ):
            raise TypeError(f"n_classes: expected an integer or None, got {n_classes!r}")
        if n_classes < 1:
            raise ValueError(f"n_classes: must be at least 1, got {n_classes}")
    if init is None:
        k = int(labels.max()) + 1 if n_classes is None else int(n_classes)
        return np.zeros((d, k)), np.zeros(k), k
    try:
        W, b = (np.array(a, dtype=np.float64) for a in init)
    except (TypeError, ValueError) as err:
        raise ValueError(f"init: expected a pair (W, b) of real arrays ({err})") from None
    if W.ndim != 2 or W.shape[0] != d or b.shape != (W.shape[1],):
        raise ValueError(
            f"init: expected W of shape ({d}, K) and b of shape (K,), got {W.shape} and {b.shape}"
        )
    k = W.shape[1]
    if n_classes is not None and n_classes != k:
        raise ValueError(f"n_classes: {n_classes} disagrees with init's {k} classes")
    return W, b, k
