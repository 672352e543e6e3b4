"""The benchmark script keeps working (it is run by hand with `make bench`, never timed here)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def test_benchmark_quick_run_prints_a_row_per_operation_and_shape():
    result = subprocess.run(
        [sys.executable, "-W", "error", str(BENCH), "--quick", "--repeats", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    rows = [line for line in result.stdout.splitlines() if line.split(" ")[0] in
            {"softmax", "log_softmax", "cross_entropy"}]
    assert len(rows) == 4 * 3, result.stdout  # 4 operations x 3 shapes
    assert result.stderr == ""
    # torch is optional (not in requirements.txt): its absence is said, never silent
    torch_absent = importlib.util.find_spec("torch") is None
    assert ("PyTorch is not installed" in result.stdout) == torch_absent, result.stdout


LCE_BENCH = BENCH.parent / "bench_linear_cross_entropy.py"


def test_linear_cross_entropy_benchmark_quick_run_checks_agreement_and_prints_each_path():
    result = subprocess.run(
        [sys.executable, "-W", "error", str(LCE_BENCH), "--quick", "--repeats", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    assert "all paths agree" in result.stdout, result.stdout
    rows = [line.split()[0] for line in result.stdout.splitlines()
            if line.split() and line.split()[0] in {"chunked", "materialised", "torch"}]
    assert rows[:2] == ["chunked", "materialised"], result.stdout
    assert "quick run: targets are not judged" in result.stdout
    torch_absent = importlib.util.find_spec("torch") is None
    assert ("PyTorch is not installed" in result.stdout) == torch_absent, result.stdout
    assert result.stderr == ""
