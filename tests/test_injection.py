"""Catalog text is text: hostile payloads in every string field reach the site as visible text or are refused.

Every str / list[str] field of every catalog model (error entries, cases, examples, tables,
integration inventories, company overlays) gets each payload. Fields with a strict format (codes,
ids, URLs, enums, anchors, placeholders) may refuse it: that is recorded as "refused". The rest are
built into one real site (a throw-away copy of the repo, so the real docs/ is never touched), and
the HTML is scanned for anything live: scripts, on* handlers, javascript: URLs, embedded content.
"""
from __future__ import annotations

import copy
import re
import shutil
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from catalog_files import FIXTURES, TABLES, write_catalog
from conftest import ROOT, build_site, copy_repo
from pydantic import BaseModel, ValidationError

from generator.catalog import load_catalog
from generator.catalog.inventory import Integration
from generator.catalog.overlays import Overlay
from generator.catalog.problems import CatalogError, dotted
from generator.catalog.schema import Category, ErrorEntry, Family, Flow, LoginHistoryStatus, ReferenceList, SetupPath
from generator.site import render
from generator.urls import anchor_for

# Each payload carries its marker pwnNN and, where it names a host, evil.example.
PAYLOADS = [
    "<script>alert('{m}')</script>",
    "<img src=https://evil.example/{m}.png onerror=alert('{m}')>",
    "[{m}](javascript:alert('{m}'))",
    '<a href="javascript:alert(1)">{m}</a>',
    '<div onclick="alert(1)">raw html block {m}</div>',
    "{{{{ 7*7 }}}} {{% if true %}}{m}{{% endif %}} {{# {m} #}}",
    "![{m}](https://evil.example/{m}.png)",
    '{m} {{: onclick="alert(1)" }}',
    '{m}\n{{: onclick="alert(1)" }}',
    "```\n<script>alert('{m}')</script>\n```",
    "---\ntitle: {m}\n---",
    '<iframe src="https://evil.example/{m}"></iframe>',
    '<object data="https://evil.example/{m}.swf"></object><embed src="https://evil.example/{m}">',
    "<svg onload=alert('{m}')></svg>",
    "<style>body{{background:url(https://evil.example/{m}.png)}}</style>",
    "[{m}][x]\n\n[x]: javascript:alert(1)",
    "<https://evil.example/{m}>",
    '<base href="https://evil.example/{m}/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/{m}">',
    '<a href="&#106;avascript:alert(1)">{m}</a>',
    "<details open ontoggle=alert('{m}')>x</details>",
    '<form action="https://evil.example/{m}"><button>go</button></form>',
    "# {m} {{#{m} onclick=alert(1)}}",
    '<div markdown="1">**{m}** <img src=x onerror=alert(1)></div>',
    "`<script>alert('{m}')</script>`",
    "<scr<script>ipt>alert('{m}')</script>",
    "javascript:alert('{m}')",
    "| {m} | cell |\n|---|---|\n| <script>x</script> | y |",
    '!!! danger "{m}"\n    <script>alert(1)</script>',
    "{m} <!-- comment --> ]]> <![CDATA[x]]> <?php echo 1 ?>",
]
PAYLOADS = [p.format(m=f"pwn{n:02d}") for n, p in enumerate(PAYLOADS, 1)]

# What a payload looks like once it is live (slugs such as #pwn03-javascript-alert are harmless).
HOSTILE = re.compile(r"alert\(|evil\.example|javascript:|<\s*/?\s*(?:script|img|iframe|svg|object|embed|style|"
                     r"base|meta|form|details|a)\b", re.I)
EVIL = "evil.example"
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "data", "poster", "background", "xlink:href",
             "content", "style", "srcdoc", "ping", "codebase", "cite", "manifest", "icon"}
EMBEDDING = {"script", "iframe", "frame", "object", "embed", "img", "svg", "math", "style", "link", "meta",
             "base", "form", "input", "button", "video", "audio", "source", "track", "applet", "template",
             "picture", "portal"}


# --- every string field of a model ------------------------------------------------------------

def str_fields(model: type[BaseModel], prefix: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, 'str' | 'list') for every text field, recursing into nested models (first item of lists)."""
    out = []
    for name, info in model.model_fields.items():
        kind, inner = _classify(info.annotation)
        path = prefix + (name,)
        if kind in ("str", "list"):
            out.append((path, kind))
        elif kind == "model":
            out += str_fields(inner, path)
        elif kind == "model list":
            out += str_fields(inner, path + (0,))
    return out


def _classify(annotation) -> tuple[str | None, Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _classify(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found = _classify(arg)
                if found[0]:
                    return found
        return None, None
    if annotation is str or origin is typing.Literal:
        return "str", None
    if origin is list:
        kind, inner = _classify(typing.get_args(annotation)[0])
        return {"str": "list", "model": "model list"}.get(kind, None), inner
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    return None, None


# --- where each model lives in a catalog ------------------------------------------------------

def _plain(path: Path):
    class Plain(yaml.SafeLoader):
        pass
    Plain.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
                                     for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(path.read_text(), Loader=Plain)


FULL_ERROR = _plain(FIXTURES / "full_error.yaml")
FULL_INTEGRATION = _plain(FIXTURES / "full_integration.yaml")
FULL_OVERLAY = _plain(FIXTURES / "full_overlay.yaml")


def code(n: int) -> str:
    return f"TEST_INJECT_{n:02d}"


def error_base(n: int) -> dict:
    data = copy.deepcopy(FULL_ERROR)
    data.update(code=code(n), spellings=[code(n).title()], category=f"inject_{n:02d}", aliases=[f"{code(n)}_ALIAS"],
                moved_from=[f"{code(n)}_OLD"])
    data["cases"][0]["aliases"] = [f"{code(n)}_CASE_ALIAS"]
    data["cases"][0]["setup_paths"] = ["login_history", f"inject_{n:02d}"]
    data["cases"][0]["flows"] = ["jwt_bearer", f"inject_{n:02d}"]
    return data


@dataclass
class Target:
    kind: str
    model: type[BaseModel]
    base: Callable[[int], dict]
    # Values that must differ from the payload in other fields, so one field's refusal stays its own.
    variants: dict = field(default_factory=dict)


TARGETS = [
    Target("error", ErrorEntry, error_base,
           {("cases", 0, "moved_from"): "old {p}", ("broken_examples", 0, "case"): "{p}"}),
    Target("integration", Integration, lambda n: {**copy.deepcopy(FULL_INTEGRATION), "id": f"inject-{n:02d}"}),
    Target("overlay", Overlay, lambda n: {**copy.deepcopy(FULL_OVERLAY), "extends": code(n)}),
    Target("category", Category, lambda n: {"title": f"Inject {n}", "summary": "Injected.",
                                            "family": f"inject_{n:02d}", "order": 90}),
    Target("family", Family, lambda n: {"title": f"Inject family {n}", "summary": "Injected.", "recognise": "Looks.",
                                        "order": 90, "reports": "Reports.", "where_to_look": ["There."],
                                        "retry": "Never.", "investigate": [{"text": "Act.", "caution": "Care."}],
                                        "hints": ["inject hint"], "sources": ["https://example.com/family"], "owner": "team",
                                        "last_reviewed": "2026-12-04"}),
    Target("reference", ReferenceList, lambda n: {
        "family": "api", "list_name": f"Inject list {n}", "list_source": "https://example.com/list",
        "entries": [{"code": f"{code(n)}_REF", "match": [f"inject reference string {n}"], "meaning": "Means.",
                     "sources": ["https://example.com/ref"], "retry": "never", "since": "API 59.0",
                     "related": [{"code": "TEST_ONLY_CODE", "why": "Related.", "one_way": "Reference."}]}]},
           {("entries", 0, "match"): "reference {p}"}),
    Target("flow", Flow, lambda n: {"name": f"Inject flow {n}", "grant_type": "inject", "recovers": "automatic",
                                    "recovery": "Recovers.", "summary": "A flow.", "retirement": "Never.",
                                    "sources": ["https://example.com/flow"]}),
    Target("setup_path", SetupPath, lambda n: {"title": f"Inject screen {n}", "breadcrumb": ["Setup", "Inject"],
                                               "check": "Look.", "applies_to": "any", "labels": ["Inject label"],
                                               "sources": ["https://example.com/setup"]}),
    Target("login_status", LoginHistoryStatus, lambda n: {"status": f"Inject status {n}", "meaning": "Means.",
                                                          "evidence": "observed",
                                                          "sources": ["https://example.com/status"]}),
]
TARGET = {t.kind: t for t in TARGETS}
FIELDS = {t.kind: str_fields(t.model) for t in TARGETS}


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _inject(data: dict, target: Target, path: tuple, kind: str, payload: str) -> None:
    value = target.variants.get(path, "{p}").replace("{p}", payload)
    parent = _get(data, path[:-1])
    if kind == "list":
        old = parent.get(path[-1]) or [None]
        parent[path[-1]] = [value, *old[1:]]
    else:
        parent[path[-1]] = value


@dataclass
class Injection:
    """Which (kind, payload index, field path) carry the payload; refused ones are taken back out."""
    accepted: set = field(default_factory=set)
    refused: dict = field(default_factory=dict)  # (kind, n, path) -> why

    def data(self, kind: str, n: int) -> dict:
        target = TARGET[kind]
        data = target.base(n)
        for path, fkind in FIELDS[kind]:
            if (kind, n, path) in self.accepted:
                _inject(data, target, path, fkind, PAYLOADS[n - 1])
        return data


def files_for(inj: Injection) -> dict[str, str]:
    dump = lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)  # noqa: E731
    files: dict[str, str] = {}
    tables = {name: _plain(ROOT / "catalog" / name) for name in TABLES}
    for n in range(1, len(PAYLOADS) + 1):
        entry = inj.data("error", n)
        files[f"errors/{code(n).lower()}.yaml"] = dump(entry)
        files[f"integrations/inject-{n:02d}.yaml"] = dump(inj.data("integration", n))
        overlay = inj.data("overlay", n)
        if ("overlay", n, ("cases", 0, "anchor")) not in inj.accepted:
            overlay["cases"][0]["anchor"] = anchor_for(entry["cases"][0]["description"])
        files[f"local/errors/{code(n).lower()}.yaml"] = dump(overlay)
        tables["categories.yaml"][f"inject_{n:02d}"] = inj.data("category", n)
        files[f"families/inject_{n:02d}.yaml"] = dump(inj.data("family", n))
        files[f"reference/inject_{n:02d}.yaml"] = dump(inj.data("reference", n))
        tables["flows.yaml"][f"inject_{n:02d}"] = inj.data("flow", n)
        tables["setup_paths.yaml"][f"inject_{n:02d}"] = inj.data("setup_path", n)
        tables["login_history.yaml"].append(inj.data("login_status", n))
    files["errors/test_only_code.yaml"] = (FIXTURES / "minimal_error.yaml").read_text()
    files.update({name: dump(data) for name, data in tables.items()})
    files.update({f"families/{p.name}": p.read_text() for p in (ROOT / "catalog" / "families").glob("*.yaml")})
    return files


def _owner(problem, inj: Injection, real_statuses: int) -> tuple[str, int, tuple] | None:
    """The injected field a catalog problem is about, or None."""
    path = problem.path.replace("\\", "/")
    m = re.search(r"(?:errors|integrations|families|reference)/(?:test_inject_|inject-|inject_)(\d\d)\.yaml$", path)
    kind, n, where = None, None, problem.field
    if m:
        n = int(m.group(1))
        kind = ("overlay" if "/local/errors/" in path else "integration" if "/integrations/" in path
                else "family" if "/families/" in path else "reference" if "/reference/" in path else "error")
    else:
        table = {"categories.yaml": "category", "flows.yaml": "flow", "setup_paths.yaml": "setup_path",
                 "login_history.yaml": "login_status"}.get(path.rsplit("/", 1)[-1])
        if table == "login_status":
            m = re.match(r"\[(\d+)\]\.?(.*)", where)
            if m and int(m.group(1)) >= real_statuses:
                kind, n, where = table, int(m.group(1)) - real_statuses + 1, m.group(2)
        elif table:
            m = re.match(r"inject_(\d\d)\.?(.*)", where)
            if m:
                kind, n, where = table, int(m.group(1)), m.group(2)
    if kind is None:
        return None
    candidates = [p for p, _ in FIELDS[kind] if (kind, n, p) in inj.accepted
                  and (where == dotted(p) or where.startswith(dotted(p) + ".") or where.startswith(dotted(p) + "["))]
    # A problem reported on a case's description may come from its moved_from (same anchor rules).
    return (kind, n, max(candidates, key=len)) if candidates else None


def negotiate(tmp: Path) -> Injection:
    """Inject every payload everywhere the schema allows, then take back what validation refuses."""
    inj = Injection()
    for target in TARGETS:
        for n, payload in enumerate(PAYLOADS, 1):
            for path, fkind in FIELDS[target.kind]:
                data = target.base(n)
                _inject(data, target, path, fkind, payload)
                try:
                    target.model.model_validate(data)
                except ValidationError as exc:
                    inj.refused[(target.kind, n, path)] = "schema: " + exc.errors()[0]["type"]
                else:
                    inj.accepted.add((target.kind, n, path))
    real_statuses = len(_plain(ROOT / "catalog" / "login_history.yaml"))
    for attempt in range(20):
        root = tmp / f"attempt{attempt}"
        write_catalog(root, files_for(inj))
        try:
            load_catalog(root)
            return inj
        except CatalogError as exc:
            errors = [p for p in exc.problems if p.severity == "error"]
            owners = {p: _owner(p, inj, real_statuses) for p in errors}
            unexplained = [str(p) for p, o in owners.items() if o is None]
            assert not unexplained, "problems not caused by an injected field:\n" + "\n".join(unexplained)
            for p, owner in owners.items():
                inj.accepted.discard(owner)
                inj.refused[owner] = "validate: " + p.message[:60]
    raise AssertionError("validation kept refusing after 20 rounds")


# --- one real build of the site with every accepted payload -----------------------------------

@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injection")
    inj = negotiate(tmp / "negotiate")
    repo = copy_repo(tmp / "repo")
    shutil.rmtree(repo / "catalog")
    write_catalog(repo / "catalog", files_for(inj))
    site = tmp / "site"
    build_site(repo, site, strict=False)
    return inj, repo, site


def test_every_text_field_of_every_model_is_covered():
    """The fixtures fill every text field, so a new schema field is injected as soon as it exists."""
    for target in TARGETS:
        data = target.base(1)
        missing = []
        for path, _ in FIELDS[target.kind]:
            try:
                _get(data, path)
            except (KeyError, IndexError, TypeError):
                missing.append(dotted(path))
        assert not missing, f"{target.kind}: fill these in the base data / fixtures: {missing}"
    assert len(FIELDS["error"]) >= 40


def test_renders_in_process(injected):
    inj, repo, _ = injected
    render(load_catalog(repo / "catalog"))


def live_findings(html: str, where: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for el in soup.find_all(True):
        # <meta name=description content="..."> holds text; only a refresh follows its content.
        inert_meta = el.name == "meta" and not el.get("http-equiv")
        for attr, value in el.attrs.items():
            if inert_meta and attr == "content":
                continue
            text = " ".join(value) if isinstance(value, list) else str(value)
            squashed = re.sub(r"[\s\x00-\x1f]+", "", text).lower()
            if attr.lower().startswith("on"):
                found.append(f"{where}: <{el.name} {attr}=...> event handler")
            if attr.lower() in URL_ATTRS and (
                    squashed.startswith(("javascript:", "vbscript:", "data:text/html")) or EVIL in squashed
                    or "javascript:" in squashed and attr.lower() in ("style", "content")):
                found.append(f"{where}: <{el.name} {attr}={text[:60]!r}>")
            if el.name in EMBEDDING and HOSTILE.search(text):
                found.append(f"{where}: <{el.name} {attr}={text[:60]!r}> from catalog text")
        if el.name in ("script", "style") and HOSTILE.search(el.get_text()):
            found.append(f"{where}: <{el.name}> with catalog text inside")
        if el.name == "script" and el.get("src") and re.match(r"^(?:[a-z]+:)?//", el["src"], re.I):
            found.append(f"{where}: <script src={el['src']}> from another host")
    return found


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for el in soup(["script", "style", "template"]):
        el.decompose()
    return " ".join(soup.get_text("").split())


def test_no_live_tag_and_every_payload_shows_as_text(injected, capsys):
    inj, _, site = injected
    pages = sorted(site.rglob("*.html"))
    live, text = [], []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        live += live_findings(html, page.relative_to(site).as_posix())
        text.append(visible_text(html))
    everything = "\n".join(text)
    unseen = [p for p in PAYLOADS if " ".join(p.split()) not in everything]

    fields = sum(len(f) for f in FIELDS.values())
    with capsys.disabled():
        print(f"\ninjection: {len(PAYLOADS)} payloads x {fields} text fields = {len(PAYLOADS) * fields} "
              f"injections; {len(inj.accepted)} accepted and built, {len(inj.refused)} refused; "
              f"{len(pages)} pages scanned; live tags found: {len(live)}")
    assert not live, "live markup from catalog text:\n" + "\n".join(sorted(set(live))[:50])
    assert not unseen, "payloads that reached no page as visible text:\n" + "\n".join(map(repr, unseen))
    assert len(inj.accepted) > len(inj.refused), "most text fields must accept any text"


def test_refusals_are_only_formatted_fields(injected):
    """Free-text fields (title, summary, steps, ...) must take any text; only formatted ones refuse."""
    inj, _, _ = injected
    formatted = re.compile(r"(^|\.)(code|aliases|spellings|moved_from|category|family|flows|flow|setup_path|setup_paths|"
                           r"sources|url|list_source|my_domain|id|scopes|evidence|recovery|recovers|language|applies_to|"
                           r"direction|environment|extends|anchor|retry|surface)$")
    wrong = sorted({f"{kind}.{dotted(path)}: {why}" for (kind, n, path), why in inj.refused.items()
                    if not formatted.search(dotted(path).replace("[0]", ""))})
    assert not wrong, "free-text fields refused a payload:\n" + "\n".join(wrong)


def test_no_dialog_or_outside_request_in_chromium(injected, page_factory):
    """The built pages in a real browser: no alert() fires, nothing is fetched from another host."""
    import functools
    import threading

    _, _, site = injected
    handler = functools.partial(_Quiet, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page = page_factory(1280, 900)
        dialogs, failed = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # Leaving a page aborts its late requests (favicon, search worker): only other failures count.
        page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED" or failed.append((r.url, r.failure)))
        urls = [f"errors/{code(n).lower()}/" for n in range(1, len(PAYLOADS) + 1)]
        urls += ["integrations/inject-01/", f"categories/inject_{1:02d}/", "flows/inject_01/",
                 "reference/setup-paths/", "reference/login-history/", "errors/"]
        for url in urls:
            page.goto(base + url, wait_until="load")
        # The paste-your-error box builds its answer in the browser from api/catalog.json.
        page.goto(base, wait_until="load")
        page.locator("[data-rb-input]").first.fill(f"{code(2)}: {PAYLOADS[1]}")
        page.locator("[data-rb-lookup] button[type=submit]").first.click()
        answer = page.locator("[data-rb-result]").first
        answer.filter(has_text="pwn02").wait_for(timeout=30_000)
        assert "onerror=alert('pwn02')" in answer.inner_text()
        # Search results are HTML built from the index: "evil" finds every payload naming evil.example.
        page.goto(base + "errors/", wait_until="load")
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("evil", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
        assert "evil.example" in page.locator(".md-search-result").inner_text()
    finally:
        server.shutdown()
    assert dialogs == [], dialogs
    assert page.external_requests == [], page.external_requests
    assert failed == [], failed


class _Quiet(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(__import__("http.server").server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a navigation away drops its requests
        pass
