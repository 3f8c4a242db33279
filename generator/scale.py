"""How big a catalog may get before pages that hold every error code in full are split.

The real catalog has a few dozen codes, and a single decision-tree page or checklist page is the
handiest form for it (one page to search with Ctrl-F, one page to print). A fork with a thousand
codes would get one page of megabytes instead, so past SPLIT_AT codes those pages split: one page
per code (decision tree) or per category (checklists), with the overview page linking to them.
"""
SPLIT_AT = 60


def is_big(codes: int) -> bool:
    """Past SPLIT_AT codes: per-code and per-category pages, compact case lists, two cores."""
    return codes > SPLIT_AT

# Past this many codes the search index keeps, on each error page, what people search for: the
# code and its aliases, the title and summary, and each case's message, meaning and other
# wordings. The facts table, causes, steps, commands, examples and notes stay on the page but out
# of the index: each error adds about 15 KB to a full index (20 MB at 1,000 errors, which a phone
# downloads and indexes before the first result) and under 2 KB to a lean one. Duplicates and
# boilerplate are out of the index at any size.
LEAN_SEARCH_AT = 120
