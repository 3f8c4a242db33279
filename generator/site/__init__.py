"""RENDER: a validated Catalog in, {path under docs/: file text} out. Pure: no disk writes, no
state kept between calls, no processes. Each module in site/pages/ adds one family of pages.
"""
from __future__ import annotations

import datetime as dt

from ..catalog import Catalog
from ..config import Settings
from .jinja import markdown_environment
from .views import Site


class Renderer:
    """What a page builder gets: the catalog, its derived views, and a way to add files."""

    def __init__(self, catalog: Catalog, today: dt.date, settings: Settings):
        self.catalog = catalog
        self.site = Site(catalog, today, settings)
        self.env = markdown_environment()
        self.files: dict[str, str] = {}

    def page(self, path: str, template: str, **context) -> None:
        """Render a Markdown page from a template; `path` is relative to docs/."""
        self.files[path] = self.env.get_template(template).render(
            path=path, site=self.site, catalog=self.catalog, **context)

    def file(self, path: str, text: str) -> None:
        """Add a non-Markdown file (JSON) built elsewhere."""
        self.files[path] = text


def render(catalog: Catalog, today: dt.date | None = None, settings: Settings | None = None) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/."""
    from .pages import BUILDERS  # the builders import Renderer from here

    r = Renderer(catalog, today or dt.date.today(), settings or Settings())
    for build in BUILDERS:
        build(r)
    return r.files
