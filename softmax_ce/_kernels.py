r"""The mathematical kernels: softmax, log-softmax, log-sum-exp and cross-entropy of one block.

A kernel reads a ``(K, b)`` block ``x`` of logits, one column per sample, and writes its result
into ``out``; :func:`softmax_ce._blocks.map_blocks` runs it over the blocks of the input. Each
kernel is its formula in a few NumPy calls, and it is the code that runs. With
:math:`m = \max_k z_k` and :math:`t = \sum_{j \ne \arg\max} e^{z_j - m}` (the sum without the
maximum's term :math:`e^0 = 1`):

* softmax: :math:`e^{z_j - m} / \sum_k e^{z_k - m}`; every exponent is :math:`\le 0`;
* log-softmax: :math:`(z_j - m) - \operatorname{log1p}(t)`, and log-sum-exp:
  :math:`m + \operatorname{log1p}(t)`; ``log1p`` keeps every digit of a tiny :math:`t`
  (Blanchard, Higham & Higham 2021);
* cross-entropy gradient: :math:`(\sum_k q_k) \operatorname{softmax}(z) - q`.

The reductions (maximum, sum, sum without the maximum's term) come from
``softmax_ce._reductions``, which picks the fastest way for the block's number of classes.

Examples
--------
>>> x = np.array([[1.0, 0.0], [2.0, -40.0], [3.0, -40.0]])  # two samples (columns), K = 3
>>> out = np.empty_like(x)
>>> softmax_kernel(x, out, np.empty_like(x))
>>> out[:, 0]
array([0.09003057, 0.24472847, 0.66524096])
>>> log_softmax_kernel(x, out, np.empty_like(x), np.empty_like(x))
>>> float(out[0, 1])  # -log1p(2 exp(-40)), not 0
-8.496708510583178e-18
"""

from __future__ import annotations

import numpy as np

from ._reductions import column_max, column_sum, pick, subtract_at, sum_exp_except_max

__all__ = [
    "cross_entropy_grad_kernel",
    "index_loss_kernel",
    "log_softmax_kernel",
    "logsumexp_kernel",
    "prob_loss_kernel",
    "shift",
    "soft_target",
    "softmax_kernel",
]


def shift(x: np.ndarray, m: np.ndarray, out: np.ndarray, temperature: float = 1.0) -> None:
    """out <- z - max z with z = x / T, given m = max x: the largest entry becomes exactly 0."""
    if temperature == 1.0:
        np.subtract(x, m, out=out)
    elif temperature > 1.0:  # shrink first: x / T cannot overflow
        np.divide(x, temperature, out=out)
        out -= m / temperature  # rounds exactly as the largest entry of out did
    else:  # subtract first: (x - m) / T overflows only where the exact value does
        np.subtract(x, m, out=out)
        out /= temperature


def softmax_kernel(x: np.ndarray, out: np.ndarray, e: np.ndarray, temperature: float = 1.0) -> None:
    """out <- softmax(z) = exp(z - m) / sum(exp(z - m)) for each column z = x / T of x."""
    m, _ = column_max(x)  # for T > 0, a largest x is also a largest x / T
    shift(x, m, e, temperature)  # e = z - m <= 0: exp cannot overflow
    np.exp(e, out=e)
    np.divide(e, column_sum(e), out=out)  # the sum is >= 1: no division by 0


def log_softmax_kernel(
    x: np.ndarray, out: np.ndarray, d: np.ndarray, scratch: np.ndarray, temperature: float = 1.0
) -> None:
    """out <- log softmax(z) = (z - m) - log1p(t) for each column z = x / T of x."""
    m, top = column_max(x)
    shift(x, m, d, temperature)  # d = z - m <= 0, exactly 0 at the maximum
    t = sum_exp_except_max(d, scratch, top)  # the sum without the maximum's term e^0 = 1
    np.subtract(d, np.log1p(t), out=out)  # log1p keeps every digit of a tiny t


def logsumexp_kernel(x: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> None:
    """out (1, b) <- logsumexp(z) = m + log1p(t) for each column z of x."""
    m, top = column_max(x)
    d = np.subtract(x, m, out=scratch)
    np.add(m, np.log1p(sum_exp_except_max(d, d, top)), out=out)
    np.copyto(out, m, where=~np.isfinite(m))  # all -inf -> -inf, +inf -> +inf, nan -> nan


def cross_entropy_grad_kernel(
    x: np.ndarray, out: np.ndarray, e: np.ndarray, mass: np.ndarray, q: np.ndarray | None,
    target: np.ndarray | None = None, q_target: np.ndarray | None = None
) -> None:
    """out <- mass * softmax(z) - q for each column z of x, where mass = sum(q) and the target
    q is the dense q (probabilities, smoothing) plus q_target at the class index target."""
    m, _ = column_max(x)
    shift(x, m, e)  # e = z - m <= 0
    np.exp(e, out=e)
    np.multiply(e, mass / column_sum(e), out=out)  # (sum_k q_k) softmax(z)
    if q is not None:
        out -= q  # probability targets, label smoothing
    if target is not None:
        subtract_at(out, target, q_target)  # out[target[i], i] -= q_target[i]


def index_loss_kernel(
    x: np.ndarray,
    out: np.ndarray,
    target: np.ndarray,
    row_weight: np.ndarray,
    scratch: np.ndarray,
    weight: np.ndarray | None = None,
    smoothing: float = 0.0,
) -> None:
    r"""out (1, b) <- loss of each sample (column) for class-index targets :math:`y`.

    :math:`(1-\varepsilon)\, w_y (\log Z - z_y)
    + \frac{\varepsilon}{K} \sum_j w_j (\log Z - z_j)`, with
    :math:`\log Z - z_j = (m - z_j) + \operatorname{log1p}(t)`: two non-negative terms, so
    nothing cancels.
    """
    k = x.shape[0]
    m, top = column_max(x)
    d = np.subtract(x, m, out=scratch)  # d = z - m <= 0
    if smoothing:  # sum_j w_j (m - z_j), read before d is overwritten
        if weight is None:
            uniform = -column_sum(d)
        else:  # a class of weight 0 adds exactly 0, even where z_j = -inf (0·inf = 0)
            used = weight != 0
            uniform = -(weight[None, :] @ d if used.all() else weight[None, used] @ d[used])
    log1p_t = np.log1p(sum_exp_except_max(d, d, top))  # log Z = m + log1p(t)
    z_y = pick(x, target)
    np.multiply((1.0 - smoothing) * row_weight, (m - z_y) + log1p_t, out=out)
    if smoothing:
        total_weight = k if weight is None else weight.sum()
        out += smoothing / k * (uniform + total_weight * log1p_t)


def soft_target(y: np.ndarray, weight: np.ndarray | None, smoothing: float) -> np.ndarray:
    """q = w * ((1 - eps) y + eps / K) for a (K, b) block y: the weighted, smoothed target."""
    q = y if not smoothing else (1.0 - smoothing) * y + smoothing / y.shape[0]
    return q if weight is None else q * weight[:, None]


def prob_loss_kernel(x: np.ndarray, out: np.ndarray, q: np.ndarray, scratch: np.ndarray) -> None:
    r"""out (1, b) <- loss of each sample (column) for target distributions :math:`q`.

    :math:`\sum_j q_j (\log Z - z_j) = (\sum_j q_j) \operatorname{log1p}(t) - \sum_j q_j (z_j - m)`.
    A class with :math:`q_j = 0` adds exactly 0, even where :math:`z_j = -\infty` (0·∞ = 0).
    """
    m, top = column_max(x)
    d = np.subtract(x, m, out=scratch)  # d = z - m <= 0, -inf for a masked class
    q_d = q * d
    np.copyto(q_d, 0.0, where=q == 0)  # 0 * log 0 = 0: a zero-probability class adds nothing
    log1p_t = np.log1p(sum_exp_except_max(d, d, top))
    np.subtract(column_sum(q) * log1p_t, column_sum(q_d), out=out)
