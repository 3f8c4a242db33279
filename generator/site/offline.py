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

# href="<relative path ending in />?query#anchor": no scheme, no leading / (those are not ours to move).
_DIRECTORY_HREF = re.compile(r'(\bhref=")((?![a-z][a-z0-9+.-]*:|/)[^"#?]*/)((?:\?[^"#]*)?(?:#[^"]*)?")', re.I)


def offline_href(href: str, page_src_uri: str, page_url: str, urls_by_hosted: dict[str, str]) -> str | None:
    """A relative directory-style href ("../invalid_grant/#case") written for the hosted site, as
    the relative .html URL of the offline build; None when it names no known page.

    urls_by_hosted maps each page's hosted URL to its URL in this build (errors/x/ -> errors/x.html).
    """
    path, hash_, anchor = href.partition("#")
    target = posixpath.normpath(posixpath.join(hosted_url(page_src_uri), path))
    target = "" if target == "." else target + "/"
    url = urls_by_hosted.get(target)
    if url is None:
        return None
    return posixpath.relpath(url, posixpath.dirname(page_url) or ".") + hash_ + anchor


def rewrite(html: str, page_src_uri: str, page_url: str, urls_by_hosted: dict[str, str]) -> str:
    """Point directory-style hrefs in `html` at the .html URLs of the offline build."""

    def replace(m: re.Match) -> str:
        url = offline_href(m.group(2), page_src_uri, page_url, urls_by_hosted)
        return m.group(0) if url is None else m.group(1) + url + m.group(3)

    return _DIRECTORY_HREF.sub(replace, html)
