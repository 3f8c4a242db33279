"""The "Review due" page: every entry by the date its review falls due, overdue first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...catalog.schema import ErrorEntry

if TYPE_CHECKING:
    from .. import Renderer
    from ..views import Site

PAGE = "review/index.md"


@dataclass(frozen=True)
class ReviewItem:
    entry: ErrorEntry
    due: dt.date
    overdue: bool
    days: int  # days from today to the due date; negative once it has passed


def schedule(site: Site) -> list[ReviewItem]:
    """Sorted by due date, so whatever is overdue comes first; ties by code."""
    items = [ReviewItem(entry=e, due=site.review_due(e), overdue=site.overdue(e),
                        days=(site.review_due(e) - site.today).days)
             for e in site.catalog.errors]
    return sorted(items, key=lambda item: (item.due, item.entry.slug))


def pages(r: Renderer) -> None:
    r.page(PAGE, "review_due.md.j2", items=schedule(r.site))
