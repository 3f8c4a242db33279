"""The browser lookup, timed in headless Chromium: python benchmarks/lookup_bench.py [SITE_DIR]

Builds the site into a temporary folder (or uses SITE_DIR, a built site), serves it on 127.0.0.1,
opens lookup/ and measures what a reader waits for: loading api/catalog.json (transfer size and
time until the matcher is ready), then one answer per payload of the test corpus (median, p99 and
the slowest). The target: answers well under 50 ms after the data has loaded. Needs Chromium at
/usr/bin/chromium (or CHROMIUM=...). A benchmark to read, not a test.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(dest: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(dest)], cwd=ROOT, env=env, check=True)
    return dest


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="runbooks-lookup-") as tmp:
        site = Path(argv[0]) if argv else build(Path(tmp) / "site")
        files = [ROOT / "tests" / "payloads.yaml", *sorted((ROOT / "tests" / "payloads").glob("*.yaml"))]
        texts = [p["text"] for f in files for p in yaml.safe_load(f.read_text())]
        data = (site / "api" / "catalog.json").read_bytes()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/lookup/"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                         headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            result = page.evaluate("""async (texts) => {
                const t0 = performance.now();
                const catalog = await window.runbooksLookup.load();
                const loaded = performance.now() - t0;
                const index = catalog.match_index;
                for (const text of texts) window.runbooksLookup.match(index, text);   // warm up
                const times = [];
                for (let round = 0; round < 5; round++) {
                    for (const text of texts) {
                        const s = performance.now();
                        window.runbooksLookup.match(index, text);
                        times.push(performance.now() - s);
                    }
                }
                return {loaded, times};
            }""", texts)
            browser.close()
        server.shutdown()
        times = sorted(result["times"])
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"api/catalog.json: {len(data) / 1000:,.0f} KB, {len(gzip.compress(data, 6)) / 1000:,.0f} KB gzipped "
              f"(limit 150 KB); loaded and parsed in {result['loaded']:.0f} ms on 127.0.0.1")
        print(f"answers over {len(texts)} payloads x 5 rounds: median {statistics.median(times):.2f} ms, "
              f"p99 {p99:.2f} ms, slowest {times[-1]:.2f} ms (target: under 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
