"""Time `resolve` over the payload corpus: python benchmarks/resolve_bench.py [ROUNDS].

Loads the catalog once (not timed), then resolves every payload in tests/payloads*.yaml ROUNDS
times and prints the median and p99 time per call. A benchmark to read, not a test: the target
is well under 2 ms per call on a laptop.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.tools.resolver import default_resolver  # noqa: E402


def main(rounds: int = 200) -> None:
    files = [ROOT / "tests" / "payloads.yaml", *sorted((ROOT / "tests" / "payloads").glob("*.yaml"))]
    payloads = [p["text"] for f in files for p in yaml.safe_load(f.read_text())]
    started = time.perf_counter()
    resolver = default_resolver()
    load_ms = (time.perf_counter() - started) * 1000
    for text in payloads:  # warm up (first calls compile a few regexes)
        resolver(text)
    times = []
    for _ in range(rounds):
        for text in payloads:
            t0 = time.perf_counter_ns()
            resolver(text)
            times.append(time.perf_counter_ns() - t0)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"catalog load: {load_ms:.0f} ms (once per process); index: {len(resolver.index.runbook.codes)} runbook "
          f"and {len(resolver.index.reference.codes)} reference codes, {len(resolver.index.strings)} strings")
    print(f"resolve over {len(payloads)} payloads x {rounds} rounds = {len(times)} calls: "
          f"median {statistics.median(times) / 1000:.1f} us, p99 {p99 / 1000:.1f} us, max {times[-1] / 1000:.1f} us")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
