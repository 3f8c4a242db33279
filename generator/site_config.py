"""Read the few settings the generator shares with mkdocs.yml, without importing MkDocs."""
from __future__ import annotations

from functools import lru_cache

import yaml

from .paths import ROOT


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name tags; they are irrelevant here and must not execute."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@lru_cache(maxsize=1)
def mkdocs_config() -> dict:
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_TolerantLoader) or {}


def site_url() -> str:
    url = mkdocs_config().get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"
