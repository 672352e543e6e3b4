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
