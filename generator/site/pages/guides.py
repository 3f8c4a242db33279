"""guides/: one page per API family (how it reports errors, where to look, what to retry), and the list."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import urls

if TYPE_CHECKING:
    from .. import Renderer


def pages(r: Renderer) -> None:
    for fid, family, groups in r.site.by_family:
        r.page(urls.family_md(fid), "family.md.j2", family_id=fid, family=family, groups=groups)
    r.page(urls.family_md(), "guides_index.md.j2")
