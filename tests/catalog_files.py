"""A small catalog as {relative path: text}, with every kind of file, for tests that mutate one.

The real shared tables, the minimal and the every-field error entries, an integration inventory
and a company overlay: load_catalog reaches every loader and render reaches every builder.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

TABLES = ("categories.yaml", "flows.yaml", "setup_paths.yaml", "login_history.yaml")


def base_files() -> dict[str, str]:
    files = {name: (ROOT / "catalog" / name).read_text(encoding="utf-8") for name in TABLES}
    files.update({f"families/{p.name}": p.read_text(encoding="utf-8") for p in (ROOT / "catalog" / "families").glob("*.yaml")})
    files["errors/test_only_code.yaml"] = (FIXTURES / "minimal_error.yaml").read_text()
    files["errors/test_full_code.yaml"] = (FIXTURES / "full_error.yaml").read_text()
    files["integrations/test-full-integration.yaml"] = (FIXTURES / "full_integration.yaml").read_text()
    files["local/errors/test_full_code.yaml"] = (FIXTURES / "full_overlay.yaml").read_text()
    return files


def write_catalog(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
    return root
