"""squared_error / squared_error_grad and the softmax-regression trainer: empty input,
argument checks whose messages name the argument, and the class count of the model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from softmax_ce.squared_error import squared_error, squared_error_grad
from softmax_ce_book.training import make_classification, train_softmax_regression


def test_squared_error_of_an_empty_batch_is_nan_mean_and_zero_sum_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(squared_error(np.zeros((0, 3)), np.zeros(0, int)))
        assert squared_error(np.zeros((0, 3)), np.zeros(0, int), reduction="sum") == 0.0
        assert squared_error_grad(np.zeros((0, 3)), np.zeros(0, int)).shape == (0, 3)


def test_squared_error_integer_one_hot_target_is_a_type_error_naming_target():
    with pytest.raises(TypeError, match="^target: .*floating point"):
        squared_error(np.zeros((2, 3)), np.eye(3, dtype=int)[:2])


def test_squared_error_mean_equals_sum_over_rows_divided_by_n(rng):
    z, labels = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    assert squared_error(z, labels) == squared_error(z, labels, reduction="sum") / 6


def test_training_with_float_labels_names_labels():
    with pytest.raises(TypeError, match="^labels: "):
        train_softmax_regression(np.ones((3, 2)), np.array([0.0, 1.0, 0.0]), epochs=2)


def test_training_with_no_samples_names_the_argument():
    with pytest.raises(ValueError, match="^(X|labels): "):
        train_softmax_regression(np.ones((0, 2)), np.array([], int), epochs=2)


def test_training_with_a_wrongly_shaped_init_names_init():
    with pytest.raises(ValueError, match="^init: "):
        train_softmax_regression(
            np.ones((3, 2)), np.array([0, 1, 0]), init=(np.zeros((2, 5)), np.zeros(3))
        )


def test_training_builds_one_column_per_class_even_if_the_top_class_is_absent():
    X, labels = np.ones((3, 2)), np.array([0, 0, 0])
    assert train_softmax_regression(X, labels, epochs=1, n_classes=3).W.shape == (2, 3)
    init = (np.zeros((2, 4)), np.zeros(4))
    assert train_softmax_regression(X, labels, epochs=1, init=init).W.shape == (2, 4)
    assert train_softmax_regression(X, labels, epochs=1).W.shape == (2, 1)  # labels.max() + 1


def test_training_rejects_labels_outside_the_classes():
    with pytest.raises(ValueError, match="^labels: "):
        train_softmax_regression(np.ones((3, 2)), np.array([0, 1, 3]), epochs=1, n_classes=3)
    with pytest.raises(ValueError, match="^n_classes: "):
        train_softmax_regression(
            np.ones((3, 2)), np.array([0, 1, 0]), n_classes=3, init=(np.zeros((2, 4)), np.zeros(4))
        )


@pytest.mark.parametrize(
    "kwargs, argument",
    [({"lr": "a"}, "lr"), ({"epochs": 1.5}, "epochs"), ({"loss": "mse"}, "loss")],
    ids=["lr_string", "epochs_float", "loss_unknown"],
)
def test_training_bad_arguments_name_the_argument(kwargs, argument):
    with pytest.raises((TypeError, ValueError), match=f"^{argument}: "):
        train_softmax_regression(np.ones((3, 2)), np.array([0, 1, 0]), **kwargs)


def test_training_with_explicit_n_classes_equal_to_the_default_is_bit_identical():
    X, labels = make_classification(60, 3, 2, seed=0)
    a = train_softmax_regression(X, labels, epochs=5)
    b = train_softmax_regression(X, labels, epochs=5, n_classes=3)
    assert_array_equal(a.W, b.W)
    assert_array_equal(a.loss, b.loss)
