"""Rendering SVG templates. Separate from the Markdown environment on purpose: SVG is XML, so
every value is HTML/XML-escaped by autoescape (the Markdown `finalize` escaping would be wrong here).
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .paths import TEMPLATES_DIR


@lru_cache(maxsize=1)
def svg_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{##",
        comment_end_string="##}",
    )


def render_svg(template: str, **context) -> Markup:
    """An SVG fragment, safe to place in a page as raw HTML."""
    return Markup(svg_environment().get_template(template).render(**context).strip())
