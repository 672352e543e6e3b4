"""Compare the speed of softmax_ce in the working tree with its code at a git revision.

Usage::

    python benchmarks/compare_revisions.py main          # the shapes of bench.py, 9 repeats
    python benchmarks/compare_revisions.py HEAD~3 --quick --repeats 3
    python benchmarks/compare_revisions.py b77ca18 --clock cpu --only softmax --shape 4096,32000

Method: as ``benchmarks/bench.py`` (one thread, float32, the same shapes and seed), but the two
candidates are the package at REV, extracted with ``git archive`` into a temporary directory
and imported under another name, and the package of this working tree. Both run in one
process, interleaved call by call (old, new, new, old, ...), so load from other processes hits
them alike. Reported: the median time of each, the ratio ``new / old`` of the medians (below
1 is faster) and the median of the ratios of adjacent calls ("paired"). ``--clock cpu`` times
the CPU time of this process instead of the wall clock: on a machine shared with other busy
processes it counts far less of their load (though they still slow it through the caches).
Calls faster than ``--budget`` / ``--repeats`` are repeated more often.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import softmax_ce as new  # noqa: E402
from bench import FULL_SHAPES, QUICK_SHAPES, time_interleaved  # noqa: E402

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def repeats_for(cands: dict[str, Callable[[], object]], repeats: int, budget: float) -> int:
    """At least ``repeats``; more for fast calls, until each candidate takes about ``budget``
    seconds (at most 1000 repeats): their medians are otherwise at the mercy of a few
    interruptions."""
    slowest = 0.0
    for fn in cands.values():
        start = time.perf_counter()
        fn()
        slowest = max(slowest, time.perf_counter() - start)
    return max(repeats, min(1000, int(budget / max(slowest, 1e-6))))


def package_at(rev: str, into: Path) -> ModuleType:
    """Import ``softmax_ce`` as it is at git revision ``rev``, under the name ``softmax_ce_old``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "softmax_ce"],
        capture_output=True, check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / "softmax_ce"
    spec = importlib.util.spec_from_file_location(
        "softmax_ce_old", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["softmax_ce_old"] = module  # relative imports inside resolve against this name
    spec.loader.exec_module(module)
    return module


def operations(lib: ModuleType, x: np.ndarray, labels: np.ndarray) -> dict:
    """The operations of bench.py (plus logsumexp), as zero-argument callables on ``lib``."""
    k = x.shape[-1]
    x2, labels2 = x.reshape(-1, k), labels.reshape(-1)
    return {
        "softmax": lambda: lib.softmax(x),
        "log_softmax": lambda: lib.log_softmax(x),
        "logsumexp": lambda: lib.logsumexp(x),
        "cross_entropy": lambda: lib.cross_entropy(x2, labels2),
        "cross_entropy fwd+bwd": lambda: (
            lib.cross_entropy(x2, labels2), lib.cross_entropy_grad(x2, labels2)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the git revision to compare with, e.g. main or a commit")
    parser.add_argument("--quick", action="store_true", help="tiny shapes, to check the script")
    parser.add_argument("--repeats", type=int, default=9, help="timed calls per candidate")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="what to time")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="repeat fast calls until each candidate took about this many seconds")
    parser.add_argument("--only", action="append", metavar="OP",
                        help="time only this operation (repeatable), e.g. --only softmax")
    parser.add_argument("--shape", action="append", metavar="N,K",
                        help="time only this shape (repeatable), e.g. --shape 4096,32000")
    args = parser.parse_args(argv)
    shapes = QUICK_SHAPES if args.quick else FULL_SHAPES
    if args.shape:
        shapes = [tuple(int(n) for n in s.split(",")) for s in args.shape]
    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(args.rev, Path(tmp))
        print(f"old = softmax_ce at {args.rev}, new = working tree; one thread; float32; "
              f"{args.clock} clock; medians of >= {args.repeats} interleaved runs")
        header = (f"{'operation':<22} {'shape':<16} {'old ms':>9} {'new ms':>9} {'new/old':>8} "
                  f"{'paired':>7} {'runs':>5}")
        print(header)
        print("-" * len(header))
        worst = 0.0
        for shape in shapes:
            rng = np.random.default_rng(20261124)  # bench.py's seed and data
            x = (3 * rng.standard_normal(shape)).astype(np.float32)
            labels = rng.integers(0, shape[-1], size=shape[:-1])
            ops_old, ops_new = operations(old, x, labels), operations(new, x, labels)
            for op in args.only or ops_new:
                cands = {"old": ops_old[op], "new": ops_new[op]}
                repeats = repeats_for(cands, args.repeats, args.budget)
                times = time_interleaved(cands, repeats, CLOCKS[args.clock], alternate=True)
                med = {name: statistics.median(ts) * 1e3 for name, ts in times.items()}
                ratio = med["new"] / med["old"]
                # the median of new/old over the pairs of adjacent calls: load that drifts
                # between pairs cancels
                paired = statistics.median(n / o for n, o in zip(times["new"], times["old"]))
                worst = max(worst, ratio)
                print(f"{op:<22} {str(shape):<16} {med['old']:>9.2f} {med['new']:>9.2f} "
                      f"{ratio:>8.3f} {paired:>7.3f} {len(times['new']):>5}")
                sys.stdout.flush()
        print(f"\nlargest new/old: {worst:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
