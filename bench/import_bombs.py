"""Benchmark: what refusing a hostile XLSX costs, beside reading it without limits.

    .venv/bin/python bench/import_bombs.py [--cap-mb 2048] [--timeout 60]

Each file is made here: a workbook with one shared string of 400 MB (0.4 MB on disk) or 100 MB,
and one whose sheet holds 1,000 MB or 200 MB of cells (2 MB and 0.4 MB on disk). Each is read by
the project's reader (satisfaction.core.tables.read_table) in a fresh process that reports its
peak resident memory (getrusage) and time; the baseline, in the same run, reads the same file
as the reader did before its limits (openpyxl.load_workbook in read-only mode, every row of the
first sheet) in a process capped at --cap-mb of address space and killed after --timeout seconds.
Target (issue 16): refused by name in seconds and under 300 MB.
"""

import argparse
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.core import bombs  # noqa: E402

FILES = [
    ("one shared string of 400 MB", bombs.huge_shared_string, 400),
    ("one shared string of 100 MB", bombs.huge_shared_string, 100),
    ("sheet of 1,000 MB of cells", bombs.zip_bomb, 1000),
    ("sheet of 200 MB of cells", bombs.zip_bomb, 200),
]


def main() -> None:
    """Make each file, refuse it, load it the normal way, and print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        for label, make, megabytes in FILES:
            path = make(Path(folder) / "bomb.xlsx", megabytes)
            told = bombs.measure_refusal(path)
            baseline = bombs.measure_baseline(path, args.cap_mb, args.timeout)
            print(f"\n{label} ({path.stat().st_size / 2**20:.2f} MB on disk)")
            print(f"  refused: {told['seconds'] * 1000:.1f} ms, peak {told['peak_mb']:.0f} MB "
                  f"(the process before reading: {told['before_mb']:.0f} MB)")  # fmt: skip
            print(f"  said:    {told['told']}")
            print(f"  baseline (no limits): {baseline}")


if __name__ == "__main__":
    main()
