"""Argument checks shared by the public functions.

Every check raises an exception whose message starts with the name of the offending argument
(``"target: class index 7 out of range [0, 5)"``), so a user can tell at once which argument
to fix. ``TypeError`` is raised for a wrong *kind* of value (complex logits, float class
indices), ``ValueError`` for a wrong *value* (a negative probability, a bad axis).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "PYTORCH_IGNORE_INDEX",
    "REDUCTIONS",
    "as_float_array",
    "as_index_array",
    "cast_result",
    "check_class_axis",
    "check_class_indices",
    "check_distribution",
    "check_ignore_index",
    "check_label_smoothing",
    "check_num_classes",
    "check_probability_dtype",
    "check_reduction",
    "check_temperature",
    "check_weight",
    "compute_dtype",
    "distribution_tolerance",
    "index_target",
    "reduce_losses",
]

REDUCTIONS = ("none", "mean", "sum")

#: The padding label that ``torch.nn.functional.cross_entropy`` skips by default; here nothing is
#: skipped unless ``ignore_index`` is given, so an out-of-range -100 gets a hint saying so.
PYTORCH_IGNORE_INDEX = -100


def as_float_array(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a floating-point array, without copying when it already is one.

    float16, float32 and float64 (and longdouble) keep their dtype; booleans and integers
    promote to float64. Complex, object, string and other dtypes raise ``TypeError``.
    """
    arr = np.asarray(x)
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "biu":
        return arr.astype(np.float64)
    raise TypeError(
        f"{name}: expected real numbers (float, int or bool), got an array of dtype {arr.dtype}"
    )


def compute_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype the arithmetic runs in: float16 is widened to float32, the others are kept."""
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def as_index_array(target: Any, name: str, *, probability_hint: bool = False) -> np.ndarray:
    """Return integer class indices as an int64 array; reject floats, bools and the rest.

    An empty floating-point array is accepted as an empty int64 array: ``np.asarray([])`` is
    float64, and an empty list of labels is a valid (empty) list of class indices. With
    ``probability_hint`` (for functions that also accept class probabilities) the message for
    floating-point indices suggests passing probabilities with the shape of the logits.
    """
    arr = np.asarray(target)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "f" and arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind == "f" and probability_hint:
        raise TypeError(
            f"{name}: class indices must be integers, got an array of dtype {arr.dtype} "
            "(pass class probabilities with the shape of the logits instead)"
        )
    raise TypeError(f"{name}: class indices must be integers, got an array of dtype {arr.dtype}")


def check_class_axis(ndim: int, axis: Any, name: str = "x", what: str = "logits") -> int:
    """Normalise ``axis`` to ``0 <= axis < ndim``; the input must have at least one axis.

    ``what`` says what the argument holds (``"logits"``, ``"probabilities"`` ...), for the
    message about a 0-d input.
    """
    if ndim == 0:
        raise ValueError(
            f"{name}: a 0-d (scalar) input has no class axis; pass at least a 1-d array of {what}"
        )
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis: expected an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis: {axis} is out of range for a {ndim}-d input")
    return int(axis) % ndim


def check_num_classes(k: int, name: str = "x") -> None:
    """There must be at least one class."""
    if k == 0:
        raise ValueError(f"{name}: the class axis has length 0 (zero classes)")


def _real_scalar(value: Any) -> Any:
    """A 0-d array becomes its scalar (so ``np.array(2.0)`` counts as a number)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def check_temperature(temperature: Any) -> float:
    """``temperature`` must be a real number (or 0-d array), positive and finite."""
    temperature = _real_scalar(temperature)
    if isinstance(temperature, (bool, np.bool_)) or not isinstance(
        temperature, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"temperature: expected a real number, got {temperature!r}")
    t = float(temperature)
    if not (math.isfinite(t) and t > 0):
        raise ValueError(f"temperature: must be positive and finite, got {temperature!r}")
    return t


def check_label_smoothing(label_smoothing: Any) -> float:
    """``label_smoothing`` must be a real number (or 0-d array) in [0, 1]."""
    label_smoothing = _real_scalar(label_smoothing)
    if isinstance(label_smoothing, (bool, np.bool_)) or not isinstance(
        label_smoothing, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"label_smoothing: expected a real number, got {label_smoothing!r}")
    eps = float(label_smoothing)
    if not 0.0 <= eps <= 1.0:  # also rejects nan
        raise ValueError(f"label_smoothing: must lie in [0, 1], got {label_smoothing!r}")
    return eps


def check_reduction(reduction: Any) -> str:
    """``reduction`` is one of ``"none"``, ``"mean"``, ``"sum"``."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction: must be one of 'none', 'mean', 'sum', got {reduction!r}")
    return reduction


def check_ignore_index(ignore_index: Any) -> int | None:
    """``ignore_index`` is ``None`` or an integer."""
    if ignore_index is None:
        return None
    if isinstance(ignore_index, (bool, np.bool_)) or not isinstance(
        ignore_index, (int, np.integer)
    ):
        raise TypeError(f"ignore_index: expected an integer or None, got {ignore_index!r}")
    return int(ignore_index)


def check_weight(
    weight: Any, k: int, dtype: np.dtype, *, rescale: bool = False
) -> np.ndarray | None:
    """``weight`` is ``None`` or a real array of shape ``(K,)``, returned in ``dtype``.

    With ``rescale`` (for ``reduction="mean"``, which is invariant to scaling all weights)
    the weights are multiplied by a power of 2 that brings the largest ``|w_j|`` into
    ``[1, 2)``: exact, so a moderate weight vector gives bit-identical results, while weights
    near the top of the float range (``1e308``, or ``1e39`` for float32 logits) no longer
    overflow the weighted sums. The cast to ``dtype`` rounds without a ``RuntimeWarning``.
    """
    if weight is None:
        return None
    w = as_float_array(weight, "weight")
    if w.shape != (k,):
        raise ValueError(f"weight: expected shape ({k},) (one weight per class), got {w.shape}")
    if rescale and w.size:
        w = w.astype(np.result_type(w.dtype, np.float64), copy=False)
        top = float(np.abs(w).max())
        if math.isfinite(top) and top > 0:
            exponent = math.frexp(top)[1] - 1  # 2**exponent <= top < 2**(exponent + 1)
            if exponent:
                w = np.ldexp(w, -exponent)
    return cast_result(w, dtype)


def check_class_indices(
    target: np.ndarray, k: int, ignore_index: int | None, name: str = "target"
) -> None:
    """Every index lies in ``[0, K)``, except entries equal to ``ignore_index``."""
    if target.size == 0:
        return
    bad = (target < 0) | (target >= k)
    if ignore_index is not None:
        bad &= target != ignore_index
    if bad.any():
        value = int(target[bad].flat[0])
        if ignore_index is not None:
            hint = f" (ignore_index is {ignore_index})"
        elif value == PYTORCH_IGNORE_INDEX:
            hint = (f" ({PYTORCH_IGNORE_INDEX} is PyTorch's default ignore_index, a padding label:"
                    f" pass ignore_index={PYTORCH_IGNORE_INDEX} to skip these entries)")
        else:
            hint = ""
        raise ValueError(f"{name}: class index {value} out of range [0, {k}){hint}")


def distribution_tolerance(*dtypes: np.dtype) -> float:
    """How far from 1 a probability vector's sum may be: ``sqrt(eps)`` of the least precise
    of ``dtypes`` and float32 (3.5e-4 for float64 and float32 data, 0.031 for float16)."""
    eps = max(float(np.finfo(dt).eps) for dt in (*dtypes, np.float32))
    return math.sqrt(eps)


def check_probability_dtype(y: np.ndarray, name: str = "target") -> None:
    """A target with the logits' shape is read as class probabilities: it must be float."""
    if y.dtype.kind != "f":
        raise TypeError(
            f"{name}: has the shape of logits, so it is read as class probabilities, which "
            f"must be floating point; got dtype {y.dtype}"
        )


def check_distribution(
    p: np.ndarray, axis: int, name: str, *, compute: np.dtype | None = None
) -> None:
    """Entries are non-negative, not nan, and each slice along ``axis`` sums to 1.

    The sum is accepted within ``sqrt(eps)`` of 1 (:func:`distribution_tolerance`), with
    ``eps`` the machine epsilon of the less precise of ``p``'s dtype, the ``compute`` dtype
    (if given) and float32: about 3.5e-4 for float64 and float32, 0.031 for float16.
    float32 is the floor because probabilities are very often normalised in float32 (PyTorch,
    JAX, ``softmax`` of float32 logits) and widened to float64 afterwards; their sums are
    then off by float32 rounding errors (~6e-8 already for 10 classes, more for many),
    beyond float64's own ``sqrt(eps)`` = 1.5e-8. The tolerance still catches logits, counts or percentages
    passed by mistake.
    """
    if p.size == 0:
        return
    with np.errstate(invalid="ignore"):
        if not (p >= 0).all():  # also catches nan
            bad = p[~(p >= 0)].flat[0]
            raise ValueError(
                f"{name}: probabilities must be non-negative and not nan, found {bad}"
            )
    sums = p.sum(axis=axis, dtype=compute_dtype(p.dtype))
    tol = distribution_tolerance(p.dtype, *(() if compute is None else (compute,)))
    with np.errstate(invalid="ignore"):
        off = ~(np.abs(sums - 1) <= tol)
    if off.any():
        raise ValueError(
            f"{name}: probabilities must sum to 1 along axis {axis} (within {tol:.2g}), "
            f"found a sum of {float(sums[off].flat[0])!r}"
        )


def index_target(
    target: np.ndarray,
    k: int,
    ignore_index: int | None,
    weight: np.ndarray | None,
    dtype: np.dtype,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prepare validated class-index targets for gathering.

    Returns ``(safe, keep, row_weight)``, all with ``target``'s shape: ``safe`` is the target
    with ignored entries replaced by class 0 (so it can index), ``keep`` is ``True`` where the
    entry is not ignored, and ``row_weight`` is ``weight[target]`` (1 without weights), 0 where
    ignored.
    """
    check_class_indices(target, k, ignore_index)
    if ignore_index is None:
        keep, safe = np.ones(target.shape, bool), target
    else:
        keep = target != ignore_index
        safe = np.where(keep, target, 0)
    if weight is None:
        row_weight = keep.astype(dtype)
    else:
        row_weight = np.where(keep, weight[safe], 0).astype(dtype)
    return safe, keep, row_weight


def cast_result(a: Any, dtype: np.dtype) -> Any:
    """Round a result computed in a wider dtype back to ``dtype`` (float16 results), and apply
    the package's one rule for what a function returns.

    The rule, as NumPy's own reductions: a result with no axes left is a NumPy scalar of
    ``dtype`` (``numpy.float64``, ``numpy.float32`` ...), never a 0-d array; a result with at
    least one axis is an ``ndarray``. A value beyond the range of ``dtype`` becomes ``±inf``,
    its correctly rounded value, without a ``RuntimeWarning``.
    """
    with np.errstate(over="ignore"):
        if isinstance(a, np.ndarray):
            a = a.astype(dtype, copy=False)
            return a[()] if a.ndim == 0 else a
        return np.dtype(dtype).type(a)


def reduce_losses(losses: np.ndarray, reduction: str, denominator: float, dtype: np.dtype) -> Any:
    """Apply ``reduction`` to per-row losses: as is, their sum, or their sum / ``denominator``.

    No ``RuntimeWarning``: a sum beyond the float range is ``inf`` (its correctly rounded
    value), but a *mean* of finite losses whose sum overflows is still computed (after scaling
    by the largest loss), and a mean over an empty set (``denominator == 0``) is ``nan``.
    """
    if reduction == "none":
        return cast_result(losses, dtype)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        total = losses.sum()
        if reduction == "mean":
            den = total.dtype.type(denominator)
            if np.isinf(total) and np.isfinite(losses).all():  # the sum overflowed
                scale = np.abs(losses).max()
                total = (losses / scale).sum() * (scale / den)
            else:
                total = total / den
    return cast_result(total, dtype)
