"""The URL contract: every page path, URL and id the site emits is made here, and only here.

Alert links depend on `anchor_for` and `error_url` for years: never change what they return.
Templates get this module as the global `urls`; page builders, validation (catalog/rules.py),
check-links, the offline rewrite and resolve all call it.

Two forms of every page: the Markdown source under docs/ (`errors/invalid_grant.md`, what links in
generated Markdown point at) and the hosted URL (`errors/invalid_grant/`, what alerts and resolve
give out).
"""
from __future__ import annotations

import posixpath
import re

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_OUTSIDE = re.compile(r"[^a-z0-9]+")

# Section ids on every error page, in page order. A case anchor may not take one of these.
SECTION_IDS = (
    "at-a-glance", "cases", "what-the-platform-is-checking", "where-it-shows-up", "in-the-wild",
    "broken-examples", "fixed-example", "settings-to-verify", "background", "edge-cases",
    "defensive-habits", "recovery-checklist", "if-the-error-changes", "related-errors", "further-reading",
    "about-this-entry",
)
# Each case's own sections get ids <case anchor>-<suffix>.
CASE_SECTION_SUFFIXES = ("causes", "investigate", "fix")


def anchor_for(text: str) -> str:
    """Case anchor: lowercase, drop apostrophes, runs outside [a-z0-9] become '-', trim '-'."""
    return _OUTSIDE.sub("-", _APOSTROPHES.sub("", str(text).lower())).strip("-")


def case_section_id(case_anchor: str, suffix: str) -> str:
    """#<case>-causes, #<case>-investigate, #<case>-fix."""
    return f"{case_anchor}-{suffix}"


def error_ids(case_anchors: list[str]) -> list[str]:
    """Every id an error page with these case anchors emits, in no particular order (may repeat:
    validation refuses an entry where it does)."""
    ids = list(SECTION_IDS)
    for anchor in case_anchors:
        ids.append(anchor)
        ids += [case_section_id(anchor, s) for s in CASE_SECTION_SUFFIXES]
    return ids


def decision_tree_code_id(code: str) -> str:
    """A code's section in the decision tree (slugs are [a-z0-9_], safe in an id)."""
    return f"code-{code.lower()}"


def decision_tree_leaf_id(code: str, case_anchor: str) -> str:
    """A case's block in the decision tree; unique because a slug has no '-' and an anchor no '--'."""
    return f"{code.lower()}--{case_anchor}"


def decision_tree_category_id(category_id: str) -> str:
    return f"dt-category-{category_id}"


def decision_tree_family_id(family_id: str) -> str:
    return f"dt-family-{family_id}"


# On a family guide: the section an unknown code of the family lands on.
UNKNOWN_CODE_ID = "unknown-code"


# --- pages: Markdown sources under docs/ -------------------------------------------------------

def error_md(code: str) -> str:
    return f"errors/{code.lower()}.md"


def case_md(code: str, case_anchor: str) -> str:
    return f"{error_md(code)}#{case_anchor}"


def category_md(category_id: str) -> str:
    return f"categories/{category_id}.md"


def flow_md(flow_id: str) -> str:
    return f"flows/{flow_id}.md"


def setup_path_md(setup_path_id: str) -> str:
    return f"reference/setup-paths.md#{setup_path_id.replace('_', '-')}"


def family_md(family_id: str | None = None) -> str:
    """guides/index.md, or one API family's guide: guides/bulk.md."""
    return f"guides/{family_id or 'index'}.md"


def codes_md(family_id: str | None = None) -> str:
    """codes/index.md (every code, by family), or one family's list of codes."""
    return f"codes/{family_id or 'index'}.md"


def integration_md(integration_id: str) -> str:
    return f"integrations/{integration_id}.md"


def checklist_md(group: str | None = None) -> str:
    """checklists/index.md, or one category's sheet page in a split catalog."""
    return f"checklists/{group or 'index'}.md"


def decision_tree_md(code: str | None = None) -> str:
    """decision-tree/index.md, or one code's page in a split catalog."""
    return f"decision-tree/{code.lower()}.md" if code else "decision-tree/index.md"


# --- hosted URLs --------------------------------------------------------------------------------

def error_url(code: str) -> str:
    """Error page URL relative to the site root, e.g. 'errors/invalid_grant/'."""
    return hosted_url(error_md(code))


def hosted_url(md_path: str) -> str:
    """A Markdown source's URL on the hosted site: errors/invalid_grant.md -> errors/invalid_grant/."""
    stem = md_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def report_problem_url(repo_url: str, code: str, case_anchor: str, source: str) -> str:
    """A new issue on the repository, prefilled with the page, the case and the catalog file to fix.
    Only ids and the file path go into the URL, never free catalog text."""
    from urllib.parse import urlencode

    body = (f"Page: {error_url(code)}#{case_anchor}\nCatalog file: {source}\n\n"
            "What is wrong, and how do you know (a link to Salesforce docs, or the response you saw, "
            "with secrets removed)?\n")
    title = f"Runbook problem: {code} #{case_anchor}"
    return f"{repo_url}/issues/new?" + urlencode({"title": title, "body": body})


def relative_link(target: str, current: str) -> str:
    """Link from the page at `current` (a .md path) to `target` (a .md path, maybe with #anchor).
    Both are relative to docs/, so plain string work does what posixpath.relpath would."""
    path, _, anchor = target.partition("#")
    here = current.split("/")[:-1]
    there = path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:])
    return rel + (f"#{anchor}" if anchor else "")


def relative_url(target_url: str, current_md: str) -> str:
    """A directory-style href (for raw HTML such as SVG) from the page `current_md` to a hosted URL."""
    here = hosted_url(current_md)
    path, _, anchor = target_url.partition("#")
    rel = posixpath.relpath(path or ".", here or ".")
    rel = "" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")
