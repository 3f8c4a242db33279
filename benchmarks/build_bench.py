"""Build benchmark: what the generator adds to a MkDocs build, for the real catalog and a big one.

    .venv/bin/python benchmarks/build_bench.py [--errors 1000] [--quick] [--real-only]

For the real catalog and a synthetic one of --errors entries (synthetic_catalog.py), each in a
throw-away copy of the repository (the real docs/ is never touched), it measures

  (a) the generator alone, in this process: pipeline.build into the copy's docs/;
  (b) a full `mkdocs build` (hook included; generated folders deleted first, as in a fresh clone);
  (c) a bare `mkdocs build` of the same generated pages: the copy's config without the hook,
      same nav, theme and plugins; (b) / (c) is what the generator costs a build;
  (d) under `mkdocs serve --dirty` on 127.0.0.1, the seconds from saving an edit to one error YAML
      until the served page shows it (serve_timing.py), median of 3 edits;
  (e) sizes of the site (b) built: the median error page, the biggest reference page, the whole
      site, the search index, the lookup's data and the zipped offline copy.

(a), (b) and (c) are medians of 3 runs (1 with --quick, which also skips (d)). The table is
printed and written to benchmarks/results.md. A benchmark to read, not a test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib.metadata
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import serve_timing  # noqa: E402
import synthetic_catalog  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.catalog import load_catalog  # noqa: E402
from generator.config import CATALOG_DIR, GENERATED_DIRS, Settings  # noqa: E402

RESULTS = HERE / "results.md"
COPIED = ("mkdocs.yml", "mkdocs.offline.yml", "overrides", "docs", "templates", "generator")
# The copy's own config without the hook: same nav, theme, extensions and plugins.
BARE_CONFIG = "INHERIT: mkdocs.yml\nhooks: []\n"
INTEGRATIONS = 200  # inventories in the synthetic catalog (the real one has a handful)


def make_copy(tmp: Path, errors: int | None) -> Path:
    """tmp/repo: what a build reads, with the real catalog or a synthetic one of `errors` entries."""
    copy = tmp / "repo"
    copy.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, copy / name)
    if errors is None:
        shutil.copytree(CATALOG_DIR, copy / "catalog", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        synthetic_catalog.write(copy / "catalog", CATALOG_DIR, load_catalog(CATALOG_DIR), errors, INTEGRATIONS)
    (copy / "mkdocs.bare.yml").write_text(BARE_CONFIG, encoding="utf-8")
    return copy


def clear_generated(copy: Path) -> None:
    for name in GENERATED_DIRS:
        shutil.rmtree(copy / "docs" / name, ignore_errors=True)


def generator_seconds(copy: Path) -> float:
    """(a): load + validate + render + write into empty generated folders."""
    clear_generated(copy)
    timings: dict[str, float] = {}
    pipeline.build(copy / "catalog", copy / "docs", dt.date.today(), Settings(), timings)
    return sum(timings.values())


def mkdocs_build(copy: Path, config: str, site: Path) -> float:
    """Seconds for one `mkdocs build` in a fresh process."""
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                          cwd=copy, env=serve_timing.environment(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def sizes(site: Path, slugs: list[str], references: list[str]) -> dict[str, int]:
    """(e): bytes of the median error page (raw, gzipped), the biggest reference page, the whole
    site, the search index and the lookup's data (api/catalog.json, gzipped)."""
    pages = [(site / "errors" / slug / "index.html").read_bytes() for slug in slugs]
    return {
        "reference_max": max(((site / "errors" / s / "index.html").stat().st_size for s in references), default=0),
        "lookup_gzip": len(gzip.compress((site / "api" / "catalog.json").read_bytes(), compresslevel=6)),
        "page": round(statistics.median(len(p) for p in pages)),
        "page_gzip": round(statistics.median(len(gzip.compress(p, compresslevel=6)) for p in pages)),
        "site": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "search": (site / "search" / "search_index.json").stat().st_size,
    }


def bench(label: str, errors: int | None, runs: int, serve_edits: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="runbooks-bench-"))
    try:
        copy = make_copy(tmp, errors)
        catalog = load_catalog(copy / "catalog")
        r = {"label": label, "errors": len(catalog.errors), "cases": sum(len(e.cases) for e in catalog.errors),
             "integrations": len(catalog.integrations), "references": len(catalog.references)}
        say(f"[{label}] {r['errors']:,} errors, {r['cases']:,} cases, {r['integrations']} integrations")
        gen, full, bare = [], [], []
        for n in range(runs):  # interleaved, so a machine that slows down mid-run skews all three alike
            gen.append(generator_seconds(copy))
            clear_generated(copy)  # (b) starts from a fresh clone; (c) then reads what (b) generated
            full.append(mkdocs_build(copy, "mkdocs.yml", tmp / "site"))
            bare.append(mkdocs_build(copy, "mkdocs.bare.yml", tmp / "site-bare"))
            say(f"[{label}] run {n + 1}: (a) generator {gen[-1]:.2f} s, (b) full build {full[-1]:.2f} s, "
                f"(c) bare build {bare[-1]:.2f} s")
        r["generator"], r["full"], r["bare"] = (statistics.median(x) for x in (gen, full, bare))
        r.update(sizes(tmp / "site", [e.slug for e in catalog.errors], [ref.slug for ref in catalog.references]))
        r["pages"] = sum(1 for _ in (tmp / "site").rglob("*.html"))
        # (e) the offline copy, zipped as `dev.py offline` zips it: small enough to mail or keep on a laptop?
        mkdocs_build(copy, "mkdocs.offline.yml", tmp / "offline" / "offline-site")
        r["offline_zip"] = Path(shutil.make_archive(str(tmp / "offline"), "zip", tmp / "offline")).stat().st_size
        r["serve"] = None
        if serve_edits:
            files = sorted((copy / "catalog" / "errors").glob("*.yaml"))
            files = files[:: max(1, len(files) // serve_edits)][:serve_edits]  # spread over the catalog
            times = serve_timing.measure(copy, files, serve_edits, dirty=True)
            r["serve"] = times.shown_median
            say(f"[{label}] (d) serve --dirty: edits shown after {', '.join(f'{t:.2f}' for t in times.shown)} s")
        return r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def say(text: str) -> None:
    print(text, flush=True)


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB" if n < 1_000_000 else f"{n / 1e6:,.1f} MB"


def table(results: list[dict]) -> str:
    rows = [
        ("Runbooks / cases / reference entries / integrations",
         lambda r: f"{r['errors']:,} / {r['cases']:,} / {r['references']:,} / {r['integrations']}"),
        ("HTML pages", lambda r: f"{r['pages']:,}"),
        ("(a) generator alone", lambda r: f"{r['generator']:.2f} s"),
        ("(b) full `mkdocs build`", lambda r: f"{r['full']:.2f} s"),
        ("(c) bare `mkdocs build`, no hook", lambda r: f"{r['bare']:.2f} s"),
        ("(b) / (c)", lambda r: f"{r['full'] / r['bare']:.2f}"),
        ("(d) `serve --dirty`: edit shown after", lambda r: f"{r['serve']:.2f} s" if r["serve"] else "not run"),
        ("(e) error page HTML, median (gzipped)", lambda r: f"{kb(r['page'])} ({kb(r['page_gzip'])})"),
        ("(e) site size", lambda r: kb(r["site"])),
        ("(e) reference page HTML, biggest (limit 20 KB)", lambda r: kb(r["reference_max"])),
        ("(e) search index (limit 2.5 MB)", lambda r: kb(r["search"])),
        ("(e) lookup data, api/catalog.json gzipped (limit 150 KB)", lambda r: kb(r["lookup_gzip"])),
        ("(e) offline copy, zipped", lambda r: kb(r["offline_zip"])),
    ]
    lines = ["| | " + " | ".join(r["label"] for r in results) + " |", "|---|" + "---:|" * len(results)]
    lines += [f"| {name} | " + " | ".join(cell(r) for r in results) + " |" for name, cell in rows]
    return "\n".join(lines) + "\n"


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    load = f", load average {os.getloadavg()[0]:.1f} at the start" if hasattr(os, "getloadavg") else ""
    return (f"{os.cpu_count()} CPUs ({model}){load}, Python {platform.python_version()}, "
            f"MkDocs {importlib.metadata.version('mkdocs')}, Material {importlib.metadata.version('mkdocs-material')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", type=int, default=1000, help="entries in the synthetic catalog (default 1000)")
    parser.add_argument("--quick", action="store_true", help="one run of each build, no `mkdocs serve`")
    parser.add_argument("--real-only", action="store_true", help="the real catalog only, no synthetic one")
    args = parser.parse_args(argv)
    runs, serve_edits = (1, 0) if args.quick else (3, 3)
    about = machine()
    started = time.perf_counter()
    results = [bench("real", None, runs, serve_edits)]
    if not args.real_only:
        results.append(bench(f"{args.errors:,} errors", args.errors, runs, serve_edits))
    text = (table(results) + f"\n(a), (b), (c): median of {runs} run{'s' if runs > 1 else ''}"
            + (f"; (d): median of {serve_edits} edits" if serve_edits else "")
            + f". {dt.date.today().isoformat()}, {about}; "
            f"the whole run took {(time.perf_counter() - started) / 60:.0f} min.\n")
    RESULTS.write_text("# Build benchmark results\n\nWritten by `benchmarks/build_bench.py`; "
                       "see benchmarks/README.md for how to read them.\n\n" + text, encoding="utf-8")
    print("\n" + text + f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
