r"""Softmax, log-softmax and log-sum-exp, accurate for logits of any magnitude.

The class axis is ``axis=-1`` by default, as in the machine-learning libraries (SciPy's
default is the whole array). float16 and float32 inputs keep their dtype (float16 is computed
in float32 and rounded once at the end); booleans and integers promote to float64; complex,
object and string inputs raise ``TypeError``. A 0-d input has no class axis and raises
``ValueError``, as does a class axis of length 0.

Accuracy
--------
With :math:`m = \max_k z_k` and :math:`t = \sum_{j \ne \arg\max} e^{z_j - m}` (the sum
*without* the term :math:`e^0 = 1` of the largest logit),

.. math::

   \operatorname{logsumexp}(z) = m + \operatorname{log1p}(t), \qquad
   \log \operatorname{softmax}(z)_j = (z_j - m) - \operatorname{log1p}(t), \qquad
   \operatorname{softmax}(z)_j = \frac{e^{z_j - m}}{1 + t}.

Every exponent is :math:`\le 0`, so nothing overflows, and ``log1p(t)`` keeps the digits that
``log(1 + t)`` or ``x - logsumexp(x)`` would lose when :math:`t` is tiny (Blanchard, Higham &
Higham 2021): ``log_softmax([0, -40])[0]`` is ``-4.248354255291589e-18``, not ``0``. For
finite logits of any magnitude the results agree with a 50-digit mpmath reference to about
``1e-13`` relative in float64. The only exception is inherent to the problem, not to the
algorithm: a ``logsumexp`` or ``log_softmax`` result close to 0 *through cancellation* between
logits of opposite sign (e.g. ``logsumexp([-log 2, -log 2]) = 0``) is accurate to about
``1e-16`` *absolute*.

Non-finite policy
-----------------
One policy for the whole package; no ``RuntimeWarning`` is ever emitted, for finite or
non-finite input, including logits of ±1e308 whose difference overflows.

* ``logsumexp`` follows ``scipy.special.logsumexp``: a row that is all ``-inf`` gives
  ``-inf``; a row containing ``+inf`` (and no ``nan``) gives ``+inf``, also when it contains
  ``-inf`` as well; a row containing ``nan`` gives ``nan``.
* ``softmax`` and ``log_softmax``: ``-inf`` entries in a row that has at least one finite
  entry give exactly ``0`` and ``-inf`` respectively, and the other entries are exact as if
  those classes did not exist (a mask). A row that is all ``-inf``, or contains ``+inf``, or
  contains ``nan`` gives ``nan`` in *every* entry of that row: the value is undefined
  (:math:`0/0` or :math:`\infty/\infty`). PyTorch does the same, and so does SciPy's
  ``softmax``, but SciPy's ``log_softmax([inf, 0])`` is ``[nan, -inf]`` (JAX not checked
  here). Other rows are unaffected.
* Finite logits never produce ``nan``. When :math:`z_j - m` overflows (e.g. ``-1e308 - 1e308``)
  it becomes ``-inf``: the exact value is below the most negative float, so the softmax entry
  is exactly 0 and the log-softmax entry is ``-inf`` (the correctly rounded result).
* ``temperature``: the result is that for :math:`z = x / T`. For :math:`T \ge 1` the division
  happens before the subtraction of the maximum, so it cannot overflow needlessly; for
  :math:`T < 1` it happens after, so :math:`(x_j - m)/T` is rounded twice instead of
  :math:`x_j / T` losing :math:`|x_j| / T` ulps (SciPy's ``softmax(x / T)`` can be ~1e-12
  off where this is ~1e-15). A float32 or float16 input with a :math:`T` outside float32's
  normal range (below ``finfo(float32).tiny`` ~1.2e-38 or above its maximum ~3.4e38, e.g.
  ``T = 1e-300``) is computed in float64 and rounded once, instead of dividing by a
  :math:`T` that float32 rounds to 0, to a subnormal or to ``inf``.

Speed and memory
----------------
Each function moves the class axis last (a view) and runs a short kernel (``softmax_kernel``,
``log_softmax_kernel``, ``logsumexp_kernel`` in ``softmax_ce._kernels``) over cache-sized
blocks of samples (see ``softmax_ce._blocks``), writing into the freshly allocated result
with ``out=``: no logits-sized temporaries, and ``logsumexp`` needs only block-sized scratch
memory. A kernel sees a ``(K, b)`` block, one column per sample, so per-sample maxima and sums
are rows of length ``b``; for few classes (:math:`K \le 32`) the block is staged as a
contiguous copy, because NumPy is far faster on long contiguous rows than on many short ones.
The result has the input's shape; for ``axis`` other than the last it is a view whose class
axis is stored last (use ``np.ascontiguousarray`` if the layout matters).

References
----------
P. Blanchard, D. J. Higham and N. J. Higham, "Accurately computing the log-sum-exp and softmax
functions", IMA Journal of Numerical Analysis 41(4), 2311-2330, 2021.
https://doi.org/10.1093/imanum/draa038
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._blocks import map_blocks
from ._kernels import log_softmax_kernel, logsumexp_kernel, softmax_kernel
from ._masking import check_where, mask_logits, no_kept_entry
from ._validation import (
    as_float_array,
    cast_result,
    check_class_axis,
    check_num_classes,
    check_temperature,
    compute_dtype,
)

__all__ = ["log_softmax", "logsumexp", "softmax"]


# --- drivers: validate, move the class axis last, run the kernel block by block --------------


def _logits(x: ArrayLike, axis: Any, name: str = "x") -> tuple[np.ndarray, int]:
    arr = as_float_array(x, name)
    axis = check_class_axis(arr.ndim, axis, name)
    check_num_classes(arr.shape[axis], name)
    return arr, axis


def _rowwise(x: np.ndarray, axis: int, kernel: Any, temperature: float, work: int) -> np.ndarray:
    """``kernel`` (softmax or log-softmax) of every sample of ``x``, class axis ``axis``.

    ``T`` is applied in float64 where the compute dtype cannot hold it: float32 (the compute
    dtype of float16 and float32 input) turns a ``T`` below its smallest normal number into 0
    or a subnormal (nan, or a few correct bits) and one above its largest into ``inf``; the
    result is then rounded once to ``x``'s dtype.
    """
    info = np.finfo(compute_dtype(x.dtype))
    wide = temperature != 1.0 and not float(info.tiny) <= temperature <= float(info.max)
    x_wide = x.astype(np.float64) if wide else x
    xs = np.moveaxis(x_wide.astype(compute_dtype(x_wide.dtype), copy=False), axis, -1)
    out = np.empty(xs.shape, xs.dtype)  # C-contiguous with the class axis last
    map_blocks(partial(kernel, temperature=temperature), xs, out, work=work)
    return cast_result(np.moveaxis(out, -1, axis), x.dtype)


# --- public API ------------------------------------------------------------------------------


def softmax(
    x: ArrayLike, axis: int = -1, *, temperature: float = 1.0, where: ArrayLike | None = None
) -> np.ndarray:
    r"""Softmax along ``axis``: probabilities :math:`e^{z_j} / \sum_k e^{z_k}`, :math:`z = x/T`.

    Parameters
    ----------
    x : array_like
        Logits, at least 1-d. Integers and booleans are promoted to float64.
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        :math:`T > 0`, finite. :math:`T \to 0` approaches the one-hot argmax,
        :math:`T \to \infty` the uniform distribution.
        A Python or NumPy real number, or a 0-d array. Applied exactly also where ``x``'s
        dtype cannot represent it (computed in float64, then rounded once).
    where : array_like of bool, optional
        A mask broadcastable to ``x``: True keeps an entry. Masked entries are left out of the
        row (their values, even ``nan`` or ``±inf``, are never read) and give exactly 0; a row with
        no kept entry gives all 0 (not ``nan``). See Notes.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``; each slice along ``axis`` is non-negative and
        sums to 1.

    Raises
    ------
    TypeError
        If ``x`` is complex, object or string, ``axis`` is not an integer, or
        ``temperature`` is not a real number.
    ValueError
        If ``x`` is 0-d, the class axis has length 0, ``axis`` is out of range, or
        ``temperature`` is not positive and finite.

    See Also
    --------
    log_softmax : its logarithm, computed without ``log`` of a rounded probability.
    logsumexp : the normaliser; softmax is its gradient.
    softmax_jacobian, softmax_jvp : derivatives.

    Notes
    -----
    Computed as :math:`e^{z_j - m} / \sum_k e^{z_k - m}` with :math:`m = \max_k z_k`: the same
    value (softmax is invariant to shifting all logits), but every exponent is :math:`\le 0`,
    so ``exp`` cannot overflow, and the denominator is :math:`\ge 1`. It divides by the sum
    rather than computing :math:`e^{z_j - \operatorname{logsumexp}(z)}`, the division-free
    variant that Blanchard, Higham & Higham (2021) show can lose accuracy.

    Non-finite input (see the module's "Non-finite policy"): ``-inf`` entries among finite
    ones give exactly 0; a row that is all ``-inf`` or contains ``+inf`` or ``nan`` is ``nan``
    throughout. No ``RuntimeWarning`` is emitted.

    Masks (``where``): as ``jax.nn.softmax(x, where=...)``. The usual PyTorch idiom,
    ``x.masked_fill(~mask, -inf)``, gives ``nan`` for a row with no kept entry (an all
    ``-inf`` row), and a padding entry holding ``nan`` poisons its whole row; with ``where``
    neither happens.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0])
    array([0.09003057, 0.24472847, 0.66524096])
    >>> softmax([1000.0, 1001.0])  # np.exp(1000) would overflow to inf
    array([0.26894142, 0.73105858])
    >>> softmax([1.0, 2.0, 3.0], temperature=100.0)  # close to uniform
    array([0.33000561, 0.33332222, 0.33667217])
    >>> softmax([[0.0, -np.inf], [-np.inf, -np.inf]])  # a masked entry; a fully masked row
    array([[ 1.,  0.],
           [nan, nan]])
    """
    arr, axis = _logits(x, axis)
    t = check_temperature(temperature)
    if where is None:
        return _rowwise(arr, axis, softmax_kernel, t, work=1)
    keep = check_where(where, arr.shape)
    p = _rowwise(mask_logits(arr, keep), axis, softmax_kernel, t, work=1)
    return np.where(no_kept_entry(keep, axis), p.dtype.type(0), p)  # the empty row: all 0


def log_softmax(
    x: ArrayLike, axis: int = -1, *, temperature: float = 1.0, where: ArrayLike | None = None
) -> np.ndarray:
    r"""Logarithm of the softmax along ``axis``, computed directly in log space.

    Parameters
    ----------
    x : array_like
        Logits, at least 1-d. Integers and booleans are promoted to float64.
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        :math:`T > 0`, finite; the result is :math:`\log \operatorname{softmax}(x / T)`.
        A Python or NumPy real number, or a 0-d array. Applied exactly also where ``x``'s
        dtype cannot represent it (computed in float64, then rounded once).
    where : array_like of bool, optional
        A mask broadcastable to ``x``: True keeps an entry. Masked entries are left out of the
        row (their values, even ``nan`` or ``±inf``, are never read) and give ``-inf``; a row with
        no kept entry gives all ``-inf``. See Notes.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``; every entry is :math:`\le 0`.

    Raises
    ------
    TypeError
        If ``x`` is complex, object or string, ``axis`` is not an integer, or
        ``temperature`` is not a real number.
    ValueError
        If ``x`` is 0-d, the class axis has length 0, ``axis`` is out of range, or
        ``temperature`` is not positive and finite.

    See Also
    --------
    softmax, logsumexp

    Notes
    -----
    With :math:`m = \max_k z_k` and :math:`t = \sum_{j \ne \arg\max} e^{z_j - m}`,

    .. math:: \log \operatorname{softmax}(z)_j = (z_j - m) - \operatorname{log1p}(t).

    ``np.log(softmax(x))`` fails where a probability underflows to 0 (it gives ``-inf`` for a
    finite logit), and ``x - logsumexp(x)`` cancels when one logit dominates; this form does
    neither: ``log1p(t)`` keeps its relative accuracy for tiny :math:`t` (Blanchard, Higham
    & Higham 2021).

    Non-finite input: a ``-inf`` entry among finite ones gives ``-inf``; a row that is all
    ``-inf`` or contains ``+inf`` or ``nan`` is ``nan`` throughout. No ``RuntimeWarning``.

    Masks (``where``): as ``jax.nn.log_softmax(x, where=...)``. The usual PyTorch idiom,
    ``x.masked_fill(~mask, -inf)``, gives ``nan`` for a row with no kept entry (an all
    ``-inf`` row), and a padding entry holding ``nan`` poisons its whole row; with ``where``
    neither happens.

    References
    ----------
    P. Blanchard, D. J. Higham and N. J. Higham, "Accurately computing the log-sum-exp and
    softmax functions", IMA J. Numer. Anal. 41(4), 2311-2330, 2021.
    https://doi.org/10.1093/imanum/draa038

    Examples
    --------
    >>> log_softmax([1000.0, 1.0])
    array([   0., -999.])
    >>> with np.errstate(divide="ignore"):  # the naive way: the 2nd probability underflows
    ...     np.log(softmax([1000.0, 1.0]))
    array([  0., -inf])
    >>> float(log_softmax([0.0, -40.0])[0])  # -log1p(exp(-40)), not 0
    -4.248354255291589e-18
    """
    arr, axis = _logits(x, axis)
    t = check_temperature(temperature)
    if where is None:
        return _rowwise(arr, axis, log_softmax_kernel, t, work=2)
    keep = check_where(where, arr.shape)
    lp = _rowwise(mask_logits(arr, keep), axis, log_softmax_kernel, t, work=2)
    return np.where(no_kept_entry(keep, axis), lp.dtype.type(-np.inf), lp)  # log 0 = -inf


def logsumexp(
    x: ArrayLike, axis: int = -1, *, keepdims: bool = False, where: ArrayLike | None = None
) -> np.ndarray:
    r"""Log of the sum of exponentials along ``axis``: :math:`\log \sum_k e^{x_k}`.

    Parameters
    ----------
    x : array_like
        At least 1-d. Integers and booleans are promoted to float64.
    axis : int, default -1
        The axis to reduce.
    keepdims : bool, default False
        Keep the reduced axis with length 1 (so the result broadcasts against ``x``).
    where : array_like of bool, optional
        A mask broadcastable to ``x``: True keeps an entry. Masked entries are left out of the
        row (their values, even ``nan`` or ``±inf``, are never read) and give nothing (they are left out of the sum); a row with
        no kept entry gives ``-inf``, the log of an empty sum. See Notes.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``x``'s shape without ``axis`` (or with it of length 1), in ``x``'s floating dtype.
        A 1-d input gives a NumPy scalar (e.g. ``numpy.float64``), as ``numpy.sum`` does:
        the package's rule is that a result with no axes is a NumPy scalar, never a 0-d
        array.

    Raises
    ------
    TypeError
        If ``x`` is complex, object or string, or ``axis`` is not an integer.
    ValueError
        If ``x`` is 0-d, ``axis`` has length 0, or ``axis`` is out of range.

    See Also
    --------
    softmax : the gradient of logsumexp.
    scipy.special.logsumexp : the same values, including non-finite input.

    Notes
    -----
    With :math:`m = \max_k x_k` and :math:`t = \sum_{j \ne \arg\max} e^{x_j - m}`,

    .. math:: \operatorname{logsumexp}(x) = m + \operatorname{log1p}(t),

    which keeps full relative precision when the result is tiny, e.g. ``logsumexp([0, -40])``
    equals ``log1p(exp(-40))`` (SciPy regression gh-18295; Blanchard, Higham & Higham 2021).

    Non-finite input follows ``scipy.special.logsumexp``: all ``-inf`` gives ``-inf``; any
    ``+inf`` gives ``+inf`` (also next to ``-inf``); any ``nan`` gives ``nan``. No
    ``RuntimeWarning``.

    Masks (``where``): as ``jax.nn.logsumexp(x, where=...)``. The usual PyTorch idiom,
    ``x.masked_fill(~mask, -inf)``, gives ``nan`` for a row with no kept entry (an all
    ``-inf`` row), and a padding entry holding ``nan`` poisons its whole row; with ``where``
    neither happens.

    References
    ----------
    P. Blanchard, D. J. Higham and N. J. Higham, "Accurately computing the log-sum-exp and
    softmax functions", IMA J. Numer. Anal. 41(4), 2311-2330, 2021.
    https://doi.org/10.1093/imanum/draa038

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2, no overflow
    1000.6931471805599
    >>> float(logsumexp([0.0, -40.0]))
    4.248354255291589e-18
    >>> logsumexp([[-np.inf, -np.inf], [np.inf, -np.inf]])
    array([-inf,  inf])
    """
    arr, axis = _logits(x, axis)
    if where is not None:  # an all -inf row already gives -inf, the log of the empty sum
        arr = mask_logits(arr, check_where(where, arr.shape))
    xs = np.moveaxis(arr.astype(compute_dtype(arr.dtype), copy=False), axis, -1)
    out = map_blocks(logsumexp_kernel, xs, np.empty(xs.shape[:-1], xs.dtype), work=1)
    out = cast_result(out, arr.dtype)
    return np.expand_dims(out, axis) if keepdims else out
