"""Directory-style links written as raw HTML, made to work in the offline (file://) build.

MkDocs rewrites Markdown links for either URL style, but not hrefs inside raw HTML (the decision
tree's SVG, for one), which are written for the hosted site: ../errors/invalid_grant/#anchor. The
offline build has no directory URLs (errors/invalid_grant.html), so such an href is mapped to the
page it means. Hrefs that name no known page are left alone for the link checks to report.
"""
from __future__ import annotations

import posixpath
import re

from ..urls import hosted_url

# href="<relative path ending in />#anchor": no scheme, no leading / (those are not ours to move).
_DIRECTORY_HREF = re.compile(r'(\bhref=")((?![a-z][a-z0-9+.-]*:|/)[^"#?]*/)((?:#[^"]*)?")', re.I)


def rewrite(html: str, page_src_uri: str, page_url: str, urls_by_hosted: dict[str, str]) -> str:
    """Point directory-style hrefs in `html` at the .html URLs of the offline build.

    urls_by_hosted maps each page's hosted URL to its URL in this build (errors/x/ -> errors/x.html).
    """
    here = hosted_url(page_src_uri)
    current_dir = posixpath.dirname(page_url)

    def replace(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(here, m.group(2)))
        target = "" if target == "." else target + "/"
        url = urls_by_hosted.get(target)
        if url is None:
            return m.group(0)
        return m.group(1) + posixpath.relpath(url, current_dir or ".") + m.group(3)

    return _DIRECTORY_HREF.sub(replace, html)
