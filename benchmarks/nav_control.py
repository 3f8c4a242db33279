"""The navigation alone, on the workload the performance issue measured: 1,000 pages of ~1.4 KB.

Our error pages carry a whole runbook (~15 KB of Markdown), so in the site benchmark most of a
build is Markdown and search work that any navigation pays alike. This control strips that away:
N short item pages plus ~10 section index pages that list them, built with our mkdocs.yml (theme,
features, extensions, plugins; no hook) twice:

  ours:     the section pages in the nav, the item pages out of it (not_in_nav), as the site does;
  default:  no nav key, so every page is in the sidebar of every page.

So the ratio shows what the navigation design buys, apart from what the content costs.
"""
from __future__ import annotations

import random
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

import bench_site

SECTIONS = 10
DOCS = "control-docs"
WORDS = ("token refresh session grant user org login host flow scope consent app policy retry "
         "expired revoked callback header client secret certificate profile permission limit").split()


@dataclass
class NavControl:
    pages: int
    item_markdown: int      # median bytes of an item page's Markdown
    ours: float             # median seconds
    default: float
    ours_page: int          # median bytes of an item page's HTML
    default_page: int
    ours_site: int          # bytes
    default_site: int

    @property
    def speedup(self) -> float:
        return self.default / self.ours


def write_docs(copy: Path, pages: int, seed: int = 7) -> None:
    """control-docs/: home, SECTIONS index pages and `pages` item pages of ~1.4 KB each."""
    rng = random.Random(seed)
    docs = copy / DOCS
    shutil.rmtree(docs, ignore_errors=True)
    for keep in ("stylesheets", "javascripts"):  # what mkdocs.yml's extra_css and extra_javascript name
        shutil.copytree(copy / "docs" / keep, docs / keep)
    (docs / "index.md").write_text("# Home\n\nThe sections list every item.\n", encoding="utf-8")
    per = -(-pages // SECTIONS)
    for s in range(SECTIONS):
        items = range(s * per, min(pages, (s + 1) * per))
        lines = [f"# Section {s + 1}\n"] + [f"- [Item {n}](../items/item-{n:04d}.md)" for n in items]
        _write(docs / "sections" / f"s{s + 1:02d}.md", "\n".join(lines) + "\n")
        for n in items:
            _write(docs / "items" / f"item-{n:04d}.md", _item(rng, n, s + 1))


def _item(rng: random.Random, n: int, section: int) -> str:
    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 16))]
        return " ".join(words).capitalize() + "."

    paras = [" ".join(sentence() for _ in range(3)) for _ in range(4)]
    steps = "\n".join(f"{i}. {sentence()}" for i in range(1, 4))
    body = "\n\n".join(paras)
    return (f"# Item {n}\n\n{body}\n\n## Steps\n\n{steps}\n\n"
            f"Back to [section {section}](../sections/s{section:02d}.md).\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# Only the site hook's HTML step (the generator has nothing to do here), on both builds alike.
HOOK = "from generator.html_whitespace import collapse\n\n\ndef on_post_page(output, **kwargs):\n    return collapse(output)\n"


def configs(copy: Path) -> tuple[str, str]:
    nav = "\n".join(f"  - Section {s + 1}: sections/s{s + 1:02d}.md" for s in range(SECTIONS))
    (copy / "control_hook.py").write_text(HOOK, encoding="utf-8")
    common = f"INHERIT: mkdocs.yml\ndocs_dir: {DOCS}\nhooks: [control_hook.py]\n"
    (copy / "mkdocs.control_ours.yml").write_text(
        common + f"nav:\n  - Home: index.md\n{nav}\nnot_in_nav: |\n  /items/*.md\n", encoding="utf-8")
    (copy / "mkdocs.control_default.yml").write_text(
        common + "nav: null\nnot_in_nav: \"\"\n", encoding="utf-8")
    return "mkdocs.control_ours.yml", "mkdocs.control_default.yml"


def measure(copy: Path, tmp: Path, pages: int, runs: int) -> NavControl:
    write_docs(copy, pages)
    ours_cfg, default_cfg = configs(copy)
    ours_site, default_site = tmp / "control-ours", tmp / "control-default"
    ours, default = [], []
    for _ in range(runs):  # interleaved, like the site benchmark
        ours.append(bench_site.mkdocs_build(copy, ours_cfg, ours_site))
        default.append(bench_site.mkdocs_build(copy, default_cfg, default_site))
    return NavControl(
        pages=sum(1 for _ in ours_site.rglob("*.html")),
        item_markdown=round(statistics.median(p.stat().st_size for p in (copy / DOCS / "items").glob("*.md"))),
        ours=statistics.median(ours),
        default=statistics.median(default),
        ours_page=_median_item(ours_site),
        default_page=_median_item(default_site),
        ours_site=_size(ours_site),
        default_site=_size(default_site),
    )


def _median_item(site: Path) -> int:
    return round(statistics.median(p.stat().st_size for p in (site / "items").rglob("index.html")))


def _size(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
