"""Centred finite-difference gradients in float64, and a gradient checker.

Used by the test suite and the book to verify every analytic gradient (``softmax - y``, the
Jacobian, ...) against a derivative computed from function values alone.

Why float64 only: a centred difference ``(f(x + h) - f(x - h)) / 2h`` has truncation error
``~ h^2 |f'''| / 6`` and rounding error ``~ eps |f| / h``; the total is smallest near
``h ~ eps^(1/3)``, where it is ``~ eps^(2/3)``: about ``4e-11`` relative in float64 but
``2.5e-5`` in float32 and ``1e-2`` in float16 — too coarse to tell a right gradient from a
slightly wrong one. PyTorch users met exactly this: pytorch/pytorch issue #5351 reports a
"wrong" ``nn.Linear`` gradient that was only ``gradcheck`` run in single precision
(numerical -0.3576 vs analytical -0.3512; the answer was to use ``.double()``), and PR #8663
made ``gradcheck`` warn on non-float64 inputs. Here the input is always converted to
float64; the function under test should compute in float64 too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["numerical_gradient", "check_gradient"]

#: ``eps^(1/3)`` for float64, about 6.06e-6: the step that balances truncation and rounding.
DEFAULT_RELATIVE_STEP = float(np.finfo(np.float64).eps ** (1.0 / 3.0))


def _scalar(value: object) -> float:
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"f: must return a scalar, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def numerical_gradient(
    f: Callable[[np.ndarray], object],
    x: npt.ArrayLike,
    *,
    h: float | npt.ArrayLike | None = None,
) -> np.ndarray:
    """Gradient of a scalar function by centred finite differences, in float64.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``; called with float64 arrays shaped like ``x`` (``2 * x.size``
        calls). It must not modify its argument.
    x : array_like
        The point; converted to a float64 copy (``x`` itself is never modified).
    h : float or array_like, optional
        Step(s), broadcast to ``x``'s shape. Default ``eps^(1/3) * max(1, |x_i|)`` with
        ``eps`` the float64 machine epsilon (about ``6.06e-6 * max(1, |x_i|)``): this balances
        the ``O(h^2)`` truncation error against the ``O(eps / h)`` rounding error, and scaling
        by ``|x_i|`` keeps ``x_i +- h`` distinct from ``x_i`` for large coordinates. Each step
        is adjusted so that ``x_i + h`` is exactly representable, and the quotient uses the
        exact distance between the two evaluation points.

    Returns
    -------
    numpy.ndarray
        ``df/dx``, float64, shaped like ``x``.

    Raises
    ------
    ValueError
        If ``f`` does not return a scalar, or a step is not positive and finite, is so
        small that ``x_i + h == x_i``, or so large that ``x_i ± h`` overflows (e.g. near
        ``x_i = 1.79e308``).

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: np.sum(v ** 3), np.array([1.0, -2.0]))
    >>> np.allclose(g, [3.0, 12.0], rtol=1e-9)
    True
    """
    x0 = np.array(x, dtype=np.float64, copy=True)
    if h is None:
        steps = DEFAULT_RELATIVE_STEP * np.maximum(1.0, np.abs(x0))
    else:
        steps = np.broadcast_to(np.asarray(h, dtype=np.float64), x0.shape)
    if not np.all(np.isfinite(steps) & (steps > 0)):
        raise ValueError("h: steps must be positive and finite")
    grad = np.empty_like(x0)
    work = x0.copy()
    flat_work = work.reshape(-1)
    for idx, (xi, hi) in enumerate(zip(x0.reshape(-1), steps.reshape(-1))):
        with np.errstate(over="ignore", invalid="ignore"):
            plus = xi + hi
            minus = xi - (plus - xi)
        if not (np.isfinite(plus) and np.isfinite(minus)):
            raise ValueError(
                f"h: the step {hi:.3g} takes x = {xi:.17g} at flat index {idx} beyond the "
                "float64 range"
            )
        if not plus > minus:
            raise ValueError(
                f"h: the step {hi:.3g} does not change x = {xi:.17g} at flat index {idx}"
            )
        flat_work[idx] = plus
        f_plus = _scalar(f(work))
        flat_work[idx] = minus
        f_minus = _scalar(f(work))
        flat_work[idx] = xi
        grad.reshape(-1)[idx] = (f_plus - f_minus) / (plus - minus)
    return grad


def check_gradient(
    f: Callable[[np.ndarray], object],
    grad: Callable[[np.ndarray], npt.ArrayLike] | npt.ArrayLike,
    x: npt.ArrayLike,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    h: float | npt.ArrayLike | None = None,
) -> float:
    """Compare an analytic gradient with :func:`numerical_gradient`; raise if they differ.

    Parameters
    ----------
    f : callable
        Scalar function of a float64 array.
    grad : callable or array_like
        The analytic gradient: a function ``grad(x)`` or its value at ``x``.
    x : array_like
        The point (converted to float64).
    rtol, atol : float
        Tolerances of the elementwise test ``|analytic - numeric| <= atol + rtol * |numeric|``
        (``numpy.allclose``'s convention). The defaults suit float64 functions of moderate
        size: the centred difference itself is accurate to about ``1e-10`` relative.
    h : float or array_like, optional
        Finite-difference step, as in :func:`numerical_gradient`.

    Returns
    -------
    float
        The normwise relative error ``max_i |analytic_i - numeric_i| / max_i |numeric_i|``
        (the absolute error if the numeric gradient is 0).

    Raises
    ------
    AssertionError
        If some entry fails the elementwise test; the message gives the worst entry's index,
        both values and the error.
    ValueError
        If the analytic gradient's shape differs from ``x``'s.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.5, -1.0, 2.0])
    >>> err = check_gradient(lambda v: np.sum(np.sin(v)), np.cos, x)
    >>> err < 1e-9
    True
    >>> check_gradient(lambda v: np.sum(np.sin(v)), np.sin, x)
    Traceback (most recent call last):
    ...
    AssertionError: gradient mismatch at index (1,): analytic -0.841471, numeric 0.540302 ...
    """
    x64 = np.array(x, dtype=np.float64, copy=True)
    numeric = numerical_gradient(f, x64, h=h)
    analytic_raw = grad(x64.copy()) if callable(grad) else grad
    analytic = np.asarray(analytic_raw, dtype=np.float64)
    if analytic.shape != x64.shape:
        raise ValueError(
            f"grad: analytic gradient has shape {analytic.shape}, expected {x64.shape}"
        )
    diff = np.abs(analytic - numeric)
    scale = float(np.max(np.abs(numeric), initial=0.0))
    max_diff = float(np.max(diff, initial=0.0))
    rel = max_diff / scale if scale > 0 else max_diff
    excess = diff - (atol + rtol * np.abs(numeric))
    if excess.size and (not np.all(np.isfinite(diff)) or np.max(excess) > 0):
        ranked = np.where(np.isnan(excess), np.inf, excess)
        worst = np.unravel_index(int(np.argmax(ranked)), x64.shape)
        raise AssertionError(
            f"gradient mismatch at index {tuple(int(i) for i in worst)}: "
            f"analytic {analytic[worst]:.6g}, numeric {numeric[worst]:.6g} "
            f"(|diff| {diff[worst]:.3g} > atol + rtol*|numeric| = "
            f"{atol + rtol * abs(numeric[worst]):.3g}); normwise relative error {rel:.3g}. "
            "If the function computes in float32/float16 the difference quotient itself is "
            "inaccurate (pytorch/pytorch#5351): compute in float64."
        )
    return rel
