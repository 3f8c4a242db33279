"""The theme's indentation is folded out of every built page, and nothing a reader sees changes."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator.html_whitespace import collapse


def test_indentation_between_tags_becomes_one_line_break():
    html = "<nav>\n      <ul>\n        <li><a href='#'>A</a></li>\n\n\n      </ul>\n    </nav>"
    assert collapse(html) == "<nav>\n<ul>\n<li><a href='#'>A</a></li>\n</ul>\n</nav>"


def test_spaces_inside_a_line_are_kept():
    html = "<p>Run <code>sf org list</code>  then   retry.</p>"
    assert collapse(html) == html


def test_pre_textarea_script_and_style_are_kept_byte_for_byte():
    kept = [
        "<pre><code>line one\n    indented\n\n\n  last</code></pre>",
        '<PRE class="x">\n  a\n</PRE >',
        "<textarea>\n  pasted\n    error\n</textarea>",
        "<script>var a = 1\n    ;b()\n</script>",
        "<style>\n  .x { color: red }\n</style>",
    ]
    for block in kept:
        assert block in collapse(f"<div>\n    {block}\n    </div>"), block


def test_the_pages_own_article_is_left_as_it_is():
    article = "<article class='md-content__inner'>\n  <p>kept\n      as is</p>\n</article>"
    html = f"<main>\n    <div>\n      {article}\n    </div>\n</main>"
    assert collapse(html) == f"<main>\n<div>\n{article}\n</div>\n</main>"


def test_built_pages_are_folded_and_read_the_same(built_site):
    page = built_site / "errors" / "invalid_grant" / "index.html"
    html = page.read_text(encoding="utf-8")
    frame = re.sub(r"<article\b.*</article>", "", html, flags=re.S)
    assert not re.search(r"\n[ \t]+<", _outside_verbatim(frame)), "indentation left in the theme's frame"
    soup = BeautifulSoup(html, "html.parser")
    # Fenced commands keep their line structure: a copied command must run as written.
    blocks = [pre.get_text() for pre in soup.select("pre")]
    assert blocks and any("\n" in b for b in blocks)


def _outside_verbatim(html: str) -> str:
    return re.sub(r"<(pre|textarea|script|style)\b.*?</\1\s*>", "", html, flags=re.S | re.I)
