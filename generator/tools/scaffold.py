"""Start a file from a commented template, never over an existing one:
`new-integration <id>` (an inventory) and `new-error <CODE>` (a runbook, e.g. for a reference entry)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..catalog.inventory import MAX_ID, RESERVED_IDS, valid_id
from ..config import CATALOG_DIR, ROOT

TEMPLATE = ROOT / "catalog" / "_templates" / "integration.yaml"
ERROR_TEMPLATE = ROOT / "catalog" / "_templates" / "error.yaml"
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,79}$")
_ID_LINE = re.compile(r"^id: your-integration-id\b", re.M)


class BadId(ValueError):
    pass


def id_problem(value: str) -> str | None:
    """Why an id cannot be used, or None."""
    if value in RESERVED_IDS:
        return f"'{value}' is the address of the integrations overview; choose another id"
    if not valid_id(value):
        return (f"'{value}' is not a valid id: use lowercase letters and digits in words joined by "
                f"single hyphens, starting with a letter, at most {MAX_ID} characters (e.g. erp-orders)")
    return None


def new_integration(integration_id: str, catalog_dir: Path = CATALOG_DIR) -> Path:
    """Write catalog/integrations/<id>.yaml; raises BadId or FileExistsError and writes nothing then."""
    problem = id_problem(integration_id)
    if problem:
        raise BadId(problem)
    text, count = _ID_LINE.subn(f"id: {integration_id}", TEMPLATE.read_text(encoding="utf-8"))
    assert count == 1, "the template must have exactly one 'id: your-integration-id' line"
    text = text.replace("your-integration-id", integration_id)
    return _create(catalog_dir / "integrations" / f"{integration_id}.yaml", text)


def new_error(code: str, category: str | None = None, catalog_dir: Path = CATALOG_DIR) -> Path:
    """Write catalog/errors/<code lowercased>.yaml from the error template with the code (and, when
    given, the category) filled in; raises BadId or FileExistsError and writes nothing then."""
    if not _CODE.match(code):
        raise BadId(f"'{code}' is not a code: letters, digits and underscores, starting with a letter, "
                    "at most 80 characters, as Salesforce sends it")
    text = ERROR_TEMPLATE.read_text(encoding="utf-8")
    text = re.sub(r"^code: EXAMPLE_CODE\b", f"code: {code}", text, count=1, flags=re.M)
    text = text.replace("errors/example_code/", f"errors/{code.lower()}/").replace("EXAMPLE_CODE", code)
    if category:
        text = re.sub(r"^category: \w+", f"category: {category}", text, count=1, flags=re.M)
    return _create(catalog_dir / "errors" / f"{code.lower()}.yaml", text)


def _create(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: refuse atomically if the file exists, even if it appeared a moment ago.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return target
