r"""Softmax cross-entropy from logits, and its gradient :math:`\operatorname{softmax}(z) - y`.

The semantics are those of ``torch.nn.functional.cross_entropy``: class-index or
class-probability targets, per-class ``weight``, ``ignore_index``, ``label_smoothing`` and
``reduction``. The loss is computed from the logits in log space, one cache-sized block of rows
at a time, without forming the matrix of probabilities or log-probabilities.

Non-finite logits follow the package policy (see :mod:`softmax_ce.activations`): a ``-inf``
logit of a class with zero target probability contributes exactly 0 (a mask); a ``-inf`` logit
of a class with positive target probability gives a loss of ``+inf``; a row that is all
``-inf``, or contains ``+inf`` or ``nan``, gives ``nan``. No ``RuntimeWarning`` is emitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._blocks import map_blocks
from ._kernels import cross_entropy_grad_kernel, index_loss_kernel, prob_loss_kernel, soft_target
from ._reductions import column_sum
from ._validation import (
    as_float_array,
    as_index_array,
    cast_result,
    check_class_axis,
    check_distribution,
    check_probability_dtype,
    check_ignore_index,
    check_label_smoothing,
    check_num_classes,
    check_reduction,
    check_weight,
    compute_dtype,
    index_target,
    reduce_losses,
)

__all__ = ["cross_entropy", "cross_entropy_grad"]


# --- argument handling -----------------------------------------------------------------------


@dataclass
class _Problem:
    """Validated arguments, class axis moved last (views), in the compute dtype."""

    x: np.ndarray  # (..., K)
    dtype: np.dtype  # the logits' own dtype (results are returned in it)
    axis: int
    index: bool  # class-index targets (else probabilities)
    target: np.ndarray  # (...) int64 indices, ignored entries set to 0; or (..., K) probabilities
    keep: np.ndarray | None  # (...) False where ignored (index targets only)
    row_weight: np.ndarray | None  # (...) w[target], 0 where ignored (index targets only)
    weight: np.ndarray | None  # (K,)
    smoothing: float
    reduction: str

    @property
    def denominator(self) -> float:
        """What "mean" divides by: sum of w[target] over kept rows, or the number of rows."""
        if self.index:
            with np.errstate(over="ignore"):  # huge weights with "sum"/"none": unused here
                return float(self.row_weight.sum())
        return float(self.x.size // self.x.shape[-1])


def _problem(
    logits: ArrayLike,
    target: ArrayLike,
    axis: Any,
    weight: Any,
    ignore_index: Any,
    label_smoothing: Any,
    reduction: Any,
) -> _Problem:
    x = as_float_array(logits, "logits")
    axis = check_class_axis(x.ndim, axis, "logits")
    k = x.shape[axis]
    check_num_classes(k, "logits")
    smoothing = check_label_smoothing(label_smoothing)
    reduction = check_reduction(reduction)
    ignore_index = check_ignore_index(ignore_index)
    work = compute_dtype(x.dtype)
    xs = np.moveaxis(x.astype(work, copy=False), axis, -1)
    y = np.asarray(target)
    index = y.shape == xs.shape[:-1]
    # the index-target mean divides by sum_i w[y_i], so it is invariant to scaling all weights
    w = check_weight(weight, k, work, rescale=index and reduction == "mean")
    if index:  # class indices
        indices = as_index_array(y, "target", probability_hint=True)
        safe, keep, row_weight = index_target(indices, k, ignore_index, w, work)
        return _Problem(xs, x.dtype, axis, True, safe, keep, row_weight, w, smoothing, reduction)
    if y.shape == x.shape:  # class probabilities
        check_probability_dtype(y, "target")
        if ignore_index is not None:
            raise ValueError(
                f"ignore_index: applies to class-index targets only, but target has the shape "
                f"of logits and is read as class probabilities (got ignore_index={ignore_index}; "
                "torch raises too)"
            )
        check_distribution(y, axis, "target", compute=work)
        ys = np.moveaxis(y.astype(work, copy=False), axis, -1)
        return _Problem(xs, x.dtype, axis, False, ys, None, None, w, smoothing, reduction)
    raise ValueError(
        f"target: shape {y.shape} matches neither class indices (logits' shape without the class "
        f"axis, {xs.shape[:-1]}) nor class probabilities (logits' shape, {x.shape})"
    )


# --- public API ------------------------------------------------------------------------------


def cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> Any:
    r"""Cross-entropy between ``softmax(logits)`` and a target, computed from the logits.

    Same semantics as ``torch.nn.functional.cross_entropy`` (see Notes for the one
    deliberate difference, 0·log 0).

    Parameters
    ----------
    logits : array_like
        Unnormalised scores :math:`z`, shape ``(N, K)``, ``(K,)`` or ``(N, K, d1, ...)`` with
        ``axis=1`` (torch's layout), or any shape with the classes on ``axis``.
    target : array_like
        Either integer class indices in ``[0, K)``, with ``logits``' shape without the class
        axis; or class probabilities (floating point, non-negative, summing to 1 along
        ``axis``), with ``logits``' shape.
    axis : int, default -1
        The class axis of ``logits`` (and of probability targets).
    weight : array_like of shape (K,), optional
        A weight per class, :math:`w_j` (default all 1).
    ignore_index : int, optional
        Class-index targets equal to it contribute neither loss nor gradient and are left out
        of the mean's denominator. Class indices only: with probability targets it raises
        ``ValueError`` (torch raises too, for any value but its default -100).
    label_smoothing : float in [0, 1], default 0
        :math:`\varepsilon`: the target becomes :math:`(1-\varepsilon)\,y + \varepsilon/K`, a
        mix with the uniform distribution (:math:`\varepsilon/K` on every class, the true one
        included).
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"none"``: the loss of each row, ``logits``' shape without the class axis.
        ``"sum"``: their sum. ``"mean"``: with class-index targets, the sum divided by
        :math:`\sum_i w_{y_i}` over non-ignored rows (the number of them without ``weight``);
        with probability targets, divided by the number of rows.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``reduction="none"``: an array of ``logits``' shape without the class axis (a NumPy
        scalar for a single sample, by the package's rule: a result with no axes is a NumPy
        scalar); ``"mean"`` and ``"sum"``: a NumPy scalar (e.g. ``numpy.float64``). In ``logits``' floating dtype (float64 for integer or boolean
        input).

    Raises
    ------
    TypeError
        If ``logits`` or ``weight`` are not real numbers, class indices are not integers, a
        target with ``logits``' shape (read as probabilities) is not floating point (e.g. an
        integer one-hot matrix), or ``ignore_index`` or ``label_smoothing`` is not a number.
    ValueError
        If a class index is outside ``[0, K)`` (and not ``ignore_index``), ``target``'s shape
        matches neither form, probability targets are negative, nan or do not sum to 1,
        ``ignore_index`` is given with probability targets, ``logits`` has no or zero
        classes, or ``axis``, ``weight``'s shape, ``label_smoothing`` or ``reduction`` is
        invalid. The message names the argument. The sums are accepted within
        :math:`\sqrt{\epsilon}` of 1, :math:`\epsilon` the machine epsilon of the less
        precise of the target's dtype, the compute dtype and float32 (3.5e-4 for float64 and
        float32): probabilities normalised in float32 and widened to float64 are accepted.

    See Also
    --------
    cross_entropy_grad : its gradient with respect to the logits.
    nll_loss : the same loss from log-probabilities.
    log_softmax, logsumexp

    Notes
    -----
    For one row with logits :math:`z` and target distribution :math:`q`,

    .. math::

        \ell = -\sum_j q_j \log \operatorname{softmax}(z)_j
             = \sum_j q_j \bigl(\operatorname{logsumexp}(z) - z_j\bigr),

    and for a class index :math:`y`, :math:`\ell = \operatorname{logsumexp}(z) - z_y`: the
    log-probabilities are never formed. With weights the terms are :math:`w_j q_j` (for an
    index target: :math:`(1-\varepsilon) w_y \cdot (\ldots) + \frac{\varepsilon}{K}\sum_j w_j
    \cdot(\ldots)`, exactly torch's formula, including its denominator
    :math:`\sum_i w_{y_i}` for the smoothed weighted mean).

    The computation uses :math:`\operatorname{logsumexp}(z) - z_j = (m - z_j) +
    \operatorname{log1p}(t)` with :math:`m = \max z`: both terms are :math:`\ge 0`, so a
    confident correct prediction gets its tiny loss to full relative precision.

    Non-finite values: a zero-probability class contributes exactly 0 even where its logit
    is ``-inf`` (0·log 0 = 0; torch gives ``nan`` there); a ``-inf`` logit on a class with
    positive target probability gives ``+inf``; a row that is all ``-inf`` or contains
    ``+inf`` or ``nan`` gives ``nan``. ``"mean"`` over an empty set (every target ignored,
    no rows, or zero total weight) is ``nan``, as in torch, without a ``RuntimeWarning``.
    The same rule covers ``label_smoothing`` with a class of weight 0 and logit ``-inf``: its
    smoothing term :math:`w_j (\log Z - z_j)` is taken as 0, in both target forms.

    With class-index targets ``"mean"`` is invariant to scaling all weights, so for it the
    weights are first scaled by a power of 2 (exactly) to a largest :math:`|w_j|` in
    :math:`[1, 2)`: weights up to the float maximum give the exact weighted mean instead of an
    overflow.

    Examples
    --------
    >>> from softmax_ce import one_hot
    >>> logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    >>> float(cross_entropy(logits, [0, 1]))
    0.3185...
    >>> cross_entropy(logits, [0, 1], reduction="none")
    array([0.41703002, 0.22004952])
    >>> float(cross_entropy(logits, one_hot([0, 1], 3)))  # probability targets: same loss
    0.3185...
    >>> float(cross_entropy([1000.0, 0.0], 1))  # a confident mistake: exactly 1000, no overflow
    1000.0
    """
    problem = _problem(logits, target, axis, weight, ignore_index, label_smoothing, reduction)
    x, w, eps = problem.x, problem.weight, problem.smoothing
    losses = np.empty(x.shape[:-1], x.dtype)
    if problem.index:
        kernel = partial(index_loss_kernel, weight=w, smoothing=eps)
        map_blocks(kernel, x, losses, samples=(problem.target, problem.row_weight), work=1)
        losses[~problem.keep] = 0.0
    else:

        def prob_loss(xb: np.ndarray, ob: np.ndarray, yb: np.ndarray, work: np.ndarray) -> None:
            prob_loss_kernel(xb, ob, soft_target(yb, w, eps), work)

        map_blocks(prob_loss, x, losses, columns=(problem.target,), work=1)
    return reduce_losses(losses, problem.reduction, problem.denominator, problem.dtype)


def cross_entropy_grad(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    axis: int = -1,
    weight: ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits: softmax minus target.

    This is the book's headline result: for one row with a target distribution :math:`y`
    (summing to 1),

    .. math:: \frac{\partial \ell}{\partial z_j} = \operatorname{softmax}(z)_j - y_j .

    Parameters
    ----------
    logits, target, axis, weight, ignore_index, label_smoothing, reduction
        Exactly as in :func:`cross_entropy`; the gradient is that of the loss it returns.

    Returns
    -------
    numpy.ndarray
        Shaped like ``logits``, in its floating dtype.
        ``reduction="mean"``: the gradient of the mean (every row divided by the mean's
        denominator). ``"sum"``: the gradient of the sum. ``"none"``: the gradient of the
        *sum of the unreduced losses*, i.e. each row holds the gradient of its own loss
        (rows do not interact).

    Raises
    ------
    TypeError, ValueError
        As :func:`cross_entropy`.

    See Also
    --------
    cross_entropy, softmax, softmax_jvp

    Notes
    -----
    With weights and label smoothing the row gradient is, with
    :math:`q = w \odot \bigl((1-\varepsilon)y + \varepsilon/K\bigr)`
    (for an index target, :math:`q_j = (1-\varepsilon) w_y [j = y] + \frac{\varepsilon}{K} w_j`),

    .. math:: \nabla_z \ell = \Bigl(\sum_k q_k\Bigr) \operatorname{softmax}(z) - q ,

    which reduces to :math:`\operatorname{softmax}(z) - y` when :math:`w = 1` and
    :math:`\varepsilon = 0`. It is computed in one logits-sized buffer (the result), block by
    block: the softmax is written in place and the target mass subtracted.

    Ignored rows get exactly zero gradient. If the ``"mean"`` denominator is 0 (every target
    ignored or zero weight), the loss is ``nan``; the gradient is then 0 for ignored rows and
    ``nan`` for the others, as in torch. No ``RuntimeWarning`` is emitted.

    Examples
    --------
    >>> from softmax_ce import one_hot, softmax
    >>> logits = np.array([[2.0, 1.0, 0.1]])
    >>> cross_entropy_grad(logits, [0])
    array([[-0.34099886,  0.24243297,  0.09856589]])
    >>> softmax(logits) - one_hot([0], 3)  # the same: softmax minus the one-hot target
    array([[-0.34099886,  0.24243297,  0.09856589]])
    >>> cross_entropy_grad(logits, [0]).sum()  # every row of the gradient sums to 0
    np.float64(0.0)
    """
    problem = _problem(logits, target, axis, weight, ignore_index, label_smoothing, reduction)
    x, eps = problem.x, problem.smoothing
    k = x.shape[-1]
    out = np.empty(x.shape, x.dtype)  # the one logits-sized buffer: C-contiguous, classes last
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = np.float64(1.0) / problem.denominator if problem.reduction == "mean" else 1.0
        if problem.index:
            # per-sample coefficients, O(N): q_j = q_target [j = y] + q_uniform * w_j
            keep = problem.keep
            q_target = (scale * (1.0 - eps) * problem.row_weight).astype(x.dtype)
            q_uniform = (scale * eps / k * keep).astype(x.dtype)
            w = np.ones(k, x.dtype) if problem.weight is None else problem.weight
            mass = np.where(keep, q_target + q_uniform * w.sum(), 0.0).astype(x.dtype)

            def index_grad(
                xb: np.ndarray,
                ob: np.ndarray,
                yb: np.ndarray,
                q_yb: np.ndarray,
                q_uniform_b: np.ndarray,
                mass_b: np.ndarray,
                work: np.ndarray,
            ) -> None:
                q = w[:, None] * q_uniform_b if eps else None
                cross_entropy_grad_kernel(xb, ob, work, mass_b, q, yb, q_yb)

            samples = (problem.target, q_target, q_uniform, mass)
            map_blocks(index_grad, x, out, samples=samples, work=1)
            out.reshape(-1, k)[~keep.reshape(-1)] = 0.0  # ignored samples: exactly 0, even inf/nan
        else:

            def prob_grad(xb: np.ndarray, ob: np.ndarray, yb: np.ndarray, work: np.ndarray) -> None:
                q = scale * soft_target(yb, problem.weight, eps)
                cross_entropy_grad_kernel(xb, ob, work, column_sum(q), q)

            map_blocks(prob_grad, x, out, columns=(problem.target,), work=1)
    return cast_result(np.moveaxis(out, -1, problem.axis), problem.dtype)
