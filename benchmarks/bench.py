"""Benchmark softmax_ce against its peers: scipy.special and (when installed) PyTorch CPU.

Usage::

    python benchmarks/bench.py            # the full run (about 2 minutes, ~4 GB of memory)
    python benchmarks/bench.py --quick    # tiny shapes, to check that the script works

Method: every library is pinned to ONE thread (set before NumPy/PyTorch are imported); the
candidates of one case are interleaved in a single process (round-robin, so drift and thermal
effects hit all of them alike); each is warmed up once, then timed ``--repeats`` times with the
garbage collector disabled, as :mod:`timeit` does; we report the MEDIAN and the ratio of medians
``softmax_ce / peer`` from the same run (lower is better).
Peak extra memory is measured afterwards, in a separate pass, with :mod:`tracemalloc` (which
sees NumPy's array buffers but slows allocation, so it never runs between timed calls): the
largest allocation a call makes on top of its inputs, with the returned array counted separately.
PyTorch allocations are invisible to tracemalloc, so it is reported for softmax_ce only.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.special  # noqa: E402

import softmax_ce as sce  # noqa: E402

try:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
except ImportError:  # PyTorch is optional
    torch = None

FULL_SHAPES = [(4096, 32000), (65536, 10), (64, 128, 128)]
QUICK_SHAPES = [(64, 300), (512, 10), (4, 8, 16)]
# Targets from the issue (ratio of medians softmax_ce / peer must not exceed these).
TARGETS = {
    ("softmax", (4096, 32000)): ("scipy", 0.5),
    ("log_softmax", (4096, 32000)): ("scipy", 0.5),
    ("softmax", (65536, 10)): ("scipy", 0.35),
    ("log_softmax", (65536, 10)): ("scipy", 0.35),
    ("softmax", (64, 128, 128)): ("scipy", 0.7),
    ("log_softmax", (64, 128, 128)): ("scipy", 0.7),
    ("cross_entropy fwd+bwd", (4096, 32000)): ("torch", 0.5),
    ("cross_entropy fwd+bwd", (65536, 10)): ("torch", 0.5),
}


def time_interleaved(
    cands: dict[str, Callable[[], object]],
    repeats: int,
    clock: Callable[[], float] = time.perf_counter,
    alternate: bool = False,
) -> dict[str, list[float]]:
    """Time each candidate ``repeats`` times, round-robin, after one warm-up call each.

    ``alternate``: run the candidates in reverse order every other round, so that none is
    always the one that runs right after another (and pays for what that one left behind,
    e.g. a large result the system is still unmapping).
    """
    for fn in cands.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in cands}
    gc.collect()
    gc.disable()
    try:
        for round_ in range(repeats):
            order = list(cands.items())
            for name, fn in order[::-1] if alternate and round_ % 2 else order:
                start = clock()
                fn()
                times[name].append(clock() - start)
    finally:
        gc.enable()
    return times


def peak_extra_bytes(fn: Callable[[], object]) -> tuple[int, int]:
    """(peak bytes allocated during ``fn()`` beyond its result, bytes of the result).

    The result is an array or a tuple of arrays (a loss and its gradients); what it returns is
    memory the caller asked for, so it is not counted as extra.
    """
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    parts = result if isinstance(result, tuple) else (result,)
    out = sum(a.nbytes for a in parts if isinstance(a, np.ndarray))
    return peak - out, out


def cases(shape: tuple[int, ...], rng: np.random.Generator):
    """Yield (operation, {candidate: callable}, memory candidates) for one shape."""
    x = (3 * rng.standard_normal(shape)).astype(np.float32)
    k = shape[-1]
    labels = rng.integers(0, k, size=shape[:-1])
    # torch's class axis is 1; for the 3-d case we use classes last for every library
    # (reshape to rows), so all candidates solve the same problem.
    x2, labels2 = x.reshape(-1, k), labels.reshape(-1)

    ops = {
        "softmax": (
            {"softmax_ce": lambda: sce.softmax(x), "scipy": lambda: scipy.special.softmax(x, axis=-1)},
            lambda: sce.softmax(x),
        ),
        "log_softmax": (
            {
                "softmax_ce": lambda: sce.log_softmax(x),
                "scipy": lambda: scipy.special.log_softmax(x, axis=-1),
            },
            lambda: sce.log_softmax(x),
        ),
        "cross_entropy": (
            {"softmax_ce": lambda: sce.cross_entropy(x2, labels2)},
            lambda: sce.cross_entropy(x2, labels2),
        ),
        "cross_entropy fwd+bwd": (
            {
                "softmax_ce": lambda: (
                    sce.cross_entropy(x2, labels2),
                    sce.cross_entropy_grad(x2, labels2),
                )[1]
            },
            lambda: sce.cross_entropy_grad(x2, labels2),
        ),
    }
    if torch is not None:
        tx = torch.from_numpy(x)
        tx2, tl2 = torch.from_numpy(x2), torch.from_numpy(labels2)
        ops["softmax"][0]["torch"] = lambda: torch.softmax(tx, dim=-1)
        ops["log_softmax"][0]["torch"] = lambda: torch.log_softmax(tx, dim=-1)
        ops["cross_entropy"][0]["torch"] = lambda: F.cross_entropy(tx2, tl2)

        def torch_fwd_bwd():
            t = tx2.detach().requires_grad_(True)
            F.cross_entropy(t, tl2).backward()
            return t.grad

        ops["cross_entropy fwd+bwd"][0]["torch"] = torch_fwd_bwd
        with torch.no_grad():
            ops["softmax"][0]["torch"]()
    for name, (cands, mem) in ops.items():
        yield name, cands, mem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny shapes, to check the script")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per candidate")
    args = parser.parse_args(argv)
    shapes = QUICK_SHAPES if args.quick else FULL_SHAPES
    repeats = args.repeats or (3 if args.quick else 9)
    rng = np.random.default_rng(20261124)

    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"torch {torch.__version__ if torch is not None else 'not installed'}; one thread; "
          f"float32; medians of {repeats} interleaved runs")
    if torch is None:
        print("PyTorch is not installed (it is not in requirements.txt): the torch columns "
              "and the targets against torch are skipped; `.venv/bin/pip install torch` "
              "to include them.")
    header = (f"{'operation':<22} {'shape':<16} {'softmax_ce ms':>13} {'scipy ms':>10} "
              f"{'torch ms':>10} {'/scipy':>7} {'/torch':>7} {'target':>13} {'extra mem':>12}")
    print(header)
    print("-" * len(header))
    # Memory first, in its own pass, so tracemalloc never runs between timed calls.
    extra_mem = {
        (op, shape): peak_extra_bytes(mem)[0]
        for shape in shapes
        for op, _, mem in cases(shape, np.random.default_rng(20261124))
    }
    gc.collect()
    missed = []
    for shape in shapes:
        for op, cands, _ in cases(shape, rng):
            times = time_interleaved(cands, repeats)
            med = {name: statistics.median(ts) * 1e3 for name, ts in times.items()}
            extra = extra_mem[(op, shape)]
            ours = med["softmax_ce"]
            ratio = {p: ours / med[p] for p in ("scipy", "torch") if p in med}
            target = TARGETS.get((op, shape))
            verdict = ""
            if target is not None and target[0] in ratio:
                ok = ratio[target[0]] <= target[1]
                verdict = f"<={target[1]}x {target[0][:5]} {'ok' if ok else 'MISS'}"
                if not ok:
                    missed.append((op, shape, target, ratio[target[0]]))

            def cell(value, width, digits=2):
                return f"{value:>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

            print(f"{op:<22} {str(shape):<16} {ours:>13.2f} {cell(med.get('scipy'), 10)} "
                  f"{cell(med.get('torch'), 10)} {cell(ratio.get('scipy'), 7)} "
                  f"{cell(ratio.get('torch'), 7)} {verdict:>13} "
                  f"{extra / 2**20:>9.2f} MiB")
            sys.stdout.flush()
    print()
    print("extra mem: peak bytes softmax_ce allocates beyond its returned array (tracemalloc).")
    if missed:
        print("targets missed:")
        for op, shape, (peer, limit), got in missed:
            print(f"  {op} {shape}: {got:.2f}x {peer} (target <= {limit}x)")
    else:
        print("all targets met" if not args.quick else "quick run: targets are not judged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
