r"""Binary cross-entropy from logits.

:math:`\ell = -t \log \sigma(x) - (1-t) \log(1 - \sigma(x))`, computed without forming
:math:`\sigma(x)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_float_array, check_reduction, compute_dtype, reduce_losses

__all__ = ["binary_cross_entropy_with_logits"]


def binary_cross_entropy_with_logits(
    logits: ArrayLike, target: ArrayLike, *, reduction: str = "mean"
) -> Any:
    r"""Binary cross-entropy of :math:`\sigma(x)` against targets :math:`t \in [0, 1]`.

    Same values as ``torch.nn.functional.binary_cross_entropy_with_logits`` (without its
    ``weight``/``pos_weight``).

    Parameters
    ----------
    logits : array_like
        Logits :math:`x` (any shape; each entry is one binary problem).
    target : array_like
        Probabilities :math:`t \in [0, 1]` that the label is 1, same shape as ``logits``.
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
        If ``logits`` or ``target`` are complex, object or string.
    ValueError
        If the shapes differ, a target is outside ``[0, 1]`` (or ``nan``), or ``reduction``
        is invalid.

    See Also
    --------
    cross_entropy : the K-class version; with two classes and logits :math:`(0, x)` it gives
        the same loss, since :math:`\operatorname{softmax}(0, x)_2 = \sigma(x)`.

    Notes
    -----
    With :math:`\log \sigma(x) = -\operatorname{softplus}(-x)`, the loss is

    .. math::

        \ell = \begin{cases}
            x (1 - t) + \operatorname{log1p}(e^{-x}) & x \ge 0 \\
            -x\, t + \operatorname{log1p}(e^{x}) & x < 0
        \end{cases}

    Each case adds two non-negative terms and ``exp`` only sees :math:`-|x| \le 0`, so there is
    neither overflow nor cancellation: the result is accurate to a few ulps for
    :math:`|x|` up to 1e300 and beyond (the common form :math:`\max(x, 0) - x t + \ldots`
    cancels when :math:`t` is close to 1 and :math:`x` is large).

    Non-finite logits: ``+inf`` with :math:`t = 1` (or ``-inf`` with :math:`t = 0`) gives 0,
    the limit; an infinite logit against any other target gives ``+inf``; ``nan`` gives
    ``nan``. No ``RuntimeWarning``.

    Examples
    --------
    >>> binary_cross_entropy_with_logits([0.0, 2.0, -3.0], [1.0, 1.0, 0.0], reduction="none")
    array([0.69314718, 0.12692801, 0.04858735])
    >>> float(binary_cross_entropy_with_logits(1e300, 0.0))  # confidently wrong
    1e+300
    >>> float(binary_cross_entropy_with_logits(-800.0, 0.0))  # confidently right: exp(-800)
    0.0
    """
    x = as_float_array(logits, "logits")
    t = as_float_array(target, "target")
    reduction = check_reduction(reduction)
    if t.shape != x.shape:
        raise ValueError(f"target: expected the shape of logits, {x.shape}, got {t.shape}")
    with np.errstate(invalid="ignore"):
        if not ((t >= 0) & (t <= 1)).all():
            bad = t[~((t >= 0) & (t <= 1))].flat[0]
            raise ValueError(f"target: probabilities must lie in [0, 1], found {bad}")
    dtype, work = x.dtype, compute_dtype(x.dtype)
    x, t = x.astype(work, copy=False), t.astype(work, copy=False)
    away = np.where(x >= 0, 1 - t, t)  # the target's mass on the side x points away from
    with np.errstate(invalid="ignore"):
        losses = np.asarray(np.abs(x) * away)
        np.copyto(losses, 0.0, where=away == 0)  # 0 * inf = 0: a fully agreeing infinite logit
        losses += np.log1p(np.exp(-np.abs(x)))
    return reduce_losses(losses, reduction, losses.size, dtype)
