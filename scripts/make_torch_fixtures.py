"""Regenerate the stored PyTorch reference values in ``tests/fixtures/torch/``.

The test suite checks that ``softmax_ce`` has the semantics of ``torch.nn.functional``
without importing torch: it compares against values that torch computed once, here, and
that are committed as JSON. Run this script in an environment that has torch (any
version; the files record which) and commit the result::

    pip install torch                            # the CPU build is enough
    python scripts/make_torch_fixtures.py        # every family
    python scripts/make_torch_fixtures.py nll_loss binary_cross_entropy_with_logits
    python scripts/make_torch_fixtures.py --check  # do the stored files match this torch?

File format, one file per family, ``tests/fixtures/torch/<family>.json``::

    {"torch_version": "2.13.0", "numpy_version": "2.4.6",
     "generated_by": "scripts/make_torch_fixtures.py",
     "cases": [
       {"id": "index/weight=yes/ignore_index=-100/label_smoothing=0.1/reduction=mean/float64",
        "call": "torch.nn.functional.cross_entropy(logits, target, weight=weight, ...)",
        "grad_call": "torch.autograd.grad(value.sum(), logits)[0]",
        "inputs": {"logits": ARRAY, "target": ARRAY},
        "kwargs": {"weight": ARRAY, "ignore_index": -100, "reduction": "mean", ...},
        "expected": {"value": ARRAY, "grad": ARRAY}}, ...]}

* ``inputs`` are the positional arguments of the ``softmax_ce`` function of the same name,
  in order, and ``kwargs`` its keyword arguments (they mean what torch's do); arrays keep
  ``softmax_ce``'s layout (class axis at ``kwargs["axis"]``, default last).
* ``call`` is the exact expression that produced ``expected["value"]``: it is evaluated with
  ``torch`` in scope and every array of ``inputs`` and ``kwargs`` bound, under its own name, to
  a tensor of the same dtype (the float arrays of ``inputs`` with ``requires_grad=True``). ``grad_call``, when
  present, produced ``expected["grad"]`` by autograd, with ``value`` bound to the result of
  ``call``; for ``reduction="none"`` it is the gradient of the summed losses.
* ``ARRAY`` is ``{"dtype": "float32", "shape": [6, 5], "data": [...]}``: ``data`` is the array
  flattened in C order; floats are written by :mod:`json` from Python floats (the shortest
  repr, so float64 round-trips exactly, and a float32 value is exactly a float64), except the
  non-finite values, written as the strings ``"nan"``, ``"inf"`` and ``"-inf"``.

To add a family: write a function returning a list of cases built with :func:`make_case`,
decorate it with ``@family("name")``, run the script, and load the cases in a test with
``tests/_torch_fixtures.py``. Inputs are seeded: rerunning with the same torch and NumPy
rewrites the same files.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "tests" / "fixtures" / "torch"
GENERATED_BY = "scripts/make_torch_fixtures.py"
DTYPES = ("float64", "float32")
REDUCTIONS = ("none", "mean", "sum")

#: family name -> function returning that family's cases.
FAMILIES: dict[str, Callable[[], list[dict[str, Any]]]] = {}


def family(name: str) -> Callable:
    """Register a case-building function under ``name`` (the fixture file's stem)."""

    def register(build: Callable[[], list[dict[str, Any]]]) -> Callable:
        FAMILIES[name] = build
        return build

    return register


# ------------------------------------------------------------------- encoding
def _json_float(v: float) -> float | str:
    """``v`` itself, or ``"nan"``/``"inf"``/``"-inf"`` (strict JSON has no non-finite numbers)."""
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def encode_array(a: Any) -> dict[str, Any]:
    """``{"dtype", "shape", "data"}`` of an array (non-finite floats as strings)."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        data = [_json_float(v) for v in a.reshape(-1).tolist()]
    elif a.dtype.kind in "iub":  # integers; booleans (masks) as true/false
        data = a.reshape(-1).tolist()
    else:
        raise TypeError(f"cannot store an array of dtype {a.dtype}")
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def _torch():
    import torch

    torch.set_num_threads(1)
    return torch


def _tensor(torch: Any, a: np.ndarray, requires_grad: bool = False) -> Any:
    t = torch.from_numpy(np.array(a))  # a copy, so torch never aliases our inputs
    return t.requires_grad_(True) if requires_grad and t.is_floating_point() else t


def make_case(
    case_id: str,
    call: str,
    inputs: dict[str, np.ndarray],
    kwargs: dict[str, Any],
    grad_call: str | None = None,
    grad_names: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Evaluate ``call`` (and ``grad_call``) with torch and return the case to store.

    Every array in ``inputs`` and ``kwargs`` is bound under its own name to a tensor; the
    scalar ``kwargs`` are not bound: ``call`` spells them out, so that it is self-contained.
    With ``grad_names``, ``grad_call`` returns one gradient per name (``torch.autograd.grad``
    of several tensors), stored as ``expected["grad_<name>"]``.
    """
    torch = _torch()
    scope = {
        "torch": torch,
        **{name: _tensor(torch, a, requires_grad=True) for name, a in inputs.items()},
        **{name: _tensor(torch, a, requires_grad=name in (grad_names or ()))
           for name, a in kwargs.items() if isinstance(a, np.ndarray)},
    }
    value = eval(call, scope)  # noqa: S307 -- our own literal expression
    expected = {"value": value.detach().numpy()}
    if grad_call is not None:
        grads = eval(grad_call, {**scope, "value": value})  # noqa: S307
        if grad_names is None:
            expected["grad"] = grads.numpy()
        else:
            expected.update({f"grad_{n}": g.numpy() for n, g in zip(grad_names, grads)})
    return {
        "id": case_id,
        "call": call,
        **({"grad_call": grad_call} if grad_call is not None else {}),
        "inputs": {name: encode_array(a) for name, a in inputs.items()},
        "kwargs": {
            k: encode_array(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
        },
        "expected": {name: encode_array(a) for name, a in expected.items()},
    }


def _class_axis_to_1(name: str, ndim: int, axis: int) -> str:
    """``name``, or ``name.movedim(axis, 1)``: torch wants the class axis at 1 (0 if 1-D)."""
    axis = axis % ndim
    return name if ndim == 1 or axis == 1 else f"{name}.movedim({axis}, 1)"


def _keywords(options: dict[str, Any]) -> str:
    """Keyword text of a torch call: arrays by name, scalars spelled out."""
    return "".join(
        f", {k}={k}" if isinstance(v, np.ndarray) else f", {k}={v!r}" for k, v in options.items()
    )


# ------------------------------------------------------------ cross_entropy
def _cross_entropy_case(
    case_id: str, logits: np.ndarray, target: np.ndarray, **kwargs: Any
) -> dict[str, Any]:
    axis = kwargs.get("axis", -1)
    target_text = (
        _class_axis_to_1("target", target.ndim, axis) if target.dtype.kind == "f" else "target"
    )
    options = {k: v for k, v in kwargs.items() if k != "axis"}
    call = (
        f"torch.nn.functional.cross_entropy({_class_axis_to_1('logits', logits.ndim, axis)}, "
        f"{target_text}{_keywords(options)})"
    )
    return make_case(
        case_id, call, {"logits": logits, "target": target}, kwargs,
        grad_call="torch.autograd.grad(value.sum(), logits)[0]",
    )


def _option_id(name: str, value: Any) -> str:
    return f"{name}={'yes' if isinstance(value, np.ndarray) else value}"


@family("cross_entropy")
def cross_entropy_cases() -> list[dict[str, Any]]:
    """Index and probability targets under every combination of weight, ignore_index,
    label_smoothing and reduction; five layouts; the edge cases the tests name."""
    n, k = 6, 5
    data = np.random.default_rng(11)
    logits64 = data.standard_normal((n, k)) * 3
    probs64 = data.dirichlet(np.ones(k), size=n)
    probs64[1] = [0.0, 0.0, 1.0, 0.0, 0.0]  # a one-hot row among soft ones
    probs64[3] = [0.5, 0.0, 0.0, 0.5, 0.0]  # zero-probability classes
    labels = np.array([0, 2, 4, 2, 1, 3])
    labels_with_minus_100 = np.array([0, -100, 4, 2, -100, 3])
    weight64 = np.array([0.5, 2.0, 1.0, 0.25, 3.0])
    cases = []
    for dtype in DTYPES:
        logits, probs, weight = (a.astype(dtype) for a in (logits64, probs64, weight64))
        # index targets: weight x ignore_index (none, -100 on two rows, a class in range)
        # x label_smoothing (0, 0.1, 1) x reduction
        for w, ignore, eps, reduction in itertools.product(
            (None, weight), (None, -100, 2), (0.0, 0.1, 1.0), REDUCTIONS
        ):
            target = labels_with_minus_100 if ignore == -100 else labels
            kwargs = {"weight": w, "ignore_index": ignore, "label_smoothing": eps}
            kwargs = {name: v for name, v in kwargs.items() if v is not None}
            kwargs["reduction"] = reduction
            case_id = "/".join(
                ["index", _option_id("weight", w), _option_id("ignore_index", ignore),
                 f"label_smoothing={eps}", f"reduction={reduction}", dtype]
            )
            cases.append(_cross_entropy_case(case_id, logits, target, **kwargs))
        # probability targets: weight x label_smoothing x reduction
        for w, eps, reduction in itertools.product((None, weight), (0.0, 0.25, 1.0), REDUCTIONS):
            kwargs = {"label_smoothing": eps, "reduction": reduction}
            if w is not None:
                kwargs = {"weight": w, **kwargs}
            case_id = "/".join(
                ["probs", _option_id("weight", w), f"label_smoothing={eps}",
                 f"reduction={reduction}", dtype]
            )
            cases.append(_cross_entropy_case(case_id, logits, probs, **kwargs))
        # layouts: torch's (N, C, d...) with axis 1, classes last, classes first, one sample
        layouts = {
            "N_C_d_axis1": ((4, k, 3), 1),
            "N_C_d1_d2_axis1": ((2, k, 3, 2), 1),
            "N_d_C_axis_last": ((4, 3, k), -1),
            "class_axis_first": ((k, 4), 0),
            "single_sample_1d": ((k,), -1),
        }
        for seed, (name, (shape, axis)) in enumerate(layouts.items()):
            rng = np.random.default_rng(100 + seed)
            x = (rng.standard_normal(shape) * 2).astype(dtype)
            index_shape = shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :]
            y_index = rng.integers(0, k, size=index_shape)
            y_probs = np.moveaxis(rng.dirichlet(np.ones(k), size=index_shape), -1, axis)
            for (kind, y), reduction in itertools.product(
                (("index", y_index), ("probs", y_probs.astype(dtype))), REDUCTIONS
            ):
                case_id = f"layout/{name}/{kind}/reduction={reduction}/{dtype}"
                cases.append(_cross_entropy_case(
                    case_id, x, y, axis=axis, weight=weight, label_smoothing=0.1,
                    reduction=reduction,
                ))
        # edge cases
        x = (np.random.default_rng(7).standard_normal(k)).astype(dtype)
        cases.append(_cross_entropy_case(f"edge/single_sample_int_target/{dtype}", x,
                                         np.array(3)))
        for reduction in REDUCTIONS:
            cases.append(_cross_entropy_case(
                f"edge/all_ignored/reduction={reduction}/{dtype}", logits, np.full(n, -100),
                ignore_index=-100, reduction=reduction,
            ))
        x = np.array([[0.0, -np.inf, 1.0], [2.0, 0.5, -np.inf]], dtype=dtype)
        for reduction in REDUCTIONS:
            cases.append(_cross_entropy_case(
                f"edge/minus_inf_non_target_logit/reduction={reduction}/{dtype}", x,
                np.array([0, 1]), reduction=reduction,
            ))
        x = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], dtype=dtype)
        zero_first = np.array([0.0, 1.0, 1.0], dtype=dtype)
        for name, y in (("both_rows_weight_0", [0, 0]), ("weight_0_and_ignored", [0, -100])):
            cases.append(_cross_entropy_case(
                f"edge/zero_total_weight/{name}/{dtype}", x, np.array(y), weight=zero_first,
                ignore_index=-100,
            ))
    return cases


# ------------------------------------------------------------------ nll_loss
def _nll_case(case_id: str, log_probs: np.ndarray, target: np.ndarray, **kwargs: Any):
    axis = kwargs.get("axis", -1)
    options = {k: v for k, v in kwargs.items() if k != "axis"}
    call = (
        f"torch.nn.functional.nll_loss({_class_axis_to_1('log_probs', log_probs.ndim, axis)}, "
        f"target{_keywords(options)})"
    )
    return make_case(case_id, call, {"log_probs": log_probs, "target": target}, kwargs)


@family("nll_loss")
def nll_loss_cases() -> list[dict[str, Any]]:
    """weight x ignore_index x reduction on (N, C); weight x reduction on (N, C, d) with
    axis 1; the all-ignored mean."""
    k = 4
    data = np.random.default_rng(13)
    log_probs64 = np.log(data.dirichlet(np.ones(k), size=7))
    labels = np.array([0, 3, 1, 1, 2, 0, 3])
    labels_with_minus_100 = np.array([0, -100, 1, 1, -100, 0, 3])
    weight64 = np.array([1.5, 0.5, 2.0, 0.75])
    rng = np.random.default_rng(14)
    z = rng.standard_normal((3, k, 5))
    log_probs_ncd64 = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    labels_ncd = rng.integers(0, k, size=(3, 5))
    cases = []
    for dtype in DTYPES:
        log_probs, weight = log_probs64.astype(dtype), weight64.astype(dtype)
        for w, ignore, reduction in itertools.product(
            (None, weight), (None, -100, 1), REDUCTIONS
        ):
            target = labels_with_minus_100 if ignore == -100 else labels
            kwargs = {"weight": w, "ignore_index": ignore}
            kwargs = {name: v for name, v in kwargs.items() if v is not None}
            kwargs["reduction"] = reduction
            case_id = "/".join(["NC", _option_id("weight", w), _option_id("ignore_index", ignore),
                                f"reduction={reduction}", dtype])
            cases.append(_nll_case(case_id, log_probs, target, **kwargs))
        for w, reduction in itertools.product((None, weight), REDUCTIONS):
            kwargs = {"axis": 1, **({"weight": w} if w is not None else {}),
                      "reduction": reduction}
            case_id = f"NCd_axis1/{_option_id('weight', w)}/reduction={reduction}/{dtype}"
            cases.append(_nll_case(case_id, log_probs_ncd64.astype(dtype), labels_ncd, **kwargs))
        cases.append(_nll_case(f"edge/all_ignored/reduction=mean/{dtype}", log_probs,
                               np.full(labels.shape, -100), ignore_index=-100, reduction="mean"))
    return cases


# ------------------------------------------- binary_cross_entropy_with_logits
@family("binary_cross_entropy_with_logits")
def binary_cross_entropy_with_logits_cases() -> list[dict[str, Any]]:
    """Hard and soft targets, every reduction; logits up to |z| ~ 20 and the stable range's
    edges (|z| = 40, 100)."""
    rng = np.random.default_rng(20251124)  # the seed of the live comparison these replace
    logits64 = rng.standard_normal((5, 3)) * 6
    targets64 = np.concatenate([rng.integers(0, 2, size=(2, 3)), rng.uniform(size=(3, 3))])
    wide64 = np.array([-100.0, -40.0, -1e-3, 0.0, 1e-3, 40.0, 100.0])
    wide_targets64 = np.array([1.0, 0.0, 0.5, 0.25, 1.0, 1.0, 0.0])
    cases = []
    for dtype, reduction in itertools.product(DTYPES, REDUCTIONS):
        for name, z, y in (("random", logits64, targets64), ("wide", wide64, wide_targets64)):
            cases.append(make_case(
                f"{name}/reduction={reduction}/{dtype}",
                "torch.nn.functional.binary_cross_entropy_with_logits(logits, target, "
                f"reduction={reduction!r})",
                {"logits": z.astype(dtype), "target": y.astype(dtype)},
                {"reduction": reduction},
            ))
    return cases


# ----------------------------------------------------------- softmax_jacobian
@family("softmax_jacobian")
def softmax_jacobian_cases() -> list[dict[str, Any]]:
    """The (K, K) Jacobian of softmax at 1-D points, by ``torch.autograd.functional``."""
    cases = []
    for dtype in DTYPES:
        for seed, (k, scale) in enumerate(((6, 2.0), (3, 0.5), (8, 10.0))):
            x = (np.random.default_rng(20 + seed).standard_normal(k) * scale).astype(dtype)
            cases.append(make_case(
                f"k={k}/scale={scale}/{dtype}",
                "torch.autograd.functional.jacobian(lambda u: torch.softmax(u, dim=-1), x)",
                {"x": x}, {},
            ))
    return cases


# ---------------------------------------------------------------- masked_softmax
@family("masked_softmax")
def masked_softmax_cases() -> list[dict[str, Any]]:
    """torch's masking idioms on a (3, 3) float32 example whose last row is fully masked.

    No ``softmax_ce`` function has this name: the package's counterpart is
    ``softmax(x, where=where)`` (chapter 5 compares them). ``where[i, j]`` True keeps
    (attends to) entry ``j`` of row ``i``, as torch's boolean ``attn_mask``.
    """
    scores = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [0.25, 0.75, -0.25]], np.float32)
    where = np.array([[True, False, False], [True, True, False], [False, False, False]])
    q = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]], np.float32)
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)
    v = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    inf = np.float32(np.inf)
    return [
        make_case("softmax/all-minus-inf-row", "torch.softmax(x, dim=-1)",
                  {"x": np.array([[-inf, -inf, -inf], [0.0, 1.0, -inf]], np.float32)}, {}),
        make_case("masked_fill/minus-inf",
                  "torch.softmax(x.masked_fill(~where, float('-inf')), dim=-1)",
                  {"x": scores}, {"where": where}),
        make_case("masked_fill/finfo-min",
                  "torch.softmax(x.masked_fill(~where, torch.finfo(x.dtype).min), dim=-1)",
                  {"x": scores}, {"where": where}),
        make_case("scaled_dot_product_attention/bool-mask",
                  "torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=where)",
                  {"q": q, "k": k, "v": v}, {"where": where}),
    ]


# ---------------------------------------------------------------------- kl_div
@family("kl_div")
def kl_div_cases() -> list[dict[str, Any]]:
    """``F.kl_div(log_q, p, reduction, log_target)`` = KL(p || q) summed as ``reduction`` says:
    probabilities or log-probabilities as the target, (N, K) and (N, T, K) inputs, and a
    confident student whose probabilities underflow (the case log space exists for).

    ``inputs`` are ``p`` (the target, in the form ``log_target`` says) and ``log_q``.
    """
    rng = np.random.default_rng(20261202)
    cases = []
    for shape in ((4, 5), (2, 3, 5)):
        zp, zq = rng.standard_normal(shape) * 2, rng.standard_normal(shape) * 2
        log_p = zp - np.log(np.exp(zp).sum(-1, keepdims=True))
        log_q = zq - np.log(np.exp(zq).sum(-1, keepdims=True))
        for dtype, log_target, reduction in itertools.product(
                DTYPES, (False, True), ("none", "sum", "batchmean")):
            p = log_p if log_target else np.exp(log_p)
            cases.append(make_case(
                f"shape={shape}/log_target={log_target}/reduction={reduction}/{dtype}",
                f"torch.nn.functional.kl_div(log_q, p, reduction={reduction!r}, "
                f"log_target={log_target!r})",
                {"p": p.astype(dtype), "log_q": log_q.astype(dtype)},
                {"reduction": reduction, "log_target": log_target},
            ))
    log_p = np.array([[0.0, -30.0]]) - np.logaddexp(0.0, -30.0)
    log_q = np.array([[0.0, -800.0]]) - np.logaddexp(0.0, -800.0)
    cases.append(make_case(
        "confident-student/log_target=True/reduction=batchmean/float64",
        "torch.nn.functional.kl_div(log_q, p, reduction='batchmean', log_target=True)",
        {"p": log_p, "log_q": log_q},
        {"reduction": "batchmean", "log_target": True},
    ))
    return cases


# ------------------------------------------------- weighted BCE and its gradient
@family("binary_cross_entropy_with_logits_weighted")
def weighted_bce_cases() -> list[dict[str, Any]]:
    """``weight`` (per sample, broadcast over labels) and ``pos_weight`` (per label), alone and
    together, every reduction, with the gradient by autograd."""
    rng = np.random.default_rng(20261203)
    logits = rng.standard_normal((6, 4)) * 5
    target = np.concatenate([rng.integers(0, 2, size=(3, 4)), rng.uniform(size=(3, 4))])
    weight = rng.uniform(0.0, 2.0, size=(6, 1))
    pos_weight = rng.uniform(0.2, 5.0, size=4)
    cases = []
    for dtype, reduction, (w, a) in itertools.product(
            DTYPES, REDUCTIONS, ((True, False), (False, True), (True, True))):
        kwargs: dict[str, Any] = {}
        if w:
            kwargs["weight"] = weight.astype(dtype)
        if a:
            kwargs["pos_weight"] = pos_weight.astype(dtype)
        kwargs["reduction"] = reduction
        cases.append(make_case(
            f"weight={w}/pos_weight={a}/reduction={reduction}/{dtype}",
            "torch.nn.functional.binary_cross_entropy_with_logits(logits, target"
            f"{_keywords(kwargs)})",
            {"logits": logits.astype(dtype), "target": target.astype(dtype)},
            kwargs,
            grad_call="torch.autograd.grad(value.sum(), logits)[0]",
        ))
    return cases


# ------------------------------------------------------------ linear_cross_entropy
@family("linear_cross_entropy")
def linear_cross_entropy_cases() -> list[dict[str, Any]]:
    """``F.cross_entropy(F.linear(hidden, weight, bias), target, ...)`` with the gradients of
    ``hidden``, ``weight`` and ``bias`` by autograd: with and without bias and ignore_index,
    every reduction, float32 and float64, and logits of magnitude about 1e4."""
    rng = np.random.default_rng(20261204)
    n, d, v = 12, 6, 40
    hidden = rng.standard_normal((n, d))
    weight = rng.standard_normal((v, d))
    bias = rng.standard_normal(v)
    target = rng.integers(0, v, size=n)
    target_ignored = target.copy()
    target_ignored[::4] = -100
    big = 1e4 / np.abs(hidden @ weight.T).max()  # scales the logits to |z| <= 1e4
    cases = []
    for dtype, reduction, with_bias, ignore, scale in itertools.product(
            DTYPES, REDUCTIONS, (True, False), (False, True), (1.0, big)):
        if scale != 1.0 and (ignore or not with_bias):
            continue
        inputs = {"hidden": (hidden * scale).astype(dtype), "weight": weight.astype(dtype),
                  "target": target_ignored if ignore else target}
        kwargs: dict[str, Any] = {}
        if with_bias:
            kwargs["bias"] = bias.astype(dtype)
        if ignore:
            kwargs["ignore_index"] = -100
        kwargs["reduction"] = reduction
        linear = "torch.nn.functional.linear(hidden, weight" + (", bias" if with_bias else "") + ")"
        rest = {k: val for k, val in kwargs.items() if k != "bias"}
        names = ("hidden", "weight") + (("bias",) if with_bias else ())
        cases.append(make_case(
            f"bias={with_bias}/ignore_index={ignore}/reduction={reduction}/"
            f"logits={'1e4' if scale != 1.0 else 'unit'}/{dtype}",
            f"torch.nn.functional.cross_entropy({linear}, target{_keywords(rest)})",
            inputs, kwargs,
            grad_call=f"torch.autograd.grad(value.sum(), ({', '.join(names)},))",
            grad_names=names,
        ))
    return cases


# ----------------------------------------------------------------------- main
def dumps(value: Any, indent: str = "") -> str:
    """Strict JSON, one key per line, but every list of numbers and strings on one line."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {dumps(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


def render(name: str) -> str:
    """The JSON text of one family's fixture file."""
    torch = _torch()
    document = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "generated_by": GENERATED_BY,
        "cases": FAMILIES[name](),
    }
    return dumps(document) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="*", metavar="family",
                        help=f"families to regenerate (default: all of {', '.join(FAMILIES)})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a stored file differs from a fresh one")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.families) - set(FAMILIES))
    if unknown:
        parser.error(f"unknown family {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    stale = []
    for name in args.families or sorted(FAMILIES):
        path = OUT_DIR / f"{name}.json"
        text = render(name)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}: {len(json.loads(text)['cases'])} cases, "
              f"{len(text.encode()) / 1024:.0f} KiB")
    for path in stale:
        print(f"differs: {path.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
