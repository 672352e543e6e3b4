r"""Binary cross-entropy from logits, and its gradient.

:math:`\ell = -w\,[a\,t \log \sigma(x) + (1-t) \log(1 - \sigma(x))]`, computed without forming
:math:`\sigma(x)`; :math:`w` is ``weight`` and :math:`a` is ``pos_weight`` (both 1 by default),
with the semantics of ``torch.nn.functional.binary_cross_entropy_with_logits``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    as_float_array,
    cast_result,
    check_reduction,
    compute_dtype,
    reduce_losses,
)

__all__ = ["binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad"]


def _nonnegative_weights(value: ArrayLike | None, name: str, shape: tuple[int, ...],
                         work: np.dtype) -> np.ndarray | None:
    """``weight``/``pos_weight``: finite, non-negative, broadcastable to the logits' shape."""
    if value is None:
        return None
    w = as_float_array(value, name)
    try:
        np.broadcast_shapes(w.shape, shape)
    except ValueError:
        raise ValueError(f"{name}: shape {w.shape} does not broadcast to the logits' shape "
                         f"{shape}") from None
    if np.broadcast_shapes(w.shape, shape) != shape:
        raise ValueError(f"{name}: shape {w.shape} would enlarge the logits' shape {shape}")
    with np.errstate(invalid="ignore"):
        if not (np.isfinite(w) & (w >= 0)).all():
            bad = float(w[~(np.isfinite(w) & (w >= 0))].flat[0])
            raise ValueError(f"{name}: must be finite and non-negative, found {bad!r}")
    return w.astype(work, copy=False)


def _prepare(logits: ArrayLike, target: ArrayLike, weight: ArrayLike | None,
             pos_weight: ArrayLike | None, reduction: str):
    x = as_float_array(logits, "logits")
    t = as_float_array(target, "target")
    reduction = check_reduction(reduction)
    if t.shape != x.shape:
        raise ValueError(f"target: expected the shape of logits, {x.shape}, got {t.shape}")
    with np.errstate(invalid="ignore"):
        if not ((t >= 0) & (t <= 1)).all():
            bad = t[~((t >= 0) & (t <= 1))].flat[0]
            raise ValueError(f"target: probabilities must lie in [0, 1], found {bad}")
    work = compute_dtype(x.dtype)
    w = _nonnegative_weights(weight, "weight", x.shape, work)
    a = _nonnegative_weights(pos_weight, "pos_weight", x.shape, work)
    return x, t.astype(work, copy=False), w, a, reduction, work


def binary_cross_entropy_with_logits(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Binary cross-entropy of :math:`\sigma(x)` against targets :math:`t \in [0, 1]`.

    Same values as ``torch.nn.functional.binary_cross_entropy_with_logits``, with its
    ``weight`` and ``pos_weight``.

    Parameters
    ----------
    logits : array_like
        Logits :math:`x` (any shape; each entry is one binary problem).
    target : array_like
        Probabilities :math:`t \in [0, 1]` that the label is 1, same shape as ``logits``.
    weight : array_like, optional
        A weight :math:`w \ge 0` per entry, broadcastable to ``logits``' shape (a per-sample
        weight of shape ``(N, 1)``, say). It scales each entry's loss; ``"mean"`` still divides
        by the number of entries, as in torch (not by the weights' sum).
    pos_weight : array_like, optional
        A weight :math:`a \ge 0` on the positive term, broadcastable to ``logits``' shape:
        usually one per label, shape ``(C,)`` for logits ``(N, C)``. :math:`a > 1` raises
        recall, :math:`a < 1` precision; for a label with :math:`n_-` negatives and
        :math:`n_+` positives, :math:`a = n_- / n_+` balances them.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` averages over every entry (``nan`` for an empty input, no warning).

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``reduction="none"``: an array of ``logits``' shape; ``"mean"`` and ``"sum"``: a NumPy
        scalar (e.g. ``numpy.float64``). In ``logits``' floating dtype (float64 for integer
        or boolean input).

    Raises
    ------
    TypeError
        If ``logits``, ``target``, ``weight`` or ``pos_weight`` are complex, object or string.
    ValueError
        If the shapes differ (``weight``/``pos_weight``: do not broadcast to ``logits``'
        shape), a target is outside ``[0, 1]`` (or ``nan``), a weight is negative or not
        finite, or ``reduction`` is invalid.

    See Also
    --------
    binary_cross_entropy_with_logits_grad : its gradient with respect to the logits.
    cross_entropy : the K-class version; with two classes and logits :math:`(0, x)` it gives
        the same loss, since :math:`\operatorname{softmax}(0, x)_2 = \sigma(x)`.

    Notes
    -----
    With :math:`-\log \sigma(x) = \operatorname{softplus}(-x)`,
    :math:`\operatorname{softplus}(x) = \max(x, 0) + \operatorname{log1p}(e^{-|x|})`, the loss is

    .. math::

        \ell / w = a\,t \operatorname{softplus}(-x) + (1 - t) \operatorname{softplus}(x)
        = |x| \cdot \begin{cases} 1 - t & x \ge 0 \\ a\,t & x < 0 \end{cases}
        + (a\,t + 1 - t)\operatorname{log1p}(e^{-|x|}) .

    Both terms are non-negative and ``exp`` only sees :math:`-|x| \le 0`, so there is neither
    overflow nor cancellation: the result is accurate to a few ulps for :math:`|x|` up to
    1e300 and beyond (the common form :math:`\max(x, 0) - x t + \ldots` cancels when
    :math:`t` is close to 1 and :math:`x` is large). Without ``pos_weight`` the factor
    :math:`a\,t + 1 - t` is exactly 1 and is not computed.

    Non-finite logits: ``+inf`` with :math:`t = 1` (or ``-inf`` with :math:`t = 0`) gives 0,
    the limit; an infinite logit against any other target gives ``+inf``; ``nan`` gives
    ``nan``. An entry of weight 0 contributes exactly 0, even where its loss is infinite
    (torch gives ``nan`` there: :math:`0 \cdot \infty`). No ``RuntimeWarning``.

    Examples
    --------
    >>> binary_cross_entropy_with_logits([0.0, 2.0, -3.0], [1.0, 1.0, 0.0], reduction="none")
    array([0.69314718, 0.12692801, 0.04858735])
    >>> float(binary_cross_entropy_with_logits(1e300, 0.0))  # confidently wrong
    1e+300
    >>> float(binary_cross_entropy_with_logits(-800.0, 0.0))  # confidently right: exp(-800)
    0.0

    Two labels, the second rare: ``pos_weight`` per label, ``weight`` per sample.

    >>> x = np.array([[1.0, -2.0], [0.5, -1.0]])
    >>> t = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> binary_cross_entropy_with_logits(x, t, pos_weight=[1.0, 4.0], reduction="none")
    array([[0.31326169, 0.12692801],
           [0.97407698, 5.25304675]])
    >>> float(binary_cross_entropy_with_logits(x, t, weight=[[1.0], [0.0]]))  # drop sample 2
    0.1100...
    """
    x, t, w, a, reduction, work = _prepare(logits, target, weight, pos_weight, reduction)
    dtype = x.dtype
    xw = x.astype(work, copy=False)
    abs_x = np.abs(xw)
    positive_side = t if a is None else a * t  # the weight of the term -log sigma(x)
    away = np.where(xw >= 0, 1 - t, positive_side)  # the mass on the side x points away from
    with np.errstate(invalid="ignore", over="ignore"):
        losses = np.asarray(abs_x * away)
        np.copyto(losses, 0.0, where=away == 0)  # 0 * inf = 0: a fully agreeing infinite logit
        softplus_tail = np.log1p(np.exp(-abs_x))
        losses += softplus_tail if a is None else (positive_side + (1 - t)) * softplus_tail
        if w is not None:
            losses = np.where(w == 0, 0.0, losses * w)
    return reduce_losses(np.asarray(losses, work), reduction, losses.size, dtype)


def binary_cross_entropy_with_logits_grad(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``logits``.

    Parameters
    ----------
    logits, target, weight, pos_weight, reduction
        As :func:`binary_cross_entropy_with_logits`. For ``reduction="none"`` the result is
        the gradient of the *sum* of the per-entry losses (each entry's own derivative).

    Returns
    -------
    numpy.ndarray
        ``logits``' shape and floating dtype: what ``torch.autograd`` gives for ``logits`` after
        ``loss.backward()`` (``loss.sum().backward()`` for ``"none"``).

    Raises
    ------
    TypeError, ValueError
        As :func:`binary_cross_entropy_with_logits`.

    Notes
    -----
    .. math::

        \frac{\partial \ell}{\partial x} = w\,[(a\,t + 1 - t)\,\sigma(x) - a\,t],

    which is :math:`\sigma(x) - t` without weights (the binary case of :math:`p - y`).
    :math:`\sigma(x)` is computed as :math:`1/(1 + e^{-x})` for :math:`x \ge 0` and
    :math:`e^{x}/(1 + e^{x})` otherwise, without overflow; ``"mean"`` divides by the number of
    entries. An infinite logit gives the limit (``sigma`` is 0 or 1); ``nan`` gives ``nan``.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([0.0, 2.0], [1.0, 0.0], reduction="sum")
    array([-0.5       ,  0.88079708])
    >>> binary_cross_entropy_with_logits_grad([0.0], [1.0], pos_weight=[3.0], reduction="sum")
    array([-1.5])
    """
    x, t, w, a, reduction, work = _prepare(logits, target, weight, pos_weight, reduction)
    xw = x.astype(work, copy=False)
    with np.errstate(over="ignore", under="ignore"):
        e = np.exp(-np.abs(xw))  # in (0, 1]: no overflow
    sigma = np.where(xw >= 0, 1 / (1 + e), e / (1 + e))
    if a is None:
        grad = sigma - t
    else:
        grad = (a * t + (1 - t)) * sigma - a * t
    if w is not None:
        grad = grad * w
    grad = np.asarray(grad, work)
    if reduction == "mean":
        grad = grad / grad.size if grad.size else grad
    return cast_result(grad, x.dtype)
