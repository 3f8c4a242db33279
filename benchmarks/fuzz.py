#!/usr/bin/env python3
"""Fuzz the catalog loader and renderer with many examples; print how many ran and what crashed.

    .venv/bin/python benchmarks/fuzz.py          # HYPOTHESIS_PROFILE=fuzz: 1,000 examples per property
    .venv/bin/python benchmarks/fuzz.py -x       # extra arguments go to pytest

Runs tests/test_fuzz.py under the "fuzz" hypothesis profile (random seeds, so each run explores new
inputs; the default test run uses a small fixed set). Exit code is pytest's: 0 means no traceback.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "stats.json"
        env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "FUZZ_STATS": str(stats_file)}
        proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q", *argv],
                              cwd=ROOT, env=env)
        if not stats_file.exists():
            print("no statistics written (did the tests run?)", file=sys.stderr)
            return proc.returncode or 1
        stats = json.loads(stats_file.read_text())
    print("\nfuzz examples run:")
    for prop, count in sorted(stats["examples"].items()):
        print(f"  {prop:<12} {count:>6}")
    print(f"  {'total':<12} {sum(stats['examples'].values()):>6}")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["outcomes"].items())))
    print(f"tracebacks found: {len(stats['tracebacks'])}")
    for where, trace in stats["tracebacks"].items():
        print(f"\n--- {where}\n{trace}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
