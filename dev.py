#!/usr/bin/env python3
"""One entry point for people and CI, needing only Python 3.11+.

    python3 dev.py serve    build the site and serve it at http://127.0.0.1:8000 (live reload)
    python3 dev.py test     run every test (the same command CI runs)
    python3 dev.py build    build the static site into site/ with --strict
    python3 dev.py offline  build the file:// copy (search included) and zip it:
                            dist/salesforce-runbooks-offline.zip
    python3 dev.py lock     recompile the hashed lock requirements/*.txt from requirements/*.in
                            (extra arguments go to pip-compile, e.g. --upgrade-package mkdocs-material)

The first run creates .venv/ and installs the hashed lock requirements/test.txt (runtime and test
tools) with --require-hashes; later runs reinstall only when that file changes. RUNBOOKS_LOCK=runtime
installs requirements/runtime.txt instead: what building the site needs, no test tools (CI's deploy).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
LOCKS = ROOT / "requirements"       # runtime.txt: building the site; test.txt: runtime.txt + test tools
STAMP = VENV / ".requirements.sha256"
PIP_TOOLS = "pip-tools==7.7.0"


def lock_file() -> Path:
    name = os.environ.get("RUNBOOKS_LOCK") or "test"
    if name not in ("runtime", "test"):
        sys.exit(f"RUNBOOKS_LOCK={name}: use runtime or test")
    return LOCKS / f"{name}.txt"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - the friendly message for someone on an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PY.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = lock_file()
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print(f"installing {lock.relative_to(ROOT).as_posix()} into .venv (hashes required) ...", flush=True)
        subprocess.run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                        "--require-hashes", "-r", str(lock)], check=True)
        STAMP.write_text(wanted + "\n")


def run(*cmd: str, cwd: Path = ROOT) -> int:
    # Material prints a multi-line end-of-life banner on every build; the README covers it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(PY), *cmd], cwd=cwd, env=env).returncode


def offline(rest: list[str], root: Path = ROOT) -> int:
    """mkdocs.offline.yml into <out>/offline-site, zipped as <out>/salesforce-runbooks-offline.zip.
    `root` is the checkout to build (the tests build a copy)."""
    out = Path(rest[0]).resolve() if rest else ROOT / "dist"
    site = out / "offline-site"
    code = run("-m", "mkdocs", "build", "--strict", "-f", "mkdocs.offline.yml", "-d", str(site), cwd=root)
    if code:
        return code
    archive = Path(shutil.make_archive(str(out / "salesforce-runbooks-offline"), "zip", out, site.name))
    print(f"{archive.relative_to(ROOT) if archive.is_relative_to(ROOT) else archive}: "
          f"{archive.stat().st_size / 1e6:.1f} MB; unzip it and open offline-site/index.html")
    return 0


def lock(rest: list[str]) -> int:
    """pip-compile --generate-hashes for runtime.in, then test.in (which is held to runtime.txt's
    versions), with pip-tools in a throw-away venv so the project's .venv never gets it."""
    with tempfile.TemporaryDirectory(prefix="runbooks-lock-") as tmp:
        tools = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(tools)
        python = tools / BIN.name / PY.name
        print(f"installing {PIP_TOOLS} into a throw-away venv ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", PIP_TOOLS],
                       check=True)
        for name in ("runtime", "test"):
            cmd = [str(python), "-m", "piptools", "compile", "--quiet", "--generate-hashes", "--strip-extras",
                   "--no-emit-index-url", "--no-emit-find-links",  # no private index in the lock
                   f"--output-file=requirements/{name}.txt", *rest, f"requirements/{name}.in"]
            print(f"compiling requirements/{name}.txt ...", flush=True)
            code = subprocess.run(cmd, cwd=ROOT).returncode
            if code:
                return code
    return 0


def main(argv: list[str]) -> int:
    commands = {
        "serve": lambda rest: run("-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *rest),
        "test": lambda rest: run("-m", "pytest", *rest),
        "build": lambda rest: run("-m", "mkdocs", "build", "--strict", *rest),
        "offline": offline,
    }
    if argv and argv[0] == "lock":
        return lock(argv[1:])  # needs no project venv
    if not argv or argv[0] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_venv()
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
