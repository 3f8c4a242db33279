"""Shared fixtures: the real catalog, throw-away catalogs, one real site build per run, Chromium."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog import load_catalog  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def load_payloads() -> list[dict]:
    """The payload corpus: tests/payloads.yaml and every tests/payloads/<family>.yaml."""
    import yaml

    here = Path(__file__).parent
    files = [here / "payloads.yaml", *sorted((here / "payloads").glob("*.yaml"))]
    return [item for path in files for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or [])]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def make_catalog(tmp_path):
    """A copy of the real shared tables plus the given error files: {filename: yaml text}."""

    def make(errors: dict[str, str] | None = None, with_real_errors: bool = False) -> Path:
        root = tmp_path / "catalog"
        root.mkdir()
        for table in (ROOT / "catalog").glob("*.yaml"):
            shutil.copy(table, root / table.name)
        shutil.copytree(ROOT / "catalog" / "families", root / "families")
        (root / "errors").mkdir()
        if with_real_errors:
            for f in (ROOT / "catalog" / "errors").glob("*.yaml"):
                shutil.copy(f, root / "errors" / f.name)
        if errors is None:
            errors = {"test_only_code.yaml": (FIXTURES / "minimal_error.yaml").read_text()}
        for name, text in errors.items():
            (root / "errors" / name).write_text(text)
        return root

    return make


def run_generator(*args: str, catalog_dir: Path | None = None, stdin: str | None = None):
    env = {**os.environ}
    if catalog_dir is not None:
        env["RUNBOOKS_CATALOG"] = str(catalog_dir)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


# Tests that build the site or drive a browser are marked, so the inner loop can skip them:
#   python3 dev.py test -m "not site and not browser"
SITE_FIXTURES = {"built_site", "site_server", "moved", "moved_server", "injected", "offline_zip", "unzipped",
                 "search_index", "page_html", "site_soups", "engine_repo", "hooked_site", "hookless_site",
                 "properdocs_site"}
BROWSER_FIXTURES = {"browser", "page_factory"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & (SITE_FIXTURES | BROWSER_FIXTURES):
            item.add_marker(pytest.mark.site)


def copy_repo(dest: Path, catalog: Path | None = None, all_reference: bool = False) -> Path:
    """The parts of the repo a build needs, in `dest`: docs/ without its generated folders, so a
    build there never writes into the checkout. `catalog` replaces the real catalog.

    Reference entries (about 700 pages from one template) are cut to the first 20 of each list
    unless `all_reference`: the shared `built` site has them all, and that is where their pages are
    checked whole; other builds test other things and stay fast."""
    from generator.config import GENERATED_DIRS

    for name in ("generator", "templates", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=lambda d, names: [
        n for n in names if Path(d) == ROOT / "docs" and n in GENERATED_DIRS])
    for name in ("mkdocs.yml", "mkdocs.offline.yml", "mkdocs.hookless.yml", "dev.py"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(catalog or ROOT / "catalog", dest / "catalog")
    if not all_reference:
        for path in (dest / "catalog" / "reference").glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["entries"] = data["entries"][:20]
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def build_site(repo: Path, out: Path, *args: str, strict: bool = True,
               env_extra: dict[str, str] | None = None, engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """`mkdocs build` of a repo copy into `out`; fails the test on an error or a warning.
    `engine` is the module run instead of mkdocs (properdocs: tests/test_engines.py)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RUNBOOKS_CATALOG", "SITE_URL", "REPO_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", engine, "build", *(["--strict"] if strict else []), "-d", str(out), *args]
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{engine} build failed:\n{proc.stdout}\n{proc.stderr}"
    if strict:
        warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
        assert not warnings, "build warnings:\n" + "\n".join(warnings)
    return proc


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """One real `mkdocs build --strict` of the whole site per test run, from a copy of the repo."""
    tmp = tmp_path_factory.mktemp("built")
    out = tmp / "site"
    build_site(copy_repo(tmp / "repo", all_reference=True), out)
    return out


@pytest.fixture(scope="session")
def chromium_path():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but Chromium is missing: .ci/run must apt-get install chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped locally")


@pytest.fixture(scope="session")
def site_server(built_site):
    """Serve the built site on 127.0.0.1 (a random free port) for the browser tests."""
    import functools
    import http.server
    import threading

    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_factory(browser):
    """New pages in fresh contexts; every request outside 127.0.0.1 is blocked and recorded."""
    contexts = []

    def make(width: int = 1280, height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.external_requests = []
        page.all_requests = []

        def route(r):
            url = r.request.url
            page.all_requests.append(r.request)
            if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:")):
                r.continue_()
            else:
                page.external_requests.append(url)
                r.abort()

        context.route("**/*", route)
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ so a person can look at what the test saw."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
