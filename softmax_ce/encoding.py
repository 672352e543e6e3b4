"""One-hot encoding of integer class labels."""

from __future__ import annotations


import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from ._validation import as_index_array, check_class_indices, check_positive_int

__all__ = ["one_hot"]


def one_hot(labels: ArrayLike, num_classes: int, dtype: DTypeLike = np.float64) -> np.ndarray:
    """Encode integer class labels as one-hot vectors along a new last axis.

    Parameters
    ----------
    labels : array_like of int
        Class indices, each in ``[0, num_classes)``; any shape (a scalar gives one vector).
        An empty list is accepted (``np.asarray([])`` is float64, but holds no float).
    num_classes : int
        :math:`K \\ge 1`, the length of each vector.
    dtype : data-type, default numpy.float64
        Of the result.

    Returns
    -------
    numpy.ndarray
        Shape ``labels.shape + (num_classes,)``: 1 at each label, 0 elsewhere.

    Raises
    ------
    TypeError
        If ``labels`` are not integers (floats, bools, ...), or ``num_classes`` is not an int.
    ValueError
        If a label is outside ``[0, num_classes)``, or ``num_classes < 1``.

    See Also
    --------
    cross_entropy : accepts the labels directly, or their one-hot (or any probability) form.

    Examples
    --------
    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    >>> one_hot(1, 2, dtype=np.float32)
    array([0., 1.], dtype=float32)
    """
    k = check_positive_int(num_classes, "num_classes")
    y = as_index_array(labels, "labels")
    check_class_indices(y, k, None, "labels")
    out = np.zeros(y.shape + (k,), dtype=dtype)
    np.put_along_axis(out, y[..., None], 1, axis=-1)
    return out

