"""How long `mkdocs serve` takes to show an edit to one error file (build_bench.py's (d)).

Starts `mkdocs serve` in the repository copy on 127.0.0.1 and a free port, waits for the first
build, then edits one error YAML at a time (a new sentence in its summary) and polls the page over
HTTP until the sentence is there. Before the next edit it waits for the server to go quiet; that
busy time is recorded too. With `--dirty`, MkDocs rebuilds only the pages whose Markdown changed,
and the generator rewrites only the pages that show the edit.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

STARTED = "Building documentation..."
# Every build ends in one of these. (Not "Documentation built in": MkDocs drops a message that
# repeats an earlier one word for word, so two builds of the same length log it once.)
ENDED = ("Serving on", "Reloading browsers", "An error happened during the rebuild")


@dataclass
class ServeTimes:
    first_build: float       # start of `mkdocs serve` until the home page is served
    shown: list[float]       # per edit: saving the file until the page shows it
    busy: list[float]        # per edit: saving the file until the server is idle again

    @property
    def shown_median(self) -> float:
        return statistics.median(self.shown)

    @property
    def busy_median(self) -> float:
        return statistics.median(self.busy)


def environment() -> dict[str, str]:
    """For mkdocs in the copy: its own catalog/, and no Material end-of-life banner."""
    env = {k: v for k, v in os.environ.items() if k != "RUNBOOKS_CATALOG"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Log:
    """The server's output, read on a thread so the pipe never fills."""

    def __init__(self, stream):
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.lines.append((time.perf_counter(), line.rstrip()))

    def count(self, text: str) -> int:
        return sum(text in line for _, line in list(self.lines))

    def idle(self, quiet: float) -> bool:
        """Every started build has finished and nothing was logged for `quiet` seconds."""
        lines = list(self.lines)
        done = sum(self.count(text) for text in ENDED) >= self.count(STARTED)
        return done and (not lines or time.perf_counter() - lines[-1][0] >= quiet)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait(condition, timeout: float, what: str, log: _Log | None = None) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            tail = "\n".join(line for _, line in (log.lines[-20:] if log else []))
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}; the server said:\n{tail}")
        time.sleep(0.05)
    return time.perf_counter() - started


def measure(copy: Path, error_files: list[Path], edits: int = 3, dirty: bool = False,
            timeout: float = 900) -> ServeTimes:
    """dirty: `mkdocs serve --dirty`, which rebuilds only the pages whose files changed."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                             *(["--dirty"] if dirty else [])],
                            cwd=copy, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        log = _Log(proc.stdout)
        _wait(lambda: _get(base) is not None, timeout, "the first build", log)
        first = time.perf_counter() - started
        _wait(lambda: log.idle(2.0), timeout, "the server to go quiet", log)
        shown, busy = [], []
        for n, path in enumerate(error_files[:edits]):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            marker = f"Benchmark edit {n} at {time.time_ns()}"
            data["summary"] = f"{data['summary']} {marker}."
            url = f"{base}errors/{data['code'].lower()}/"
            t0 = time.perf_counter()
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
            shown.append(_wait(lambda m=marker, u=url: m in (_get(u) or ""), timeout, f"the edit to show on {url}", log))
            _wait(lambda: log.idle(2.0), timeout, "the server to go quiet", log)
            busy.append(time.perf_counter() - t0 - 2.0)  # less the quiet period itself
        return ServeTimes(first, shown, busy)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
