"""Where things live and the few settings the generator takes. Every other module asks here."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

ROOT = Path(__file__).resolve().parent.parent
# RUNBOOKS_CATALOG points the whole pipeline (CLI, MkDocs hook) at another catalog folder;
# the test suite uses it to build sites from throw-away catalogs.
CATALOG_DIR = Path(os.environ.get("RUNBOOKS_CATALOG") or ROOT / "catalog").resolve()
TEMPLATES_DIR = ROOT / "templates"
DOCS_DIR = ROOT / "docs"

# Folders under docs/ that the generator owns. It writes, updates and deletes files only inside
# these (and .gitignore lists the same folders); every other file in docs/ is hand-written.
GENERATED_DIRS = (
    "errors",
    "guides",
    "codes",
    "categories",
    "flows",
    "reference",
    "api",
    "checklists",
    "review",
    "integrations",
    "decision-tree",
)


@dataclass(frozen=True)
class Settings:
    """Layout decisions that depend on how big the catalog is.

    The real catalog has a few dozen codes, and one decision-tree page or checklist page is the
    handiest form for it (one page to search with Ctrl-F, one to print). A fork with a thousand codes
    would get pages of megabytes instead, so past `split_at` codes those pages split per code or per
    category, and lists of cases from every code become one line per code.

    Past `lean_search_at` codes the search index keeps, on each error page, what people search for
    (the code, title, summary, and each case's message, meaning, other wordings, causes and fix
    steps, which name the Setup labels and concepts people type); the facts, investigation commands
    and notes stay on the page but out of the index. A full index costs about 15 KB
    per error (20 MB at 1,000 errors, which a phone downloads before its first result).
    """
    split_at: int = 60
    lean_search_at: int = 120
    # Up to this many cases, an integration page copies each case with the integration's own values
    # in its steps. Past it, copying makes the site grow with integrations x cases, and a page of
    # hundreds of cases is read by nobody: the page says where the cases are listed instead.
    inline_limit: int = 80
    # Where "Report a problem with this runbook" opens a prefilled issue; empty: no such link.
    repo_url: str = ""

    def split(self, codes: int) -> bool:
        return codes > self.split_at

    def lean(self, codes: int) -> bool:
        return codes > self.lean_search_at


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name tags; they must not execute here. !ENV is read the way
    MkDocs reads it, so a fork sets SITE_URL or REPO_URL instead of editing mkdocs.yml."""


# The same constructor MkDocs uses (pyyaml_env_tag, a dependency of MkDocs), so both read one value.
_TolerantLoader.add_constructor("!ENV", construct_env_tag)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config() -> dict:
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_TolerantLoader) or {}


def repo_url() -> str:
    url = mkdocs_config().get("repo_url") or ""
    return url.rstrip("/")


def site_url() -> str:
    url = mkdocs_config().get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"
