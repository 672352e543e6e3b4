"""Benchmark the chunked linear cross-entropy against the materialised logits (and PyTorch CPU).

Usage::

    python benchmarks/bench_linear_cross_entropy.py           # N=4096, d=256, V=32000 (~2 GB)
    python benchmarks/bench_linear_cross_entropy.py --quick   # tiny shapes, to check the script

The task is one training step of a language model's output layer: the mean cross-entropy of
the logits ``H @ W.T`` (``H``: N x d hidden states, ``W``: V x d weight, float32) and its
gradients with respect to ``H`` and ``W``. Candidates:

* ``chunked``: ``softmax_ce.linear_cross_entropy_value_and_grad`` (blocks of tokens; the
  N x V logits never exist at once);
* ``materialised``: ``Z = H @ W.T``; ``cross_entropy(Z, y)``, ``G = cross_entropy_grad(Z, y)``;
  ``G @ W``, ``G.T @ H``: the same matrix products with the whole N x V matrix (twice: Z, G);
* ``torch`` (when installed): ``F.cross_entropy(F.linear(h, w), y).backward()``.

Method (as ``benchmarks/bench.py``): one thread for every library (set before NumPy and
PyTorch are imported); candidates interleaved round-robin in one process, one warm-up each,
``--repeats`` timed calls with the garbage collector off; medians and ratios of medians. Peak
extra memory is measured in a separate pass with :mod:`tracemalloc`: the peak allocated during
the call minus the bytes of the returned gradients (the inputs exist before the call and are
not counted). PyTorch's allocations are invisible to tracemalloc, so only the NumPy paths get a
memory figure. Targets (from the issue): chunked extra memory <= 15 % of the materialised
path's, chunked time <= 1.1 x the materialised path's.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
from collections.abc import Callable

# benchmarks/bench.py (same folder) pins every library to one thread before NumPy and PyTorch
# are imported; importing it first gives this script the same setting, and torch (or None).
from bench import peak_extra_bytes, time_interleaved, torch  # isort: skip

import numpy as np  # noqa: E402

import softmax_ce as sce  # noqa: E402

FULL = dict(n=4096, d=256, vocab=32000)
QUICK = dict(n=64, d=16, vocab=300)
MEMORY_TARGET = 0.15  # chunked extra memory / materialised extra memory
TIME_TARGET = 1.1  # chunked time / materialised time


def problem(n: int, d: int, vocab: int, seed: int = 20261202):
    """Seeded float32 hidden states, weight (logits of standard deviation ~3) and targets."""
    rng = np.random.default_rng(seed)
    hidden = rng.standard_normal((n, d), dtype=np.float32)
    weight = (3.0 / np.sqrt(d) * rng.standard_normal((vocab, d))).astype(np.float32)
    target = rng.integers(0, vocab, size=n)
    return hidden, weight, target


def materialised(hidden, weight, target):
    """Loss and gradients through the whole N x V logits matrix (the textbook path)."""
    logits = hidden @ weight.T
    loss = sce.cross_entropy(logits, target)
    g = sce.cross_entropy_grad(logits, target)
    return loss, g @ weight, g.T @ hidden


def chunked(hidden, weight, target):
    """Loss and gradients with ``linear_cross_entropy_value_and_grad`` (default block size)."""
    loss, grad_hidden, grad_weight, _ = sce.linear_cross_entropy_value_and_grad(
        hidden, weight, target)
    return loss, grad_hidden, grad_weight


def candidates(hidden, weight, target) -> dict[str, Callable[[], tuple]]:
    """The callables to time, each returning (loss, grad_hidden, grad_weight)."""
    cands = {"chunked": lambda: chunked(hidden, weight, target),
             "materialised": lambda: materialised(hidden, weight, target)}
    if torch is not None:
        th, tw, ty = torch.from_numpy(hidden), torch.from_numpy(weight), torch.from_numpy(target)

        def torch_step():
            h, w = th.detach().requires_grad_(True), tw.detach().requires_grad_(True)
            loss = torch.nn.functional.cross_entropy(torch.nn.functional.linear(h, w), ty)
            loss.backward()
            return loss.detach().numpy(), h.grad.numpy(), w.grad.numpy()

        cands["torch"] = torch_step
    return cands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny shapes, to check the script")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per candidate")
    args = parser.parse_args(argv)
    shape = QUICK if args.quick else FULL
    repeats = args.repeats or (3 if args.quick else 7)
    hidden, weight, target = problem(**shape)

    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"torch {torch.__version__ if torch is not None else 'not installed'}; one thread; "
          f"float32; N={shape['n']}, d={shape['d']}, V={shape['vocab']}; loss + dL/dH + dL/dW; "
          f"medians of {repeats} interleaved runs")
    if torch is None:
        print("PyTorch is not installed: the torch row is left out")
    cands = candidates(hidden, weight, target)

    # agreement first: every path solves the same problem
    results = {name: fn() for name, fn in cands.items()}
    ref = results["materialised"]
    for name, res in results.items():
        for got, want, what in zip(res, ref, ("loss", "dL/dH", "dL/dW")):
            scale = float(np.max(np.abs(want)))
            err = float(np.max(np.abs(np.asarray(got, np.float64) - want))) / scale
            if not err < 1e-4:
                raise SystemExit(f"{name} disagrees with materialised on {what}: rel err {err:.2e}")
    del results, ref
    print("all paths agree (max abs error <= 1e-4 x max |value|, float32)")

    # memory: a separate pass, so tracemalloc never runs between timed calls
    extra = {name: peak_extra_bytes(cands[name])[0] for name in ("chunked", "materialised")}
    logits_bytes = shape["n"] * shape["vocab"] * 4
    gc.collect()
    times = time_interleaved(cands, repeats)
    med = {name: statistics.median(ts) * 1e3 for name, ts in times.items()}

    print(f"\n{'path':<14} {'median ms':>10} {'/materialised':>14} {'extra mem MiB':>14} "
          f"{'% of materialised':>18}")
    for name in cands:
        mem = extra.get(name)
        mem_text = f"{mem / 2**20:>14.1f}" if mem is not None else f"{'n/a':>14}"
        pct = f"{100 * mem / extra['materialised']:>17.1f}%" if mem is not None else f"{'n/a':>18}"
        print(f"{name:<14} {med[name]:>10.1f} {med[name] / med['materialised']:>14.3f} "
              f"{mem_text} {pct}")
    print(f"\none N x V float32 logits matrix: {logits_bytes / 2**20:.1f} MiB. "
          "extra mem: tracemalloc peak beyond the returned gradients (torch: not visible).")
    mem_ratio = extra["chunked"] / extra["materialised"]
    time_ratio = med["chunked"] / med["materialised"]
    verdicts = [f"memory {mem_ratio:.1%} of materialised (target <= {MEMORY_TARGET:.0%}): "
                f"{'ok' if mem_ratio <= MEMORY_TARGET else 'MISS'}",
                f"time {time_ratio:.3f}x materialised (target <= {TIME_TARGET}x): "
                f"{'ok' if time_ratio <= TIME_TARGET else 'MISS'}"]
    if args.quick:
        print("quick run: targets are not judged")
    else:
        print("\n".join(verdicts))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
