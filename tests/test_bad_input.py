"""Every bad input of the spec (issue 2 §2 "Bad input"; issue 10 for
``softmax_ce.calibration``) raises the right exception type, and its message names the
offending argument.

One row per case: (id, call, exception type, argument name). The argument name is
matched as a whole word, so ``x`` does not match inside ``max``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from softmax_ce import (
    linear_cross_entropy,
    linear_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    entropy,
    kl_divergence,
    log_softmax,
    logsumexp,
    nll_loss,
    one_hot,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)
from softmax_ce.calibration import expected_calibration_error, fit_temperature, reliability_bins

LOGITS = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
LABELS = np.array([2, 0])
PROBS = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
K = 3

BAD_INPUTS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # --- class indices out of range or negative (other than ignore_index)
    ("label_equal_to_k", lambda: cross_entropy(LOGITS, np.array([K, 0])), ValueError, "target"),
    ("label_negative", lambda: cross_entropy(LOGITS, np.array([-1, 0])), ValueError, "target"),
    (
        "label_negative_not_the_ignore_index",
        lambda: cross_entropy(LOGITS, np.array([-1, -100]), ignore_index=-100),
        ValueError,
        "target",
    ),
    (
        "label_out_of_range_grad",
        lambda: cross_entropy_grad(LOGITS, np.array([0, 7])),
        ValueError,
        "target",
    ),
    ("nll_label_out_of_range", lambda: nll_loss(LOGITS, np.array([0, 3])), ValueError, "target"),
    ("nll_label_negative", lambda: nll_loss(LOGITS, np.array([0, -2])), ValueError, "target"),
    # --- float arrays passed as class indices (a wrong kind)
    (
        "float_class_indices",
        lambda: cross_entropy(LOGITS, np.array([2.0, 0.0])),
        TypeError,
        "target",
    ),
    (
        "float_class_indices_grad",
        lambda: cross_entropy_grad(LOGITS, np.array([2.0, 0.0])),
        TypeError,
        "target",
    ),
    (
        "nll_float_class_indices",
        lambda: nll_loss(LOGITS, np.array([2.0, 0.0])),
        TypeError,
        "target",
    ),
    # --- target shape that matches neither form
    (
        "target_shape_neither_index_nor_probability",
        lambda: cross_entropy(LOGITS, np.array([0, 1, 2])),
        ValueError,
        "target",
    ),
    (
        "probability_target_wrong_class_count",
        lambda: cross_entropy(LOGITS, np.full((2, 2), 0.5)),
        ValueError,
        "target",
    ),
    (
        "probability_target_transposed",
        lambda: cross_entropy(LOGITS, PROBS.T),
        ValueError,
        "target",
    ),
    (
        "grad_target_shape_neither",
        lambda: cross_entropy_grad(LOGITS, np.zeros((2, 1))),
        ValueError,
        "target",
    ),
    (
        "nll_target_shape",
        lambda: nll_loss(LOGITS, np.array([0, 1, 2])),
        ValueError,
        "target",
    ),
    (
        "bce_target_shape",
        lambda: binary_cross_entropy_with_logits(np.zeros(3), np.zeros(4)),
        ValueError,
        "target",
    ),
    # --- probability targets negative or not summing to 1
    (
        "probability_target_negative",
        lambda: cross_entropy(LOGITS, np.array([[1.2, -0.2, 0.0], [1.0, 0.0, 0.0]])),
        ValueError,
        "target",
    ),
    (
        "probability_target_rows_sum_to_2",
        lambda: cross_entropy(LOGITS, 2 * PROBS),
        ValueError,
        "target",
    ),
    (
        "probability_target_rows_sum_to_0_9",
        lambda: cross_entropy(LOGITS, np.array([[0.2, 0.2, 0.5], [1.0, 0.0, 0.0]])),
        ValueError,
        "target",
    ),
    (
        "probability_target_nan",
        lambda: cross_entropy(LOGITS, np.array([[np.nan, 0.5, 0.5], [1.0, 0.0, 0.0]])),
        ValueError,
        "target",
    ),
    (
        "probability_target_logits_by_mistake",
        lambda: cross_entropy_grad(LOGITS, LOGITS),
        ValueError,
        "target",
    ),
    # --- zero classes
    ("softmax_zero_classes", lambda: softmax(np.zeros((2, 0))), ValueError, "x"),
    ("log_softmax_zero_classes", lambda: log_softmax(np.zeros((2, 0))), ValueError, "x"),
    ("logsumexp_zero_classes", lambda: logsumexp(np.zeros((2, 0))), ValueError, "x"),
    ("softmax_zero_classes_axis_0", lambda: softmax(np.zeros((0, 2)), axis=0), ValueError, "x"),
    ("jacobian_zero_classes", lambda: softmax_jacobian(np.zeros((2, 0))), ValueError, "x"),
    (
        "cross_entropy_zero_classes",
        lambda: cross_entropy(np.zeros((2, 0)), np.array([0, 0])),
        ValueError,
        "logits",
    ),
    (
        "cross_entropy_grad_zero_classes",
        lambda: cross_entropy_grad(np.zeros((2, 0)), np.array([0, 0])),
        ValueError,
        "logits",
    ),
    (
        "nll_zero_classes",
        lambda: nll_loss(np.zeros((2, 0)), np.array([0, 0])),
        ValueError,
        "log_probs",
    ),
    ("one_hot_zero_classes", lambda: one_hot(np.array([0]), 0), ValueError, "num_classes"),
    # --- one_hot labels outside [0, num_classes)
    ("one_hot_label_equal_to_k", lambda: one_hot(np.array([0, 3]), 3), ValueError, "labels"),
    ("one_hot_label_negative", lambda: one_hot(np.array([-1, 0]), 3), ValueError, "labels"),
    ("one_hot_float_labels", lambda: one_hot(np.array([0.0, 1.0]), 3), TypeError, "labels"),
    ("one_hot_negative_k", lambda: one_hot(np.array([0]), -2), ValueError, "num_classes"),
    # --- temperature: positive and finite
    ("temperature_zero", lambda: softmax(LOGITS, temperature=0.0), ValueError, "temperature"),
    ("temperature_negative", lambda: softmax(LOGITS, temperature=-1.0), ValueError, "temperature"),
    ("temperature_inf", lambda: softmax(LOGITS, temperature=np.inf), ValueError, "temperature"),
    (
        "temperature_nan",
        lambda: log_softmax(LOGITS, temperature=np.nan),
        ValueError,
        "temperature",
    ),
    (
        "log_softmax_temperature_negative",
        lambda: log_softmax(LOGITS, temperature=-0.5),
        ValueError,
        "temperature",
    ),
    ("temperature_string", lambda: softmax(LOGITS, temperature="1"), TypeError, "temperature"),
    (
        "temperature_array",
        lambda: softmax(LOGITS, temperature=np.ones(2)),
        TypeError,
        "temperature",
    ),
    # --- label_smoothing in [0, 1]
    (
        "label_smoothing_negative",
        lambda: cross_entropy(LOGITS, LABELS, label_smoothing=-0.1),
        ValueError,
        "label_smoothing",
    ),
    (
        "label_smoothing_above_1",
        lambda: cross_entropy(LOGITS, LABELS, label_smoothing=1.5),
        ValueError,
        "label_smoothing",
    ),
    (
        "label_smoothing_nan",
        lambda: cross_entropy_grad(LOGITS, LABELS, label_smoothing=np.nan),
        ValueError,
        "label_smoothing",
    ),
    (
        "label_smoothing_string",
        lambda: cross_entropy(LOGITS, LABELS, label_smoothing="0.1"),
        TypeError,
        "label_smoothing",
    ),
    # --- reduction in none|mean|sum
    (
        "reduction_avg",
        lambda: cross_entropy(LOGITS, LABELS, reduction="avg"),
        ValueError,
        "reduction",
    ),
    (
        "reduction_grad",
        lambda: cross_entropy_grad(LOGITS, LABELS, reduction="batchmean"),
        ValueError,
        "reduction",
    ),
    ("reduction_nll", lambda: nll_loss(LOGITS, LABELS, reduction=""), ValueError, "reduction"),
    (
        "reduction_none_object",
        lambda: cross_entropy(LOGITS, LABELS, reduction=None),
        ValueError,
        "reduction",
    ),
    (
        "reduction_bce",
        lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), reduction="max"),
        ValueError,
        "reduction",
    ),
    # --- weight shape (K,)
    (
        "weight_too_long",
        lambda: cross_entropy(LOGITS, LABELS, weight=np.ones(K + 1)),
        ValueError,
        "weight",
    ),
    (
        "weight_column",
        lambda: cross_entropy(LOGITS, LABELS, weight=np.ones((K, 1))),
        ValueError,
        "weight",
    ),
    (
        "weight_probability_targets",
        lambda: cross_entropy(LOGITS, PROBS, weight=np.ones(2)),
        ValueError,
        "weight",
    ),
    (
        "weight_grad",
        lambda: cross_entropy_grad(LOGITS, LABELS, weight=np.ones(K - 1)),
        ValueError,
        "weight",
    ),
    ("weight_nll", lambda: nll_loss(LOGITS, LABELS, weight=np.ones(K + 2)), ValueError, "weight"),
    # --- complex, object and string inputs: a wrong kind
    ("softmax_complex", lambda: softmax(LOGITS + 1j), TypeError, "x"),
    ("log_softmax_object", lambda: log_softmax(LOGITS.astype(object)), TypeError, "x"),
    ("logsumexp_strings", lambda: logsumexp(np.array(["a", "b"])), TypeError, "x"),
    ("jvp_complex_v", lambda: softmax_jvp(LOGITS, LOGITS + 1j), TypeError, "v"),
    ("ce_complex_logits", lambda: cross_entropy(LOGITS + 0j, LABELS), TypeError, "logits"),
    (
        "cross_entropy_string_logits",
        lambda: cross_entropy(np.array([["a", "b"]]), np.array([0])),
        TypeError,
        "logits",
    ),
    (
        "cross_entropy_complex_probability_target",
        lambda: cross_entropy(LOGITS, PROBS + 0j),
        TypeError,
        "target",
    ),
    ("nll_complex_log_probs", lambda: nll_loss(LOGITS + 0j, LABELS), TypeError, "log_probs"),
    (
        "bce_complex_logits",
        lambda: binary_cross_entropy_with_logits(np.zeros(2) + 0j, np.ones(2)),
        TypeError,
        "logits",
    ),
    ("entropy_complex", lambda: entropy(PROBS + 0j), TypeError, "p"),
    ("kl_object_q", lambda: kl_divergence(PROBS, PROBS.astype(object)), TypeError, "q"),
    # --- entropy / kl_divergence: distributions and a valid base (their documented checks)
    ("entropy_negative_p", lambda: entropy(np.array([1.5, -0.5])), ValueError, "p"),
    ("entropy_p_sums_to_2", lambda: entropy(np.array([1.0, 1.0])), ValueError, "p"),
    ("entropy_zero_classes", lambda: entropy(np.zeros((2, 0))), ValueError, "p"),
    ("entropy_base_1", lambda: entropy(PROBS, base=1), ValueError, "base"),
    ("entropy_base_negative", lambda: entropy(PROBS, base=-2.0), ValueError, "base"),
    ("kl_negative_q", lambda: kl_divergence(PROBS, PROBS[::-1] - 0.5), ValueError, "q"),
    ("kl_q_sums_to_0_5", lambda: kl_divergence(PROBS, PROBS / 2), ValueError, "q"),
    ("kl_base_zero", lambda: kl_divergence(PROBS, PROBS, base=0), ValueError, "base"),
    # --- the class axis must exist
    ("axis_out_of_range", lambda: softmax(LOGITS, axis=2), ValueError, "axis"),
    ("axis_out_of_range_ce", lambda: cross_entropy(LOGITS, LABELS, axis=-3), ValueError, "axis"),
    ("scalar_has_no_class_axis", lambda: softmax(np.float64(1.0)), ValueError, "x"),
    # --- the tangent of a JVP has the shape of x
    ("jvp_v_shape", lambda: softmax_jvp(LOGITS, np.ones(3)), ValueError, "v"),
    # --- ignore_index only makes sense for class indices (torch raises too)
    (
        "ignore_index_with_probability_targets",
        lambda: cross_entropy(np.zeros((1, 2)), np.array([[0.5, 0.5]]), ignore_index=0),
        ValueError,
        "ignore_index",
    ),
    (
        "ignore_index_with_probability_targets_grad",
        lambda: cross_entropy_grad(np.zeros((1, 2)), np.array([[0.5, 0.5]]), ignore_index=0),
        ValueError,
        "ignore_index",
    ),
    # --- kl_divergence: a shape mismatch is reported as one, not as a bad sum
    (
        "kl_q_has_another_shape",
        lambda: kl_divergence([0.5, 0.5], [[0.5, 0.5], [0.9, 0.1]]),
        ValueError,
        "q",
    ),
    # --- issue 11: KL forms and reductions, BCE weights, nll_loss given non-log-probabilities
    ("kl_p_form", lambda: kl_divergence(PROBS, PROBS, p_form="log"), ValueError, "p_form"),
    ("kl_q_form", lambda: kl_divergence(PROBS, PROBS, q_form=None), ValueError, "q_form"),
    ("kl_reduction", lambda: kl_divergence(PROBS, PROBS, reduction="elementwise_mean"),
     ValueError, "reduction"),
    ("kl_positive_log_probs", lambda: kl_divergence(PROBS, PROBS, q_form="log_probs"),
     ValueError, "q"),
    ("kl_log_probs_not_normalised",
     lambda: kl_divergence(LOGITS - 10, PROBS, p_form="log_probs"), ValueError, "p"),
    ("bce_weight_negative",
     lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), weight=[1.0, -1.0]),
     ValueError, "weight"),
    ("bce_weight_not_broadcastable",
     lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), weight=np.ones(3)),
     ValueError, "weight"),
    ("bce_weight_enlarges",
     lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), weight=np.ones((2, 2))),
     ValueError, "weight"),
    ("bce_pos_weight_nan",
     lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), pos_weight=[np.nan]),
     ValueError, "pos_weight"),
    ("bce_pos_weight_complex",
     lambda: binary_cross_entropy_with_logits(np.zeros(2), np.ones(2), pos_weight=[1j]),
     TypeError, "pos_weight"),
    ("bce_grad_target_shape",
     lambda: binary_cross_entropy_with_logits_grad(np.zeros(2), np.ones(3)), ValueError, "target"),
    ("bce_grad_reduction",
     lambda: binary_cross_entropy_with_logits_grad(np.zeros(2), np.ones(2), reduction="avg"),
     ValueError, "reduction"),
    ("nll_given_logits", lambda: nll_loss(LOGITS, LABELS), ValueError, "log_probs"),
    ("nll_given_probabilities", lambda: nll_loss(PROBS, LABELS), ValueError, "log_probs"),
    # --- calibration: probs (N, K) distributions, labels (N,) in [0, K), n_bins >= 1
    ("ece_probs_1d", lambda: expected_calibration_error(PROBS[0], [2]), ValueError, "probs"),
    (
        "ece_probs_3d",
        lambda: expected_calibration_error(PROBS[None], LABELS),
        ValueError,
        "probs",
    ),
    (
        "ece_probs_zero_classes",
        lambda: expected_calibration_error(np.zeros((2, 0)), LABELS),
        ValueError,
        "probs",
    ),
    (
        "ece_probs_rows_sum_to_2",
        lambda: expected_calibration_error(2 * PROBS, LABELS),
        ValueError,
        "probs",
    ),
    (
        "ece_probs_logits_by_mistake",
        lambda: expected_calibration_error(LOGITS, LABELS),
        ValueError,
        "probs",
    ),
    (
        "ece_probs_nan",
        lambda: expected_calibration_error([[np.nan, 1.0], [0.5, 0.5]], [0, 1]),
        ValueError,
        "probs",
    ),
    (
        "ece_probs_complex",
        lambda: expected_calibration_error(PROBS + 0j, LABELS),
        TypeError,
        "probs",
    ),
    (
        "ece_labels_too_long",
        lambda: expected_calibration_error(PROBS, np.array([0, 1, 2])),
        ValueError,
        "labels",
    ),
    (
        "ece_labels_column",
        lambda: expected_calibration_error(PROBS, LABELS[:, None]),
        ValueError,
        "labels",
    ),
    (
        "ece_label_equal_to_k",
        lambda: expected_calibration_error(PROBS, np.array([K, 0])),
        ValueError,
        "labels",
    ),
    (
        "ece_label_negative",
        lambda: expected_calibration_error(PROBS, np.array([0, -1])),
        ValueError,
        "labels",
    ),
    (
        "ece_float_labels",
        lambda: expected_calibration_error(PROBS, np.array([2.0, 0.0])),
        TypeError,
        "labels",
    ),
    (
        "ece_n_bins_zero",
        lambda: expected_calibration_error(PROBS, LABELS, n_bins=0),
        ValueError,
        "n_bins",
    ),
    (
        "ece_n_bins_negative",
        lambda: expected_calibration_error(PROBS, LABELS, n_bins=-3),
        ValueError,
        "n_bins",
    ),
    (
        "ece_n_bins_float",
        lambda: expected_calibration_error(PROBS, LABELS, n_bins=15.0),
        TypeError,
        "n_bins",
    ),
    (
        "ece_n_bins_bool",
        lambda: expected_calibration_error(PROBS, LABELS, n_bins=True),
        TypeError,
        "n_bins",
    ),
    ("reliability_probs_1d", lambda: reliability_bins(PROBS[0], [2]), ValueError, "probs"),
    (
        "reliability_probs_negative",
        lambda: reliability_bins([[1.5, -0.5], [0.5, 0.5]], [0, 1]),
        ValueError,
        "probs",
    ),
    (
        "reliability_labels_out_of_range",
        lambda: reliability_bins(PROBS, np.array([0, 5])),
        ValueError,
        "labels",
    ),
    (
        "reliability_labels_wrong_length",
        lambda: reliability_bins(PROBS, np.array([0])),
        ValueError,
        "labels",
    ),
    (
        "reliability_n_bins_zero",
        lambda: reliability_bins(PROBS, LABELS, n_bins=0),
        ValueError,
        "n_bins",
    ),
    (
        "reliability_n_bins_string",
        lambda: reliability_bins(PROBS, LABELS, n_bins="15"),
        TypeError,
        "n_bins",
    ),
    # --- fit_temperature: finite (N, K) logits with N >= 1, labels (N,) in [0, K)
    ("temperature_fit_logits_1d", lambda: fit_temperature(LOGITS[0], [2]), ValueError, "logits"),
    (
        "temperature_fit_logits_3d",
        lambda: fit_temperature(LOGITS[None], LABELS),
        ValueError,
        "logits",
    ),
    (
        "temperature_fit_logits_nan",
        lambda: fit_temperature([[np.nan, 1.0, 0.0], [0.0, 1.0, 2.0]], LABELS),
        ValueError,
        "logits",
    ),
    (
        "temperature_fit_logits_inf",
        lambda: fit_temperature([[-np.inf, 1.0, 0.0], [0.0, 1.0, 2.0]], LABELS),
        ValueError,
        "logits",
    ),
    (
        "temperature_fit_logits_complex",
        lambda: fit_temperature(LOGITS + 0j, LABELS),
        TypeError,
        "logits",
    ),
    (
        "temperature_fit_no_samples",
        lambda: fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int)),
        ValueError,
        "logits",
    ),
    (
        "temperature_fit_zero_classes",
        lambda: fit_temperature(np.zeros((2, 0)), LABELS),
        ValueError,
        "logits",
    ),
    (
        "temperature_fit_label_out_of_range",
        lambda: fit_temperature(LOGITS, np.array([0, K])),
        ValueError,
        "labels",
    ),
    (
        "temperature_fit_float_labels",
        lambda: fit_temperature(LOGITS, np.array([2.0, 0.0])),
        TypeError,
        "labels",
    ),
    (
        "temperature_fit_labels_wrong_shape",
        lambda: fit_temperature(LOGITS, np.array([[2, 0]])),
        ValueError,
        "labels",
    ),
    # --- issue 9: linear_cross_entropy
    ("lce_inner_sizes_differ", lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 4)), [0, 1]),
     ValueError, "hidden"),
    ("lce_weight_1d", lambda: linear_cross_entropy(np.ones((2, 3)), np.ones(3), [0, 1]),
     ValueError, "weight"),
    ("lce_target_out_of_range",
     lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 3)), [0, 5]), ValueError, "target"),
    ("lce_target_shape",
     lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 3)), [0]), ValueError, "target"),
    ("lce_chunk_size_zero",
     lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 3)), [0, 1], chunk_size=0),
     ValueError, "chunk_size"),
    ("lce_chunk_size_float",
     lambda: linear_cross_entropy_grad(np.ones((2, 3)), np.ones((5, 3)), [0, 1], chunk_size=2.0),
     TypeError, "chunk_size"),
    ("lce_bias_shape",
     lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 3)), [0, 1], bias=np.ones(3)),
     ValueError, "bias"),
    ("lce_float_targets",
     lambda: linear_cross_entropy(np.ones((2, 3)), np.ones((5, 3)), [0.0, 1.0]),
     TypeError, "target"),
    # --- issue 9: where= masks
    ("where_not_boolean", lambda: softmax(LOGITS, where=np.ones_like(LOGITS)), TypeError, "where"),
    ("where_not_broadcastable", lambda: log_softmax(LOGITS, where=np.ones((3, 2), bool)),
     ValueError, "where"),
    ("where_jvp_not_boolean", lambda: softmax_jvp(LOGITS, LOGITS, where=[[1, 0, 1]]),
     TypeError, "where"),
    ("where_jacobian_shape", lambda: softmax_jacobian(LOGITS, where=np.ones(2, bool)),
     ValueError, "where"),
    ("where_logsumexp_shape", lambda: logsumexp(LOGITS, where=np.ones((1, 2, 3), bool)),
     ValueError, "where"),
]


def test_kl_shape_mismatch_message_speaks_of_the_shape_not_of_the_sums():
    with pytest.raises(ValueError, match=r"^q: expected the shape of p"):
        kl_divergence([0.5, 0.5], [[0.5, 0.5], [0.9, 0.1]])


def test_ignore_index_with_probability_targets_is_rejected_not_silently_ignored():
    for fn in (cross_entropy, cross_entropy_grad):
        with pytest.raises(ValueError, match=r"^ignore_index: .*probabilit"):
            fn(np.zeros((1, 2)), np.array([[0.5, 0.5]]), ignore_index=0)


def test_one_hot_of_floats_does_not_suggest_probability_targets():
    with pytest.raises(TypeError, match="labels") as info:
        one_hot([1.0], 3)
    assert "probabilit" not in str(info.value)


@pytest.mark.parametrize(
    ("call", "error", "argument"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_raises_and_names_the_argument(call, error, argument):
    with pytest.raises(error, match=rf"(?<![\w.]){re.escape(argument)}(?!\w)"):
        call()


def test_every_case_id_is_unique():
    ids = [case[0] for case in BAD_INPUTS]
    assert len(ids) == len(set(ids))


def test_the_argument_pattern_rejects_a_message_that_only_contains_it_inside_a_word():
    # guard for the table above: "x" must not be found inside "max" or "axis"
    pattern = r"(?<![\w.])x(?!\w)"
    assert re.search(pattern, "the max of the axis") is None
    assert re.search(pattern, "x: expected real numbers") is not None


@pytest.mark.parametrize(
    "ignore_index, labels",
    [(-100, [2, -100]), (1, [1, 1]), (5, [5, 0])],
    ids=["minus_100", "in_range", "above_range"],
)
def test_labels_equal_to_ignore_index_are_not_errors(ignore_index, labels):
    loss = cross_entropy(LOGITS, np.array(labels), ignore_index=ignore_index, reduction="none")
    assert loss.shape == (2,)
