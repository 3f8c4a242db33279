"""Build benchmark: how the site's build time and size grow with the catalog.

    .venv/bin/python benchmarks/build_bench.py            # real catalog, 100 and 1,000 errors; 3 runs each
    .venv/bin/python benchmarks/build_bench.py --quick    # real catalog and 100 errors, 1 run, no serve

For the real catalog and synthetic catalogs of 100 and 1,000 errors (with 200 integrations; see
synthetic_catalog.py), in a throw-away copy of the repository, it times

  (a) the generator alone, in-process: load + validate + render + write;
  (b) the full `mkdocs build` of our site (hook included, generated folders deleted first, as in CI);
  (c) a bare `mkdocs build` of the same generated Markdown with MkDocs' default navigation (no hook,
      no nav key: every page in the sidebar of every page), same theme, extensions and plugins;
  (d) the same bare build with our small nav, so (b) - (d) is what the generator costs;

and reports medians of --runs runs, page and search index sizes, how many files one YAML edit
rewrites, and how long `mkdocs serve` takes to show an edit. The table goes to benchmarks/results.md
and, on a full run, into docs/how-fast-it-builds.md between its bench markers. A benchmark to read,
not a test: nothing here fails on a slow machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402

import bench_site  # noqa: E402
import nav_control  # noqa: E402
import serve_timing  # noqa: E402
import synthetic_catalog  # noqa: E402
from generator import pipeline, render, serve_worker, svg, two_cores  # noqa: E402
from generator.catalog import load_catalog  # noqa: E402
from generator.paths import CATALOG_DIR  # noqa: E402

RESULTS = HERE / "results.md"
DOCS_PAGE = ROOT / "docs" / "how-fast-it-builds.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# The targets, for the largest catalog (and the real one where it says so).
MAX_OVERHEAD = 1.10        # full build / bare build with the small nav
MIN_SPEEDUP = 5.0          # bare build with the default nav / full build
MAX_PAGE = 20_000          # bytes of HTML for one error page (the median one)
MAX_SEARCH = 2_000_000     # bytes of search/search_index.json
MAX_REAL_BUILD = 3.0       # seconds for the full build of the real catalog
MAX_GENERATOR = 1.0        # seconds for the generator alone at 1,000 errors


@dataclass
class Result:
    label: str
    errors: int
    cases: int
    integrations: int
    gen_cold: dict[str, float] = field(default_factory=dict)   # stage -> median seconds
    gen_serve_edit: float = 0.0     # under serve, after an edit to one error file
    gen_serve_shared: float = 0.0   # under serve, after an edit to a shared table (every page renders)
    gen_serve_same: float = 0.0     # under serve, nothing the generator reads changed
    gen_processes: int = 1   # 2 when the generator parsed and rendered on two cores (generator/two_cores.py)
    files: int = 0
    edit_writes: dict[str, list[str]] = field(default_factory=dict)
    full: float = 0.0
    bare_small: float = 0.0
    bare_default: float = 0.0
    stats: bench_site.SiteStats | None = None
    default_stats: bench_site.SiteStats | None = None
    serve: serve_timing.ServeTimes | None = None
    serve_dirty: serve_timing.ServeTimes | None = None


def generator_times(copy: Path, runs: int) -> tuple[dict[str, float], float, float, float, int]:
    """Median seconds: per stage from empty generated folders (as in CI); then as the MkDocs hook
    pays under `mkdocs serve` (threads, so no fork: a big catalog's error pages and indexes go to a
    worker process, generator/serve_worker.py), after an edit to one error file, after an edit to
    a shared table (flows.yaml: no page can be kept) and after an edit to a hand-written page
    (nothing the generator reads changed). And files written.
    """
    stages: dict[str, list[float]] = {"load + validate": [], "render": [], "write": [], "total": []}
    files = 0
    for run in range(runs):  # what `generate` and the MkDocs hook run: pipeline.build
        # Each run writes into a folder that never held files, as a fresh clone's docs/ is: right
        # after deleting 30 MB, this disk took from 0.15 s to 0.6 s to write the same files.
        scratch = copy / f"docs-scratch-{run}"
        render._environment.cache_clear()  # as in CI's fresh process: templates compiled too
        svg.svg_environment.cache_clear()
        os.sync()
        timings: dict[str, float] = {}
        _, report = pipeline.build(copy / "catalog", scratch, timings=timings)
        for name in stages:
            stages[name].append(timings[name] if name != "total" else sum(timings.values()))
        files = len(report.written) + report.unchanged
    for run in range(runs):
        shutil.rmtree(copy / f"docs-scratch-{run}")
    bench_site.clear_generated(copy)
    edited, shared, untouched = [], [], []
    entry = sorted((copy / "catalog" / "errors").glob("*.yaml"))[0]
    flows = copy / "catalog" / "flows.yaml"

    def edit(path: Path, i: int) -> None:
        path.write_text(path.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")

    with serve_threads():
        serve_worker.warm()  # as the hook's on_serve does
        pipeline.build(copy / "catalog", copy / "docs", reuse=True)
        for i in range(runs):
            edit(entry, i)
            edited.append(timed(lambda: pipeline.build(copy / "catalog", copy / "docs", reuse=True)))
            untouched.append(timed(lambda: pipeline.build(copy / "catalog", copy / "docs", reuse=True)))
            edit(flows, i)
            shared.append(timed(lambda: pipeline.build(copy / "catalog", copy / "docs", reuse=True)))
    return ({k: statistics.median(v) for k, v in stages.items()}, statistics.median(edited),
            statistics.median(shared), statistics.median(untouched), files)


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


@contextmanager
def serve_threads():
    """A second thread, as `mkdocs serve` has, so the generator may not fork; the worker stops after."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        serve_worker.stop()


def writes_after_one_edit(copy: Path) -> dict[str, list[str]]:
    """Files `generate` rewrites after editing one entry's summary, then one case's meaning."""
    files = sorted((copy / "catalog" / "errors").glob("*.yaml"))
    path = files[len(files) // 2]
    out = {}
    for what in ("summary", "case meaning"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if what == "summary":
            data["summary"] = data["summary"].rstrip(".") + ", edited."
        else:
            data["cases"][0]["meaning"] = data["cases"][0]["meaning"].rstrip(".") + ", edited."
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        out[what] = pipeline.build(copy / "catalog", copy / "docs")[1].written
    return out


def bench(label: str, errors: int | None, integrations: int, runs: int, serve_edits: int, real) -> Result:
    tmp = Path(tempfile.mkdtemp(prefix="runbooks-bench-"))
    try:
        copy = bench_site.make_copy(tmp)
        if errors is None:
            shutil.copytree(CATALOG_DIR, copy / "catalog", ignore=shutil.ignore_patterns("__pycache__"))
        else:
            synthetic_catalog.write(copy / "catalog", CATALOG_DIR, real, errors, integrations)
        catalog = load_catalog(copy / "catalog")
        result = Result(label, len(catalog.errors), sum(len(e.cases) for e in catalog.errors),
                        len(catalog.integrations))
        say(f"[{label}] {result.errors} errors, {result.cases} cases, {result.integrations} integrations")
        result.gen_processes = 2 if two_cores.available(result.errors) else 1
        (result.gen_cold, result.gen_serve_edit, result.gen_serve_shared, result.gen_serve_same,
         result.files) = generator_times(copy, runs)
        say(f"[{label}] (a) generator: {result.gen_cold['total']:.2f} s from scratch "
            f"({', '.join(f'{k} {v:.2f}' for k, v in result.gen_cold.items() if k != 'total')}); "
            f"under serve {result.gen_serve_edit:.2f} s after an error file edit, "
            f"{result.gen_serve_shared:.2f} s after a shared table edit, "
            f"{result.gen_serve_same:.3f} s after a hand-written edit; {result.files} files")
        result.edit_writes = writes_after_one_edit(copy)
        say(f"[{label}] one edit rewrites: " + "; ".join(f"{k}: {len(v)} files" for k, v in result.edit_writes.items()))
        ours, default = tmp / "site", tmp / "site-default-nav"
        slugs = [e.slug for e in catalog.errors]
        full = [bench_site.full_build(copy, ours)]
        result.stats = bench_site.site_stats(ours, slugs)
        bench_site.freeze_docs(copy)
        small, bare = [], []
        for n in range(runs):  # interleaved, so a machine that slows down mid-run skews all three alike
            if n:
                full.append(bench_site.full_build(copy, ours))
            small.append(bench_site.mkdocs_build(copy, "mkdocs.bare_small_nav.yml", default))
            bare.append(bench_site.mkdocs_build(copy, "mkdocs.bare_default_nav.yml", default))
            say(f"[{label}] run {n + 1}: (b) full {full[-1]:.2f} s, (d) bare small nav {small[-1]:.2f} s, "
                f"(c) bare default nav {bare[-1]:.2f} s")
        result.default_stats = bench_site.site_stats(default, slugs)
        result.full, result.bare_small, result.bare_default = (statistics.median(x) for x in (full, small, bare))
        if serve_edits:
            files = [catalog.sources[e.slug].path for e in catalog.errors[1::max(1, len(catalog.errors) // 3)]]
            result.serve = serve_timing.measure(copy, files, serve_edits)
            say(f"[{label}] mkdocs serve: an edit shows after {result.serve.shown_median:.2f} s "
                f"(busy {result.serve.busy_median:.2f} s)")
            result.serve_dirty = serve_timing.measure(copy, files, serve_edits, dirty=True)
            say(f"[{label}] mkdocs serve --dirty: an edit shows after {result.serve_dirty.shown_median:.2f} s "
                f"(busy {result.serve_dirty.busy_median:.2f} s)")
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_nav_control(pages: int, runs: int) -> nav_control.NavControl:
    tmp = Path(tempfile.mkdtemp(prefix="runbooks-bench-nav-"))
    try:
        copy = bench_site.make_copy(tmp)
        result = nav_control.measure(copy, tmp, pages, runs)
        say(f"[nav alone] {result.pages:,} pages: ours {result.ours:.2f} s, default nav {result.default:.2f} s "
            f"({result.speedup:.1f} x); item page {kb(result.ours_page)} / {kb(result.default_page)}")
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def nav_report(c: nav_control.NavControl) -> str:
    rows = [
        ("Build", s(c.ours), s(c.default)),
        ("Item page HTML, median", kb(c.ours_page), kb(c.default_page)),
        ("Site size", kb(c.ours_site), kb(c.default_site)),
    ]
    verdict = "pass" if c.speedup >= MIN_SPEEDUP else "miss"
    lines = [f"Navigation alone: {c.pages:,} pages, the item pages {c.item_markdown / 1000:.1f} KB of Markdown each "
             "(the issue's workload; benchmarks/nav_control.py).", "",
             "| | our nav | default nav |", "|---|---:|---:|"]
    lines += [f"| {name} | {a} | {b} |" for name, a, b in rows]
    lines += ["", "| Target | Goal | Measured | |", "|---|---|---:|---|",
              f"| Default-nav build / our build, navigation alone | ≥ {MIN_SPEEDUP:.0f} x | {c.speedup:.1f} x | {verdict} |",
              f"| Item page HTML, navigation alone | ≤ {kb(MAX_PAGE)} | {kb(c.ours_page)} | "
              f"{'pass' if c.ours_page <= MAX_PAGE else 'miss'} |"]
    return "\n".join(lines) + "\n"


def say(text: str) -> None:
    print(text, flush=True)


# --- the report --------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{name} {importlib.metadata.version(pkg)}"
                         for name, pkg in (("MkDocs", "mkdocs"), ("Material", "mkdocs-material")))
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {versions}, "
            f"{platform.system()} {platform.release()}")


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB" if n < 1_000_000 else f"{n / 1e6:,.1f} MB"


def s(x: float) -> str:
    return f"{x:.2f} s"


def report(results: list[Result], runs: int) -> str:
    head = "| | " + " | ".join(f"{r.label}" for r in results) + " |"
    rule = "|---|" + "---:|" * len(results)
    rows = [
        ("Errors / cases / integrations", lambda r: f"{r.errors:,} / {r.cases:,} / {r.integrations}"),
        ("Generated files", lambda r: f"{r.files:,}"),
        ("HTML pages", lambda r: f"{r.stats.pages:,}"),
        ("(a) generator alone, from scratch", lambda r: f"{s(r.gen_cold['total'])} ({r.gen_processes} process"
                                                        f"{'es' if r.gen_processes > 1 else ''})"),
        ("&nbsp;&nbsp;load + validate / render / write",
         lambda r: " / ".join(f"{r.gen_cold[k]:.2f}" for k in ("load + validate", "render", "write"))),
        ("(a) generator under `mkdocs serve`, after an error file edit", lambda r: s(r.gen_serve_edit) + (
            " (2 processes)" if r.gen_processes > 1 else "")),
        ("(a) generator under `mkdocs serve`, after a shared table edit", lambda r: s(r.gen_serve_shared)),
        ("(a) generator under `mkdocs serve`, after a hand-written page edit", lambda r: f"{r.gen_serve_same:.3f} s"),
        ("(b) full `mkdocs build`", lambda r: s(r.full)),
        ("(c) bare build, default nav", lambda r: s(r.bare_default)),
        ("(d) bare build, our small nav", lambda r: s(r.bare_small)),
        ("Generator overhead (b) / (d)", lambda r: f"{r.full / r.bare_small:.2f}"),
        ("Speed-up over the default nav (c) / (b)", lambda r: f"{r.bare_default / r.full:.1f} x"),
        ("Error page HTML, median / max", lambda r: f"{kb(r.stats.error_median)} / {kb(r.stats.error_max)}"),
        ("&nbsp;&nbsp;of which the page's own `<article>` / the theme around it",
         lambda r: f"{kb(r.stats.error_article_median)} / {kb(r.stats.error_frame_median)}"),
        ("&nbsp;&nbsp;gzipped, as a web server sends it", lambda r: kb(r.stats.error_gzip_median)),
        ("Any page HTML, median", lambda r: kb(r.stats.page_median)),
        ("Error page HTML with the default nav", lambda r: kb(r.default_stats.error_median)),
        ("Site size (ours / default nav)", lambda r: f"{kb(r.stats.site_bytes)} / {kb(r.default_stats.site_bytes)}"),
        ("Search index", lambda r: kb(r.stats.search_bytes)),
        ("Largest page", lambda r: f"{r.stats.largest[0][0].removesuffix('index.html')} {kb(r.stats.largest[0][1])}"),
        ("Files rewritten after one summary edit", lambda r: str(len(r.edit_writes.get("summary", [])))),
        ("Files rewritten after one case edit", lambda r: str(len(r.edit_writes.get("case meaning", [])))),
        ("`mkdocs serve`: first build", lambda r: s(r.serve.first_build) if r.serve else "not run"),
        ("`mkdocs serve`: edit shown after (median)", lambda r: s(r.serve.shown_median) if r.serve else "not run"),
        ("`mkdocs serve`: busy per edit (median)", lambda r: s(r.serve.busy_median) if r.serve else "not run"),
        ("`mkdocs serve --dirty`: edit shown after / busy",
         lambda r: f"{s(r.serve_dirty.shown_median)} / {s(r.serve_dirty.busy_median)}" if r.serve_dirty else "not run"),
    ]
    lines = [head, rule] + [f"| {name} | " + " | ".join(fn(r) for r in results) + " |" for name, fn in rows]
    lines += ["", targets(results), "",
              f"Medians of {runs} run{'s' if runs != 1 else ''}, {dt.date.today().isoformat()}, on {machine()}."]
    edits = [r for r in results if r.edit_writes]
    if edits:
        big = edits[-1]
        lines += ["", f"Files one edit rewrites ({big.label}): "
                  + "; ".join(f"{k}: {', '.join(sorted(v)) or 'none'}" for k, v in big.edit_writes.items()) + "."]
    return "\n".join(lines) + "\n"


def targets(results: list[Result]) -> str:
    big = max(results, key=lambda r: r.errors)
    real = next((r for r in results if r.label == "real"), None)
    checks = [
        (f"Full build / bare small-nav build ({big.label})", f"≤ {MAX_OVERHEAD:.2f}", big.full / big.bare_small,
         lambda v: v <= MAX_OVERHEAD, "{:.2f}"),
        (f"Default-nav build / full build ({big.label})", f"≥ {MIN_SPEEDUP:.0f} x", big.bare_default / big.full,
         lambda v: v >= MIN_SPEEDUP, "{:.1f} x"),
        (f"Median error page ({big.label})", f"≤ {kb(MAX_PAGE)}", big.stats.error_median,
         lambda v: v <= MAX_PAGE, None),
        (f"Search index ({big.label})", f"≤ {kb(MAX_SEARCH)}", big.stats.search_bytes,
         lambda v: v <= MAX_SEARCH, None),
    ]
    if real:
        checks.append(("Full build of the real catalog", f"< {MAX_REAL_BUILD:.0f} s", real.full,
                       lambda v: v < MAX_REAL_BUILD, "{:.2f} s"))
    checks.append((f"Generator alone ({big.label}), from scratch / under serve after an error file edit",
                   f"< {MAX_GENERATOR:.0f} s", (big.gen_cold["total"], big.gen_serve_edit), None, None))
    lines = ["| Target | Goal | Measured | |", "|---|---|---:|---|"]
    for name, goal, value, ok, fmt in checks:
        if isinstance(value, tuple):
            shown = " / ".join(f"{v:.2f} s" for v in value)
            verdict = " / ".join("pass" if v < MAX_GENERATOR else "miss" for v in value)
        else:
            shown = fmt.format(value) if fmt else kb(value)
            verdict = "pass" if ok(value) else "miss"
        lines.append(f"| {name} | {goal} | {shown} | {verdict} |")
    return "\n".join(lines)


def update_docs_page(table: str) -> None:
    text = DOCS_PAGE.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOCS_PAGE.write_text(f"{before}{START}\n{table}{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--sizes", default="real,100,1000", help="comma-separated: real and/or error counts")
    parser.add_argument("--integrations", type=int, default=200, help="integrations in each synthetic catalog")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits timed under mkdocs serve (0: skip)")
    parser.add_argument("--nav-control", type=int, default=1000, metavar="PAGES",
                        help="also build PAGES short pages with our nav and the default one (0: skip)")
    parser.add_argument("--quick", action="store_true",
                        help="same as --runs 1 --sizes real,100 --serve-edits 0 --nav-control 0")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.sizes, args.serve_edits, args.nav_control = 1, "real,100", 0, 0
    full_run = not args.quick and args.sizes == parser.get_default("sizes")
    real = load_catalog(CATALOG_DIR)
    results = []
    for size in args.sizes.split(","):
        size = size.strip()
        errors = None if size == "real" else int(size)
        label = "real" if errors is None else f"{errors:,} errors"
        results.append(bench(label, errors, args.integrations, args.runs, args.serve_edits, real))
    table = report(results, args.runs)
    if args.nav_control:
        table += "\n" + nav_report(bench_nav_control(args.nav_control, args.runs))
    RESULTS.write_text("# Build benchmark results\n\nWritten by `benchmarks/build_bench.py`; see "
                       "docs/how-fast-it-builds.md for what the numbers mean.\n\n" + table, encoding="utf-8")
    if full_run and DOCS_PAGE.is_file():
        update_docs_page(table)
    print()
    print(table)
    print(f"written to {RESULTS.relative_to(ROOT)}" + (f" and {DOCS_PAGE.relative_to(ROOT)}" if full_run else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
