"""softmax_ce_book.digits: the exact softmax-regression fit behind chapter 6.

The fit is compared with scikit-learn's ``LogisticRegression`` (the reference: same objective
up to a constant factor), its gradient with centred finite differences, and the logit-adjusted
loss with the intercept shift it must equal; bad input names the argument.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from softmax_ce import cross_entropy, softmax
from softmax_ce.calibration import expected_calibration_error
from softmax_ce.gradcheck import numerical_gradient
from softmax_ce_book.digits import (
    Table,
    evaluate,
    fit_softmax_regression,
    long_tail_indices,
    regression_objective,
)


@pytest.fixture
def blobs(rng):
    """Three overlapping Gaussian classes in 4 dimensions (not separable)."""
    labels = np.repeat(np.arange(3), 40)
    X = np.eye(3, 4)[labels] + 0.8 * rng.standard_normal((120, 4))
    return X, labels


def centred(Z):
    return Z - Z.mean(axis=1, keepdims=True)


def test_fit_matches_sklearn_logistic_regression_with_c_equal_1_over_l2(blobs):
    X, labels = blobs
    model = fit_softmax_regression(X, labels, l2=0.5)
    # reference: scikit-learn minimises C * sum CE + ||W||^2 / 2, i.e. our objective times C
    reference = LogisticRegression(C=2.0, solver="newton-cg", tol=1e-12, max_iter=1000)
    reference.fit(X, labels)
    assert model.grad_norm <= 1e-10
    np.testing.assert_allclose(model.W, reference.coef_.T, rtol=0, atol=1e-7)
    np.testing.assert_allclose(centred(model.logits(X)),
                               centred(reference.decision_function(X)), rtol=0, atol=1e-7)


@pytest.mark.parametrize("options", [
    {},
    {"weight": np.array([1.0, 3.0, 0.5])},
    {"label_smoothing": 0.2},
    {"logit_adjustment": np.log([0.6, 0.3, 0.1])},
    {"weight": np.array([2.0, 1.0, 0.5]), "label_smoothing": 0.1},
])
def test_objective_gradient_matches_finite_differences(blobs, rng, options):
    X, labels = blobs
    W, b = rng.standard_normal((4, 3)), rng.standard_normal(3)

    def value(theta):
        return regression_objective(theta[:12].reshape(4, 3), theta[12:], X, labels, l2=0.7,
                                    **options)[0]

    _, gW, gb = regression_objective(W, b, X, labels, l2=0.7, **options)
    numeric = numerical_gradient(value, np.concatenate([W.ravel(), b]))
    np.testing.assert_allclose(np.concatenate([gW.ravel(), gb]), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("options", [
    {"weight": np.array([1.0, 3.0, 0.5])},
    {"label_smoothing": 0.2},
    {"weight": np.array([2.0, 1.0, 0.5]), "label_smoothing": 0.1},
])
def test_weighted_and_smoothed_fits_reach_a_zero_gradient(blobs, options):
    X, labels = blobs
    model = fit_softmax_regression(X, labels, l2=1.0, **options)
    _, gW, gb = regression_objective(model.W, model.b, X, labels, l2=1.0, **options)
    assert max(np.abs(gW).max(), np.abs(gb).max()) <= 1e-10


def test_class_weights_give_the_weighted_sklearn_optimum(blobs):
    X, labels = blobs
    weight = np.array([1.0, 3.0, 0.5])
    model = fit_softmax_regression(X, labels, l2=1.0, weight=weight)
    reference = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-12, max_iter=1000,
                                   class_weight=dict(enumerate(weight))).fit(X, labels)
    np.testing.assert_allclose(model.W, reference.coef_.T, rtol=0, atol=1e-7)


def test_logit_adjusted_loss_equals_plain_fit_with_shifted_intercept(blobs):
    X, labels = blobs
    offset = np.log([0.6, 0.3, 0.1])
    plain = fit_softmax_regression(X, labels, l2=1.0)
    adjusted = fit_softmax_regression(X, labels, l2=1.0, logit_adjustment=offset)
    np.testing.assert_allclose(adjusted.W, plain.W, rtol=0, atol=1e-8)
    np.testing.assert_allclose(centred(adjusted.logits(X)), centred(plain.logits(X) - offset),
                               rtol=0, atol=1e-8)


def test_n_classes_adds_columns_for_classes_absent_from_the_labels(blobs):
    X, labels = blobs
    model = fit_softmax_regression(X, labels, l2=1.0, n_classes=5)
    assert model.W.shape == (4, 5) and model.b.shape == (5,)
    assert np.all(softmax(model.logits(X))[:, 3:] < 0.1)


@pytest.mark.parametrize(("kwargs", "error", "name"), [
    ({"X": np.ones(3)}, ValueError, "X"),
    ({"labels": np.array([0.0, 1.0, 0.0])}, TypeError, "labels"),
    ({"labels": np.array([0, 1])}, ValueError, "labels"),
    ({"labels": np.array([0, 1, 5]), "n_classes": 3}, ValueError, "labels"),
    ({"l2": 0.0}, ValueError, "l2"),
    ({"l2": float("nan")}, ValueError, "l2"),
    ({"logit_adjustment": np.zeros(3)}, ValueError, "logit_adjustment"),
])
def test_bad_input_names_the_argument(kwargs, error, name):
    arguments = {"X": np.eye(3), "labels": np.array([0, 1, 0]), "l2": 1.0, **kwargs}
    X, labels = arguments.pop("X"), arguments.pop("labels")
    with pytest.raises(error, match=f"^{name}: "):
        fit_softmax_regression(X, labels, **arguments)


def test_long_tail_indices_keep_a_geometric_fraction_per_class_seeded():
    labels = np.repeat(np.arange(5), 100)
    keep = long_tail_indices(labels, ratio=16.0, seed=3)
    assert np.bincount(labels[keep]).tolist() == [100, 50, 25, 12, 6]  # 100 * 16^(-k/4)
    assert np.array_equal(keep, long_tail_indices(labels, ratio=16.0, seed=3))
    assert not np.array_equal(keep, long_tail_indices(labels, ratio=16.0, seed=4))
    assert np.all(np.diff(keep) > 0)


@pytest.mark.parametrize(("labels", "ratio", "error", "name"), [
    (np.array([0.0, 1.0]), 2.0, TypeError, "labels"),
    (np.zeros(4, int), 2.0, ValueError, "labels"),
    (np.array([0, 1]), 0.5, ValueError, "ratio"),
])
def test_long_tail_bad_input_names_the_argument(labels, ratio, error, name):
    with pytest.raises(error, match=f"^{name}: "):
        long_tail_indices(labels, ratio=ratio, seed=0)


def test_evaluate_agrees_with_the_definitions(rng):
    Z, labels = 2 * rng.standard_normal((50, 4)), rng.integers(0, 4, 50)
    metrics = evaluate(Z, labels)
    P = softmax(Z)
    assert metrics["accuracy"] == np.mean(P.argmax(1) == labels)
    assert metrics["nll"] == pytest.approx(float(cross_entropy(Z, labels)), rel=1e-15)
    assert metrics["ece"] == float(expected_calibration_error(P, labels))
    brier = np.mean(((P - np.eye(4)[labels]) ** 2).sum(axis=1))
    assert metrics["brier"] == pytest.approx(brier, rel=1e-12)
    norm = np.linalg.norm(Z - Z.mean(1, keepdims=True), axis=1).mean()
    assert metrics["logit_norm"] == pytest.approx(norm, rel=1e-14)


def test_table_plain_text_is_its_markdown():
    table = Table(("name", "x", "note"), (("a", 1.23456, "ok"), ("b", np.float64(2.0), 3)),
                  digits=2)
    expected = "| name | x | note |\n|---|---:|---:|\n| a | 1.23 | ok |\n| b | 2.00 | 3 |"
    assert repr(table) == table._repr_markdown_() == expected
