"""No public function mutates its inputs (copy-compare, contiguous, strided and
float16), returns a view of them, leaks a RuntimeWarning for finite input, even
±1e308, or changes NumPy's global error state."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import softmax_ce
from softmax_ce import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    entropy,
    kl_divergence,
    linear_cross_entropy,
    linear_cross_entropy_grad,
    linear_cross_entropy_value_and_grad,
    log_softmax,
    logsumexp,
    nll_loss,
    one_hot,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)
from softmax_ce import calibration
from softmax_ce.calibration import expected_calibration_error, fit_temperature, reliability_bins

_data = np.random.default_rng(23)
_BIG_LOGITS = _data.standard_normal((6, 10)) * 4
_LOGITS_CONTIGUOUS = _BIG_LOGITS[:, :5].copy()
_LOGITS_STRIDED = _BIG_LOGITS[:, ::2]  # (6, 5), not contiguous
_LOGITS_TRANSPOSED = np.ascontiguousarray(_BIG_LOGITS[:, :5].T).T  # Fortran order
_LABELS = np.array([0, 4, 2, 2, 1, 3])
_LABELS_STRIDED = np.array([0, 9, 4, 9, 2, 9, 2, 9, 1, 9, 3, 9])[::2]
_PROBS = _data.dirichlet(np.ones(5), size=6)
_PROBS_STRIDED = np.repeat(_PROBS, 2, axis=1)[:, ::2]
_WEIGHT = np.array([1.0, 2.0, 0.5, 1.5, 3.0])

LAYOUTS = {
    "contiguous": (_LOGITS_CONTIGUOUS, _LABELS, _PROBS),
    "strided": (_LOGITS_STRIDED, _LABELS_STRIDED, _PROBS_STRIDED),
    "fortran": (_LOGITS_TRANSPOSED, _LABELS, np.asfortranarray(_PROBS)),
    "float16": (_LOGITS_CONTIGUOUS.astype(np.float16), _LABELS, _PROBS.astype(np.float16)),
    "float32_strided": (_LOGITS_STRIDED.astype(np.float32), _LABELS, _PROBS.astype(np.float32)),
}


def _calls(
    logits: np.ndarray, labels: np.ndarray, probs: np.ndarray
) -> dict[str, tuple[Callable[..., object], tuple, dict]]:
    """One call of every public function, as (function, args, kwargs)."""
    weight = _WEIGHT.astype(logits.dtype)
    labels_ignored = labels.copy()
    labels_ignored[1] = -100
    # labels with a finite optimal temperature: the arg-max of each row but one
    labels_fit = np.asarray(logits, dtype=np.float64).argmax(axis=-1)
    labels_fit[0] = (labels_fit[0] + 1) % logits.shape[-1]
    return {
        "softmax": (softmax, (logits,), {"temperature": 0.7}),
        "softmax_axis0": (softmax, (logits,), {"axis": 0}),
        "log_softmax": (log_softmax, (logits,), {"temperature": 2.0}),
        "logsumexp": (logsumexp, (logits,), {"keepdims": True}),
        "softmax_where": (softmax, (logits,), {"where": probs > 0.2}),
        "log_softmax_where": (log_softmax, (logits,), {"where": probs > 0.2}),
        "softmax_jacobian": (softmax_jacobian, (logits,), {}),
        "softmax_jvp": (softmax_jvp, (logits, probs), {}),
        "one_hot": (one_hot, (labels, 5), {}),
        "cross_entropy_index": (
            cross_entropy,
            (logits, labels_ignored),
            {"weight": weight, "ignore_index": -100, "label_smoothing": 0.1},
        ),
        "cross_entropy_probs": (cross_entropy, (logits, probs), {"weight": weight}),
        "cross_entropy_grad_index": (
            cross_entropy_grad,
            (logits, labels_ignored),
            {"weight": weight, "ignore_index": -100, "label_smoothing": 0.1},
        ),
        "cross_entropy_grad_probs": (
            cross_entropy_grad,
            (logits, probs),
            {"label_smoothing": 0.2, "reduction": "none"},
        ),
        "nll_loss": (
            nll_loss,
            (log_softmax(logits), labels_ignored),
            {"weight": weight, "ignore_index": -100},
        ),
        "binary_cross_entropy_with_logits": (
            binary_cross_entropy_with_logits,
            (logits, probs),
            {"reduction": "none"},
        ),
        "binary_cross_entropy_with_logits_weighted": (
            binary_cross_entropy_with_logits,
            (logits, probs),
            {"weight": probs, "pos_weight": probs[0], "reduction": "sum"},
        ),
        "binary_cross_entropy_with_logits_grad": (
            binary_cross_entropy_with_logits_grad,
            (logits, probs),
            {"weight": probs, "pos_weight": probs[0]},
        ),
        "entropy": (entropy, (probs,), {"base": 2}),
        "kl_divergence": (kl_divergence, (probs, probs[::-1]), {}),
        "kl_divergence_logits": (
            kl_divergence,
            (logits, logits[::-1]),
            {"p_form": "logits", "q_form": "logits", "reduction": "batchmean"},
        ),
        # hidden (N, d) = logits, weight (V, d) = the first 5 rows of probs, bias (V,)
        "linear_cross_entropy": (
            linear_cross_entropy,
            (logits, probs[:5], labels_ignored),
            {"bias": weight, "ignore_index": -100, "chunk_size": 2},
        ),
        "linear_cross_entropy_grad": (
            linear_cross_entropy_grad,
            (logits, probs[:5], labels),
            {"bias": weight, "reduction": "sum", "chunk_size": 4},
        ),
        "linear_cross_entropy_value_and_grad": (
            linear_cross_entropy_value_and_grad,
            (logits, probs[:5], labels_ignored),
            {"ignore_index": -100},
        ),
        "expected_calibration_error": (expected_calibration_error, (probs, labels), {"n_bins": 4}),
        "reliability_bins": (reliability_bins, (probs, labels), {"n_bins": 4}),
        "fit_temperature": (fit_temperature, (logits, labels_fit), {}),
    }


CASES = [
    (layout, name)
    for layout in LAYOUTS
    for name in _calls(*(np.zeros((2, 5)), np.zeros(2, int), np.full((2, 5), 0.2)))
]


@pytest.mark.parametrize(("layout", "name"), CASES, ids=[f"{l}-{n}" for l, n in CASES])
def test_inputs_are_not_mutated_and_results_are_not_views_of_them(layout, name):
    func, args, kwargs = _calls(*LAYOUTS[layout])[name]
    arrays = [a for a in (*args, *kwargs.values()) if isinstance(a, np.ndarray)]
    copies = [a.copy() for a in arrays]
    flags = [(a.flags.c_contiguous, a.flags.f_contiguous, a.dtype) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = func(*args, **kwargs)
    for before, after, flag in zip(copies, arrays, flags):
        assert_array_equal(after, before)
        assert (after.flags.c_contiguous, after.flags.f_contiguous, after.dtype) == flag
    results = (
        [getattr(result, f.name) for f in dataclasses.fields(result)]
        if dataclasses.is_dataclass(result)
        else [r for r in result if r is not None] if isinstance(result, tuple)
        else [result]
    )
    for a in arrays:
        for r in results:
            assert not np.shares_memory(np.asarray(r), a)


def test_every_public_function_is_covered_by_the_mutation_table():
    # a function added to softmax_ce.__all__ (or to softmax_ce.calibration's) must get a row
    # in _calls above; classes (result types) are not called
    covered = {func.__name__ for func, _, _ in _calls(*LAYOUTS["contiguous"]).values()}
    calibration_functions = {
        name for name in calibration.__all__ if not isinstance(getattr(calibration, name), type)
    }
    assert covered == set(softmax_ce.__all__) | calibration_functions


# ----------------------------------------------------------------- warnings
EXTREME = np.array(
    [
        [1e308, -1e308, 0.0, 1e308],
        [-1e308, -1e308, -1e308, -1e308],
        [np.finfo(np.float64).max, -np.finfo(np.float64).max, 1.0, -1.0],
        [5e-324, -5e-324, 0.0, 1e-300],
    ]
)
EXTREME_LABELS = np.array([1, 0, 1, 3])
EXTREME_CALLS = {
    "softmax": lambda: softmax(EXTREME),
    "softmax_axis0": lambda: softmax(EXTREME, axis=0),
    "softmax_small_temperature": lambda: softmax(EXTREME, temperature=0.5),
    "softmax_large_temperature": lambda: softmax(EXTREME, temperature=3.0),
    "log_softmax": lambda: log_softmax(EXTREME),
    "log_softmax_small_temperature": lambda: log_softmax(EXTREME, temperature=1e-3),
    "logsumexp": lambda: logsumexp(EXTREME),
    "logsumexp_axis0": lambda: logsumexp(EXTREME, axis=0),
    "softmax_jacobian": lambda: softmax_jacobian(EXTREME),
    "softmax_jvp": lambda: softmax_jvp(EXTREME, np.tile([1.0, -2.0, 3.0, 0.5], (4, 1))),
    "cross_entropy": lambda: cross_entropy(EXTREME, EXTREME_LABELS, reduction="none"),
    "cross_entropy_sum": lambda: cross_entropy(EXTREME, EXTREME_LABELS, reduction="sum"),
    "cross_entropy_smoothing": lambda: cross_entropy(EXTREME, EXTREME_LABELS, label_smoothing=0.1),
    "cross_entropy_grad": lambda: cross_entropy_grad(EXTREME, EXTREME_LABELS, weight=np.ones(4)),
    "cross_entropy_probs": lambda: cross_entropy(EXTREME, np.full((4, 4), 0.25)),
    "cross_entropy_grad_probs": lambda: cross_entropy_grad(EXTREME, np.full((4, 4), 0.25)),
    "nll_loss": lambda: nll_loss(log_softmax(EXTREME), EXTREME_LABELS),
    # finite per-row losses of 1e308 whose sum overflows
    "cross_entropy_mean_of_huge_losses": lambda: cross_entropy(
        np.tile([0.0, -1e308], (4, 1)), np.ones(4, dtype=np.int64)
    ),
    "cross_entropy_sum_of_huge_losses": lambda: cross_entropy(
        np.tile([0.0, -1e308], (4, 1)), np.ones(4, dtype=np.int64), reduction="sum"
    ),
    "nll_loss_mean_of_huge_losses": lambda: nll_loss(
        np.tile([0.0, -1e308], (4, 1)), np.ones(4, dtype=np.int64)
    ),
    "bce": lambda: binary_cross_entropy_with_logits(EXTREME, np.full((4, 4), 0.5)),
    "bce_weighted": lambda: binary_cross_entropy_with_logits(
        EXTREME, np.full((4, 4), 0.5), weight=np.full((4, 1), 1e300), pos_weight=np.full(4, 1e10)
    ),
    "bce_grad": lambda: binary_cross_entropy_with_logits_grad(
        EXTREME, np.full((4, 4), 0.5), pos_weight=np.full(4, 3.0)
    ),
    "linear_cross_entropy_extreme": lambda: linear_cross_entropy_value_and_grad(
        EXTREME, np.eye(4), np.arange(4), reduction="sum"
    ),
    "kl_logits_extreme": lambda: kl_divergence(
        EXTREME, EXTREME[::-1], p_form="logits", q_form="logits", reduction="sum"
    ),
    "entropy_tiny": lambda: entropy(np.array([1.0 - 1e-300, 1e-300, 0.0, 5e-324])),
    "kl_tiny": lambda: kl_divergence(
        np.array([0.5, 0.5 - 5e-324, 5e-324]), np.array([5e-324, 1.0 - 5e-324, 0.0 + 5e-324])
    ),
    "float16_softmax": lambda: softmax(np.array([65504.0, -65504.0], dtype=np.float16)),
    "float16_log_softmax": lambda: log_softmax(np.array([65504.0, -65504.0], dtype=np.float16)),
    "float32_log_softmax": lambda: log_softmax(np.array([3e38, -3e38], dtype=np.float32)),
    "float16_cross_entropy_sum": lambda: cross_entropy(
        np.tile(np.array([0.0, 30.0], dtype=np.float16), (4096, 1)),
        np.zeros(4096, dtype=np.int64),
        reduction="sum",
    ),
    # calibration: logits of ±1e308 (differences overflow), tiny probabilities, empty bins
    "fit_temperature_1e308": lambda: fit_temperature(
        np.array(
            [[1e308, -1e308, 0.0], [-1e308, 1e308, 0.0], [1e308, 0.0, -1e308], [0.0, 1e308, 1e308]]
        ),
        np.array([0, 1, 1, 2]),
    ),
    "fit_temperature_float32_3e38": lambda: fit_temperature(
        np.array([[3e38, -3e38], [-3e38, 3e38], [3e38, -3e38]], dtype=np.float32), [0, 1, 1]
    ),
    "fit_temperature_float16_65504": lambda: fit_temperature(
        np.array([[65504.0, -65504.0], [-65504.0, 65504.0], [1.0, -1.0]], dtype=np.float16),
        [0, 1, 1],
    ),
    "fit_temperature_subnormal_logits": lambda: fit_temperature(
        np.array([[5e-324, 0.0], [0.0, 1e-320], [1e-320, 0.0]]), [0, 1, 1]
    ),
    "ece_tiny_probabilities": lambda: expected_calibration_error(
        np.array([[1.0 - 1e-300, 1e-300, 0.0], [5e-324, 1.0, 0.0]]), [1, 1], n_bins=1000
    ),
    "reliability_bins_empty_bins": lambda: reliability_bins(np.eye(3), [0, 1, 2], n_bins=50),
    "reliability_bins_no_samples": lambda: reliability_bins(np.zeros((0, 3)), np.zeros(0, int)),
    "ece_no_samples": lambda: expected_calibration_error(np.zeros((0, 3)), np.zeros(0, int)),
    "ece_float16": lambda: expected_calibration_error(np.eye(3, dtype=np.float16), [0, 1, 0]),
}


@pytest.mark.parametrize("call", EXTREME_CALLS.values(), ids=EXTREME_CALLS.keys())
def test_no_warning_for_finite_extreme_inputs_and_global_error_state_untouched(call):
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # NumPy's default error state (underflow to 0 or a subnormal is silent)
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            call()
    assert np.geterr() == before


def test_float16_mean_loss_uses_a_wider_accumulator():
    # 4096 losses of ~30 sum to ~1.2e5 > float16 max 65504 (pytorch#85791); the mean is ~30
    logits = np.tile(np.array([0.0, 30.0], dtype=np.float16), (4096, 1))
    labels = np.zeros(4096, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean = cross_entropy(logits, labels)
    assert mean.dtype == np.float16
    assert mean == np.float16(30.0)  # 30 + log1p(e^-30), rounded to float16


_Z2 = np.zeros((2, 2))
_Z2_F32 = np.zeros((2, 2), np.float32)
EXTREME_CALLS: dict[str, Callable[[], object]] = {
    "ce_weight_1e308_mean": lambda: cross_entropy(_Z2, [0, 0], weight=[1e308, 1.0]),
    "ce_weight_1e308_sum": lambda: cross_entropy(
        _Z2, [0, 0], weight=[1e308, 1e308], reduction="sum"
    ),
    "ce_grad_weight_1e308": lambda: cross_entropy_grad(_Z2, [0, 0], weight=[1e308, 1.0]),
    "nll_weight_1e308": lambda: nll_loss(_Z2 - 1, [0, 0], weight=[1e308, 1.0]),
    "ce_f32_weight_1e39": lambda: cross_entropy(_Z2_F32, [0, 0], weight=[1e39, 1.0]),
    "ce_f32_weight_1e39_none": lambda: cross_entropy(
        _Z2_F32, [0, 0], weight=[1e39, 1.0], reduction="none"
    ),
    "softmax_f32_T_1e-300": lambda: softmax(np.float32([1, 2]), temperature=1e-300),
    "jvp_v_1.7e308": lambda: softmax_jvp(np.array([0.0, 2.2]), np.array([1.7e308, -1.7e308])),
    "jvp_inf_tangent_on_masked_class": lambda: softmax_jvp([0.0, -np.inf], [1.0, np.inf]),
}


@pytest.mark.parametrize("call", EXTREME_CALLS.values(), ids=EXTREME_CALLS.keys())
def test_extreme_but_valid_arguments_emit_no_runtime_warning(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call()
