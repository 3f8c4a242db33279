"""Pure rendering: a validated Catalog in, {relative path: file text} out. No disk writes here."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from functools import cached_property, lru_cache
from typing import Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from . import scale
from . import (alias_pages, catalog_export, checklists, decision_tree_page, integration_pages,
               markdown_text, review_due, triage, two_cores)
from .catalog import Catalog
from .page_memo import PageMemo
from .paths import TEMPLATES_DIR
from .schema import PLACEHOLDERS
from .slug import anchor_for

RECOVERY_LABELS = {
    "automatic": "Automatic: the next request works once the cause is fixed",
    "reconsent": "Needs a person to authorize again, then store the new token",
    "new_credential": "Needs a new password, secret or token stored in the integration",
    "wait": "Wait for the limit to reset, then it recovers by itself",
    "code_change": "Needs a change in the integration's code or configuration",
    "admin_change": "Recovers once an admin changes the Salesforce setting",
}

RETRY_LABELS = {
    "safe": "Safe to retry",
    "backoff": "Retry with backoff: it is transient, so wait and retry with growing delays",
    "never": "Never retry as-is: the same request fails until the data or configuration is fixed",
}

EVIDENCE_LABELS = {
    "observed": "Observed: this exact text was seen in real responses",
    "documented": "Documented: Salesforce documents this wording; real responses may differ",
    "reported": "Reported: unconfirmed; nobody here has seen this exact text",
}


class _FinalizeEscapes(CodeGenerator):
    """Compiles `{{ value }}` to `finalize(value)` instead of `escape(finalize(value))`.

    Our finalize is the escaper: it returns Markup for every value. The escape() that autoescape
    wraps around it could only copy that Markup again, and it did so ~700,000 times at 1,000
    errors (about a tenth of rendering). Constant output and `~` joins are compiled as before.
    """

    @staticmethod
    def _finalize_only(frame, finalize) -> bool:
        return finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile

    def _output_child_pre(self, node, frame, finalize) -> None:
        if not self._finalize_only(frame, finalize):
            return super()._output_child_pre(node, frame, finalize)
        self.write(finalize.src)

    def _output_child_post(self, node, frame, finalize) -> None:
        if not self._finalize_only(frame, finalize):
            return super()._output_child_post(node, frame, finalize)
        self.write(")")


class MarkdownEnvironment(Environment):
    code_generator_class = _FinalizeEscapes


def make_environment() -> Environment:
    env = MarkdownEnvironment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        auto_reload=False,  # environment() starts a new one when a template changes
        finalize=markdown_text.finalize,
        # finalize turns every string into escaped Markdown (Markup); autoescape only makes macros
        # return Markup too, so their output is not escaped a second time.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown uses {#anchor} for heading ids, so Jinja comments are {## ... ##} here.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(
        inline=markdown_text.inline,
        paragraphs=markdown_text.paragraphs,
        cell=markdown_text.cell,
        fence=markdown_text.fence,
        code=markdown_text.code,
        yaml_string=markdown_text.yaml_string,
        rel=relative_link,
        anchor=lambda text: Markup(anchor_for(text)),
        step=render_step,
    )
    env.globals.update(
        RECOVERY=RECOVERY_LABELS,
        RETRY=RETRY_LABELS,
        EVIDENCE=EVIDENCE_LABELS,
        raw=Markup,
        default_diagnose=triage.default_diagnose,
        checklist_sheet=checklists.sheet_path,  # checklists/ or, in a big catalog, checklists/<category>/
        attr_id=heading_attributes,
    )
    return env


def environment() -> Environment:
    """The Markdown environment, its compiled templates kept while templates/ is unchanged.

    Compiling the 25 templates takes ~0.1 s; each `mkdocs serve` rebuild paid it again. A template
    edited under serve changes the stamp, so the next render compiles afresh.
    """
    return _environment(templates_stamp())


@lru_cache(maxsize=1)
def _environment(stamp: tuple) -> Environment:
    return make_environment()


def templates_stamp() -> tuple:
    """Path, mtime and size of every template: changes when one is edited, added or removed."""
    return tuple((str(p), st.st_mtime_ns, st.st_size)
                 for p in sorted(TEMPLATES_DIR.rglob("*.j2")) for st in [p.stat()])


def heading_attributes(anchor: str, extra: str = "") -> Markup:
    """{#anchor} for a heading; `extra` is an attribute the template adds, e.g. site.lean."""
    return Markup("{#" + anchor_for(str(anchor)) + str(extra) + "}")


def relative_link(target: str, current: str) -> Markup:
    """Link from the page at `current` (a .md path) to `target` (a .md path, maybe with #anchor)."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path, posixpath.dirname(current) or ".")
    return Markup(rel + (f"#{anchor}" if anchor else ""))


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    # Pages link to the same few hundred targets from the same few folders; relpath is slow.
    return posixpath.relpath(path, start)


def render_step(step, values: dict[str, str] | None = None) -> Markup:
    """A fix step with {placeholders} filled: integration values in bold, generic names in italics."""
    text = getattr(step, "text", step)
    if not values:  # the generic form is on the error page, its checklist, flows and decision tree
        return _generic_step(text)
    return _fill_step(text, values)


@lru_cache(maxsize=1 << 16)
def _generic_step(text: str) -> Markup:
    return _fill_step(text, {})


def _fill_step(text: str, values: dict[str, str]) -> Markup:
    text = " ".join(text.split())
    out = ""
    pos = 0
    for m in re.finditer(r"\{([a-z_]+)\}", text):
        out += markdown_text.fragment(text[pos:m.start()])
        name = m.group(1)
        if name in values:
            out += "**" + markdown_text.inline(values[name]) + "**"
        else:
            out += "*" + markdown_text.inline(PLACEHOLDERS[name]) + "*"
        pos = m.end()
    out += markdown_text.fragment(text[pos:])
    return Markup(out)


class Site:
    """Derived views of the catalog that several pages share, computed once per render."""

    def __init__(self, catalog: Catalog, today: dt.date):
        self.catalog = catalog
        self.today = today

    @cached_property
    def by_category(self):
        groups = defaultdict(list)
        for entry in self.catalog.errors:
            groups[entry.category].append(entry)
        order = sorted(self.catalog.categories.items(), key=lambda kv: (kv[1].order, kv[0]))
        return [(cid, cat, groups[cid]) for cid, cat in order if groups[cid]]

    @cached_property
    def cases_by_flow(self):
        out = defaultdict(list)
        for entry in self.catalog.errors:
            for case in entry.cases:
                for flow in (self.catalog.flows if "any" in case.flows else case.flows):
                    out[flow].append((entry, case))
        return out

    @cached_property
    def cases_by_setup_path(self):
        out = defaultdict(list)
        for entry in self.catalog.errors:
            for case in entry.cases:
                for sp in case.setup_paths:
                    out[sp].append((entry, case))
            for setting in entry.settings_to_verify:
                out[setting.setup_path].append((entry, None))
        return {k: _unique(v) for k, v in out.items()}

    @cached_property
    def cases_by_login_status(self):
        out = defaultdict(list)
        for entry in self.catalog.errors:
            for case in entry.cases:
                for status in case.login_history:
                    out[status].append((entry, case))
        return out

    @cached_property
    def linked_from(self):
        """code slug -> entries whose related list names it (for 'Related errors' both ways)."""
        out = defaultdict(list)
        for entry in self.catalog.errors:
            for rel in entry.related:
                out[rel.code.lower()].append(entry)
        return out

    @cached_property
    def compact(self) -> bool:
        """Past scale.SPLIT_AT codes, pages that list cases from every code list them by code.

        At 1,000 codes a flow page has ~2,000 rows and the Setup paths page ~1.6 MB of Markdown;
        one line per code with its cases as links keeps them readable and quick to build.
        """
        return scale.is_big(len(self.catalog.errors))

    @staticmethod
    def by_entry(pairs):
        """[(entry, case), ...] as [(entry, [case, ...]), ...], in first-seen order."""
        groups: dict[str, tuple] = {}
        for entry, case in pairs:
            groups.setdefault(entry.slug, (entry, []))[1].append(case)
        return list(groups.values())

    @cached_property
    def lean(self) -> Markup:
        """' data-search-exclude' in a catalog big enough for a lean search index (scale.LEAN_SEARCH_AT).

        Templates add it to the attributes of sections worth searching only in a small catalog.
        """
        return Markup(" data-search-exclude" if len(self.catalog.errors) > scale.LEAN_SEARCH_AT else "")

    def overdue(self, entry) -> bool:
        return (self.today - entry.last_reviewed).days > entry.review_every_days

    def review_due(self, entry) -> dt.date:
        return entry.last_reviewed + dt.timedelta(days=entry.review_every_days)


def _unique(pairs):
    seen = set()
    out = []
    for entry, case in pairs:
        key = (entry.slug, case.anchor if case else None)
        if key not in seen:
            seen.add(key)
            out.append((entry, case))
    return out


class Renderer:
    """What a page builder gets: the catalog, its derived views, and a way to add files."""

    def __init__(self, catalog: Catalog, today: dt.date, memo: PageMemo | None = None):
        self.catalog = catalog
        self.site = Site(catalog, today)
        self.env = environment()
        self.files: dict[str, str] = {}
        self.memo = memo

    def page(self, path: str, template: str, **context) -> None:
        """Render a Markdown page from a template; `path` is relative to docs/."""
        self.files[path] = self.env.get_template(template).render(
            path=path, site=self.site, catalog=self.catalog, **context)

    def reused(self, entry, path: str) -> bool:
        """Under serve: add the page kept for this entry's unchanged inputs (page_memo.py), if any."""
        if self.memo is None:
            return False
        text = self.memo.recall(path, self.memo.key(self.catalog, entry))
        if text is not None:
            self.files[path] = text
        return text is not None

    def entry_page(self, entry, path: str, template: str, /, **context) -> None:
        """page() for a page that reads one entry (its error page, its decision tree), kept for reuse."""
        self.page(path, template, **context)
        if self.memo is not None:
            self.memo.keep(path, self.memo.key(self.catalog, entry), self.files[path])

    def file(self, path: str, text: str) -> None:
        """Add a non-Markdown file (JSON, SVG) built elsewhere."""
        self.files[path] = text


def error_pages(r: Renderer) -> None:
    """One runbook page per error: about half of all rendering, so it can run on its own core."""
    for entry in r.catalog.errors:
        path = f"errors/{entry.slug}.md"
        if not r.reused(entry, path):
            r.entry_page(entry, path, "error.md.j2", entry=entry, source=r.catalog.sources[entry.slug].shown)


def core_pages(r: Renderer) -> None:
    """Indexes, flows and the reference tables."""
    catalog, site = r.catalog, r.site
    r.page("errors/index.md", "errors_index.md.j2")
    for cid, category, entries in site.by_category:
        r.page(f"categories/{cid}.md", "category.md.j2", category_id=cid, category=category, entries=entries)
    r.page("flows/index.md", "flows_index.md.j2")
    for fid, flow in catalog.flows.items():
        r.page(f"flows/{fid}.md", "flow.md.j2", flow_id=fid, flow=flow)
    r.page("reference/setup-paths.md", "setup_paths.md.j2")
    r.page("reference/login-history.md", "login_history.md.j2")


# Each builder adds one family of pages. A new feature adds its module here and its output
# folder to paths.GENERATED_DIRS. No builder reads another's output, so they can run apart.
BUILDERS = [error_pages, core_pages]
BUILDERS += [alias_pages.pages, catalog_export.pages]  # errors/<alias>/ redirects; api/catalog.json
BUILDERS += [checklists.pages, review_due.pages]  # checklists/: printable sheets; review/: review due dates
BUILDERS += [integration_pages.pages]  # integrations/: one runbook per inventory, and the list
BUILDERS += [decision_tree_page.pages]  # decision-tree/: from the error you see to the case, with flowcharts

# Under `mkdocs serve`, what the worker renders while the hook's process renders the rest. After
# one entry's edit the memo (page_memo.py) leaves the error pages nearly free, and the indexes
# (~0.3 s at 1,000 errors) even out the two sides; from scratch the worker's side is the longer.
WORKER_SHARE = [error_pages, core_pages]


def render(catalog: Catalog, today: dt.date | None = None,
           worker_pages: Callable[[], dict[str, str] | None] | None = None,
           memo: PageMemo | None = None) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/.

    worker_pages, under `mkdocs serve` with a big catalog, gives the pages of WORKER_SHARE that a
    worker process rendered from the same catalog (serve_worker.py), or None to render them here.
    memo, under serve, keeps each entry's pages for the next render (page_memo.py).
    """
    r = _renderer(catalog, today or dt.date.today(), memo)
    try:
        if worker_pages is not None:
            ours = _build(r, [b for b in BUILDERS if b not in WORKER_SHARE])
            theirs = worker_pages()
            if theirs is None:
                theirs = _build(r, WORKER_SHARE)
        elif two_cores.available(len(catalog.errors)):
            # a big catalog: error pages on one core, the rest on the other
            def in_child():  # its pages, and what it kept for the memo, which stays behind in the child
                return _build(r, BUILDERS[:1]), memo.added() if memo is not None else {}

            (theirs, kept), ours = two_cores.split(in_child, lambda: _build(r, BUILDERS[1:]))
            if memo is not None:
                memo.merge(kept)
        else:
            theirs, ours = {}, _build(r, BUILDERS)
        files = {**theirs, **ours}
        if memo is not None:
            memo.end(files)
        return files
    finally:
        _forget()


def worker_share(catalog: Catalog, today: dt.date, memo: PageMemo | None = None) -> dict[str, str]:
    """The pages serve_worker renders in its own process."""
    try:
        files = _build(_renderer(catalog, today, memo), WORKER_SHARE)
        if memo is not None:
            memo.end(files)
        return files
    finally:
        _forget()


def _renderer(catalog: Catalog, today: dt.date, memo: PageMemo | None) -> Renderer:
    if memo is not None:
        memo.begin(catalog, today, templates_stamp())
    return Renderer(catalog, today, memo)


def _forget() -> None:
    # The memos serve one render. Kept, they would hold ~100,000 strings of a big catalog
    # through the whole MkDocs build that follows, for its garbage collector to walk.
    markdown_text.forget()
    _generic_step.cache_clear()
    _relpath.cache_clear()


def _build(r: Renderer, builders) -> dict[str, str]:
    r.files = {}
    for build in builders:
        build(r)
    return r.files
