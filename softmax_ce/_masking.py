"""The ``where=`` mask of softmax, log_softmax, logsumexp and the softmax derivatives.

``where`` is a boolean array broadcastable to the logits; True keeps an entry. A masked entry is
replaced by ``-inf`` before anything is computed, so its value (even ``nan`` or ``±inf``) never
reaches the row, and it comes out as exactly 0 (softmax) or ``-inf`` (log_softmax). A row with
no kept entry is all 0 (softmax), all ``-inf`` (log_softmax), ``-inf`` (logsumexp): the
empty sum is 0, its log ``-inf``, and a distribution over no classes has no mass anywhere. This
is what ``jax.nn.softmax(x, where=...)`` returns for such a row; ``torch.softmax`` of a row
``masked_fill``-ed with ``-inf`` everywhere is ``nan``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["check_where", "mask_logits", "no_kept_entry"]


def check_where(where: Any, shape: tuple[int, ...]) -> np.ndarray:
    """``where`` as a boolean array broadcast (read-only view) to ``shape``."""
    mask = np.asarray(where)
    if mask.dtype != np.bool_:
        raise TypeError(f"where: expected a boolean array (True keeps an entry), got dtype "
                        f"{mask.dtype}")
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise ValueError(f"where: shape {mask.shape} does not broadcast to the logits' shape "
                         f"{shape}") from None


def mask_logits(x: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """A new array: ``x`` where ``keep``, ``-inf`` elsewhere (``x``'s dtype)."""
    return np.where(keep, x, x.dtype.type(-np.inf))


def no_kept_entry(keep: np.ndarray, axis: int) -> np.ndarray:
    """True for the rows (along ``axis``, kept as a length-1 axis) with nothing kept."""
    return ~keep.any(axis=axis, keepdims=True)
