"""Where things live. Every other module asks here instead of guessing."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# RUNBOOKS_CATALOG points the whole pipeline (CLI, MkDocs hook) at another catalog folder;
# the test suite uses it to build sites from throw-away catalogs.
CATALOG_DIR = Path(os.environ.get("RUNBOOKS_CATALOG") or ROOT / "catalog").resolve()
TEMPLATES_DIR = ROOT / "templates"
DOCS_DIR = ROOT / "docs"

# Folders under docs/ that the generator owns. It writes, updates and deletes
# files only inside these; every other file in docs/ is hand-written and safe.
GENERATED_DIRS = (
    "errors",
    "categories",
    "flows",
    "reference",
    "api",
    "checklists",
    "review",
    "integrations",
    "decision-tree",
)
