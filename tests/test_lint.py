"""Ruff, with the settings in pyproject.toml, finds nothing in the code (the pre-commit hook runs it too)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        found = shutil.which("ruff")
        if found is None:
            pytest.skip("ruff is not installed in this environment (python3 dev.py test installs it from the lock)")
        ruff = Path(found)
    proc = subprocess.run([str(ruff), "check", "--output-format", "concise", "generator", "tests", "benchmarks", "dev.py"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
