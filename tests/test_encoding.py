"""one_hot: exact rows, any leading shape, the requested dtype, and agreement with
the integer-label form of cross_entropy."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from softmax_ce import cross_entropy, one_hot


def test_one_hot_rows_are_rows_of_the_identity():
    labels = np.array([2, 0, 1, 2])
    assert_array_equal(one_hot(labels, 3), np.eye(3)[labels])


def test_one_hot_default_dtype_is_float64_and_dtype_is_respected():
    assert one_hot(np.array([0, 1]), 2).dtype == np.float64
    for dtype in (np.float16, np.float32, np.int64, np.bool_):
        result = one_hot(np.array([0, 1]), 3, dtype=dtype)
        assert result.dtype == dtype
        assert_array_equal(result, np.eye(3, dtype=dtype)[[0, 1]])


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 2)], ids=str)
def test_one_hot_appends_the_class_axis_to_any_shape(rng, shape):
    labels = rng.integers(0, 5, size=shape)
    result = one_hot(labels, 5)
    assert result.shape == shape + (5,)
    assert_array_equal(result.sum(axis=-1), 1.0)
    assert_array_equal(np.argmax(result, axis=-1), labels)


def test_one_hot_accepts_lists_and_every_integer_dtype():
    expected = one_hot(np.array([1, 0]), 2)
    assert_array_equal(one_hot([1, 0], 2), expected)
    for dtype in (np.int8, np.uint8, np.int16, np.int32, np.uint32, np.uint64):
        assert_array_equal(one_hot(np.array([1, 0], dtype=dtype), 2), expected)


def test_one_hot_of_an_empty_batch():
    assert one_hot(np.zeros(0, dtype=np.int64), 4).shape == (0, 4)


def test_one_hot_with_a_single_class():
    assert_array_equal(one_hot(np.array([0, 0]), 1), [[1.0], [1.0]])


def test_one_hot_does_not_share_memory_with_its_input():
    labels = np.array([0, 1, 2])
    result = one_hot(labels, 3)
    assert not np.shares_memory(result, labels)
    assert result.flags.writeable


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_one_hot_targets_give_the_same_loss_as_integer_labels(rng, reduction):
    logits = rng.standard_normal((6, 4)) * 3
    labels = rng.integers(0, 4, size=6)
    np.testing.assert_allclose(
        cross_entropy(logits, one_hot(labels, 4), reduction=reduction),
        cross_entropy(logits, labels, reduction=reduction),
        rtol=1e-15,
    )


def test_empty_label_list_gives_an_empty_one_hot_matrix():
    out = one_hot([], 3)
    assert out.shape == (0, 3) and out.dtype == np.float64


def test_empty_label_list_is_a_valid_cross_entropy_target():
    assert cross_entropy(np.zeros((0, 3)), [], reduction="none").shape == (0,)
    assert cross_entropy(np.zeros((0, 3)), [], reduction="sum") == 0.0
