"""The source documents' code recipes, kept exactly as written, and a deliberately naive softmax.

Nothing here is meant for use: these functions exist so that the book can *run* the code
that the source documents recommend and measure where it breaks, next to the package's
accurate functions (:func:`softmax_ce.softmax`, :func:`softmax_ce.cross_entropy`, ...).
Each function's body is the source's code verbatim (comments translated); its docstring
quotes where the recipe comes from and says precisely where and why it fails.

None of them suppresses NumPy's ``RuntimeWarning``: overflow, ``log(0)`` and ``0 * inf``
warn, as they would for a reader who copies the recipe. (The test suite runs with warnings
as errors; callers that trigger them on purpose catch them explicitly.)

The source documents are the four Chinese documents the book mirrors, one per chapter of its
main part: doc 1 《Softmax》 (chapter 1), doc 2 《对数似然》 (chapter 2), doc 3 《交叉熵损失》
(chapter 3), doc 4 《Softmax和交叉熵》 (chapter 4). The chapters quote the sentences they discuss.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "naive_softmax",
    "stable_softmax",
    "log_likelihood",
    "stable_cross_entropy",
    "safe_cross_entropy",
    "cross_entropy_with_logits",
    "cross_entropy_gradient",
]


def naive_softmax(z: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax computed literally as ``exp(z) / sum(exp(z))``: overflows. Do not use.

    Not from the source documents: the textbook formula of doc 1, section 1, written
    without the max-shift of doc 1, section 3.2, to show why that shift is needed.

    Parameters
    ----------
    z : array_like
        Logits.
    axis : int, default -1
        Class axis.

    Returns
    -------
    numpy.ndarray
        ``exp(z) / exp(z).sum(axis)``, in the dtype NumPy gives ``exp(z)``.

    Notes
    -----
    ``exp`` overflows to ``inf`` once a logit exceeds ``log(finfo(dtype).max)``: about
    709.78 in float64, 88.72 in float32 and 11.09 in float16. Then ``inf / inf = nan``
    (``RuntimeWarning: overflow``, then ``invalid value``). When every logit is below about
    ``log(finfo(dtype).smallest_subnormal)`` (about -745 in float64), every ``exp`` underflows
    to 0 and the result is ``0 / 0 = nan``. Subtracting ``max(z)`` (shift invariance) avoids
    both.

    Examples
    --------
    >>> naive_softmax([0.0, 0.0, 0.0, 0.0])
    array([0.25, 0.25, 0.25, 0.25])
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     p = naive_softmax([1000.0, 0.0])
    >>> p, sorted({str(w.message) for w in caught})
    (array([nan,  0.]), ['invalid value encountered in divide', 'overflow encountered in exp'])
    """
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def stable_softmax(z):
    """The source's ``stable_softmax``: max-shifted softmax, hard-wired to ``axis=1``.

    From doc 2 (对数似然详解), "2.3 … 6. 实际计算建议" item 1, as ``stable_softmax(z)``; the
    same code appears again in doc 2, "5.2 优化建议" item 1, as ``stable_softmax(logits)``
    (names ``shifted_logits``/``exp_logits`` instead of ``shifted``/``exp_z``). The two are
    identical up to variable names; this is the first, kept once.

    Parameters
    ----------
    z : numpy.ndarray
        Logits of shape ``(N, K, ...)``; the classes must be on axis 1.

    Returns
    -------
    numpy.ndarray
        Softmax along axis 1.

    Notes
    -----
    Where it fails:

    * ``axis=1`` is hard-coded: a single sample (1-D logits) raises
      ``numpy.exceptions.AxisError`` instead of being treated as one row, and an
      ``(N, d, K)`` array is normalised over the wrong axis.
    * The max-shift prevents overflow, but probabilities below the smallest subnormal
      (about 4.9e-324 in float64, ``z_j - max(z)`` below about -745) still underflow to
      exactly 0, so a later ``np.log`` of them is ``-inf``: computing ``log(softmax)`` in two
      steps loses what ``log_softmax`` keeps.
    * A row containing ``+inf`` gives ``inf - inf = nan``.

    Examples
    --------
    >>> import numpy as np
    >>> stable_softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]]))
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    # 防止指数爆炸 (guard against exponential overflow)
    shifted = z - np.max(z, axis=1, keepdims=True)
    exp_z = np.exp(shifted)
    return exp_z / np.sum(exp_z, axis=1, keepdims=True)


def log_likelihood(y_true, y_pred):
    """The source's ``log_likelihood``: ``sum(y * log(clip(p, 1e-15, 1 - 1e-15)))``.

    From doc 2 (对数似然详解), "2.3 … 6. 实际计算建议" item 2.

    Parameters
    ----------
    y_true : numpy.ndarray
        Labels (one-hot or probabilities), same shape as ``y_pred``.
    y_pred : numpy.ndarray
        Predicted probabilities.

    Returns
    -------
    numpy.floating
        The clipped log-likelihood summed over *all* entries (every sample and class).

    Notes
    -----
    * It returns the log-likelihood itself (``<= 0``), **not** its negative: it is the
      quantity to *maximise*; the loss is ``-log_likelihood``.
    * It sums over the batch (no mean), so its scale grows with ``N``.
    * The clip changes the value: see :func:`stable_cross_entropy` (the same clip, negated):
      every log-probability is capped below at ``log(1e-15) = -34.538776...``, and entries of
      ``y_pred`` below ``1e-15`` get zero gradient; in float16 the clip bounds round to
      ``[0, 1]`` and ``log(0) = -inf`` comes back.

    Examples
    --------
    >>> import numpy as np
    >>> float(log_likelihood(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]])))
    -0.6931471805599453
    """
    # 防止取对数时出现零 (keep log away from zero)
    eps = 1e-15
    y_pred = np.clip(y_pred, eps, 1.0 - eps)
    return np.sum(y_true * np.log(y_pred))


def stable_cross_entropy(y_true, y_pred, epsilon=1e-15):
    """The source's ``stable_cross_entropy``: ``-sum(y * log(clip(p, eps, 1 - eps)))``.

    From doc 4 (Softmax 和交叉熵损失详解), "5.1 数值稳定性", with ``epsilon=1e-15`` as a
    parameter. Doc 2, "5.2 优化建议" item 2, has the same function with ``epsilon = 1e-15``
    as a local variable and signature ``(y_true, y_pred)``: the behaviour is identical for
    the default, so one function is kept, with doc 4's signature. Doc 3's
    :func:`safe_cross_entropy` is the same code under another name.

    Parameters
    ----------
    y_true : numpy.ndarray
        Labels (one-hot or probabilities), same shape as ``y_pred``.
    y_pred : numpy.ndarray
        Predicted probabilities (softmax outputs).
    epsilon : float, default 1e-15
        Clip bound.

    Returns
    -------
    numpy.floating
        ``-sum(y_true * log(clip(y_pred, epsilon, 1 - epsilon)))`` over all entries.

    Notes
    -----
    The name says "stable", but the clip only hides ``log(0)`` in float64 and float32, at a
    price (the test suite measures each of these):

    * **Bias / cap.** Each term ``-log p`` is capped at ``-log(1e-15) = 34.538776...``: a
      true-class probability of ``1e-20`` (true loss 46.05) or exactly 0 (true loss
      ``+inf``) both score 34.54.
    * **Floor.** A perfect prediction ``p = 1`` scores ``-log(1 - 1e-15) = 9.99e-16``, not 0.
    * **Zero gradient.** Below ``epsilon`` the clip is flat: the gradient with respect to
      ``y_pred`` is exactly 0 where the true value ``-y/p`` is huge, so a confidently wrong
      prediction stops being corrected.
    * **Low precision.** In float32 ``1 - 1e-15`` rounds to 1 (the upper clip is void); in
      float16 ``1e-15`` also rounds to 0, so the clip is ``[0, 1]`` and ``log(0) = -inf``
      returns, and ``0 * -inf = nan`` for classes with ``y = 0`` (with ``RuntimeWarning``).
    * **Sum, not mean.** It adds over the batch: ``N`` copies of a sample cost ``N`` times as
      much, so the learning rate must be rescaled with ``N`` (torch's default is the mean).
    * Working on probabilities at all is the underlying mistake: use
      :func:`softmax_ce.cross_entropy` on the logits, which needs no clip.

    Examples
    --------
    >>> import numpy as np
    >>> float(stable_cross_entropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])))
    34.538776394910684
    """
    # 防止出现log(0) (avoid log(0))
    y_pred = np.clip(y_pred, epsilon, 1 - epsilon)
    return -np.sum(y_true * np.log(y_pred))


def safe_cross_entropy(y_true, y_pred, epsilon=1e-15):
    """The source's ``safe_cross_entropy``: identical to :func:`stable_cross_entropy`.

    From doc 3 (交叉熵损失：本质、意义与应用), "5.1 数值稳定性处理". Same code as doc 4's
    ``stable_cross_entropy``, so it has the same failures: the cap at
    ``-log(1e-15) = 34.54``, zero gradient below ``epsilon``, the void clip in float32 and
    ``log(0)`` in float16, and a sum over the batch.

    Parameters
    ----------
    y_true : numpy.ndarray
        Labels, same shape as ``y_pred``.
    y_pred : numpy.ndarray
        Predicted probabilities.
    epsilon : float, default 1e-15
        Clip bound.

    Returns
    -------
    numpy.floating
        ``-sum(y_true * log(clip(y_pred, epsilon, 1 - epsilon)))``.

    Examples
    --------
    >>> import numpy as np
    >>> float(safe_cross_entropy(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]])))
    0.6931471805599453
    """
    y_pred = np.clip(y_pred, epsilon, 1 - epsilon)
    return -np.sum(y_true * np.log(y_pred))


def cross_entropy_with_logits(y_true, logits):
    """The source's ``cross_entropy_with_logits``: softmax, then ``log``, in two steps.

    From doc 4 (Softmax 和交叉熵损失详解), "5.2 优化技巧" item 1 ("使用logits计算").

    Parameters
    ----------
    y_true : numpy.ndarray
        Labels (one-hot or probabilities), same shape as ``logits``.
    logits : numpy.ndarray
        Logits, classes on the last axis.

    Returns
    -------
    numpy.floating
        ``-sum(y_true * log(softmax(logits)))`` summed over the whole batch.

    Notes
    -----
    The max-shift prevents overflow, but the recipe still takes ``np.log`` of the
    probabilities instead of using ``log_softmax = shifted - log(sum(exp(shifted)))``:

    * when a probability underflows to 0 (a logit more than about 745 below the maximum in
      float64, 103 in float32) its log is ``-inf``. With the label on that class the loss is
      ``+inf`` (true value: the finite gap, e.g. 1000 for logits ``[0, -1000]``); with the
      label elsewhere, ``0 * -inf = nan`` and the loss is ``nan`` even though the prediction
      is *correct* (true loss ~0). Both warn (``divide by zero``, ``invalid value``).
    * It sums over the batch (no mean), like :func:`stable_cross_entropy`.

    Examples
    --------
    >>> import numpy as np
    >>> float(cross_entropy_with_logits(np.array([[0.0, 1.0]]), np.array([[0.0, 0.0]])))
    0.6931471805599453
    """
    # 减去最大值提高数值稳定性 (subtract the max for numerical stability)
    shifted_logits = logits - np.max(logits, axis=-1, keepdims=True)
    exp_logits = np.exp(shifted_logits)
    probs = exp_logits / np.sum(exp_logits, axis=-1, keepdims=True)
    return -np.sum(y_true * np.log(probs))


def cross_entropy_gradient(y_true, logits):
    """The source's ``cross_entropy_gradient``: ``softmax(logits) - y_true``.

    From doc 4 (Softmax 和交叉熵损失详解), "5.2 优化技巧" item 2 ("梯度计算"). The source
    calls a function ``softmax`` that none of its documents defines. The only softmax the
    source defines is doc 2's :func:`stable_softmax`, so this recipe calls it: that is the
    single change to the source's code (``softmax`` -> ``stable_softmax``), and it means the
    recipe inherits ``axis=1``.

    Parameters
    ----------
    y_true : numpy.ndarray
        Labels, shape ``(N, K)``.
    logits : numpy.ndarray
        Logits, shape ``(N, K)``.

    Returns
    -------
    numpy.ndarray
        ``stable_softmax(logits) - y_true``, shape ``(N, K)``.

    Notes
    -----
    * It is the gradient of the *summed* loss :func:`cross_entropy_with_logits` (each row its
      own ``p - y``); for the batch-mean loss divide by ``N``.
    * ``p - y`` is the gradient only when every row of ``y_true`` sums to 1; in general it is
      ``(sum_k y_k) p - y`` (see :func:`softmax_ce.symbolic.derive_ce_gradient`).
    * Inherits ``axis=1`` from :func:`stable_softmax`: 1-D logits raise
      ``numpy.exceptions.AxisError``.

    Examples
    --------
    >>> import numpy as np
    >>> cross_entropy_gradient(np.array([[0.0, 1.0]]), np.array([[0.0, 0.0]]))
    array([[ 0.5, -0.5]])
    """
    probs = stable_softmax(logits)
    return probs - y_true
