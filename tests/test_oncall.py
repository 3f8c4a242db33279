"""The on-call engineer's view: triage box first, ownership and freshness, phone, print, edit link.

HTML tests read the one real build (built_site); browser tests drive Debian's Chromium at phone
(390 px) and desktop (1280 px) widths and save screenshots under test-artifacts/.
"""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, screenshot

from generator.catalog import load_catalog
from generator.catalog.schema import PLACEHOLDERS
from generator.site import render
from generator.site import views as triage
from generator.site.jinja import RECOVERY_LABELS

LANDING = "errors/invalid_grant/#password-expired"


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def folded(text: str) -> str:
    return " ".join(text.split())


def expected_step(step) -> str:
    """A catalog step as the page shows it: placeholders spelled out, code spans as plain text."""
    text = re.sub(r"\{([a-z_]+)\}", lambda m: PLACEHOLDERS[m.group(1)], step.text)
    return folded(re.sub(r"`([^`]+)`", r"\1", text))


def triage_box(page: BeautifulSoup, anchor: str):
    heading = page.find(id=anchor)
    assert heading is not None, f"no #{anchor}"
    box = heading.find_next_sibling()
    # A case with moved_from keeps its old anchors as empty spans right under the heading.
    while box is not None and box.name == "p" and not box.get_text(strip=True) and box.find("span", id=True):
        box = box.find_next_sibling()
    assert box is not None and "triage" in box.get("class", []), f"#{anchor} is not followed by the triage box"
    return box


# --- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def error_pages(built_site, catalog):
    return {e.slug: soup(built_site / "errors" / e.slug / "index.html") for e in catalog.errors}


def test_every_case_has_a_triage_box_with_a_first_step(catalog, error_pages):
    problems = []
    for entry in catalog.errors:
        page = error_pages[entry.slug]
        for case in entry.cases:
            where = f"{entry.slug}#{case.anchor}"
            box = triage_box(page, case.anchor)
            first = box.select_one("p.triage-first-step")
            if first is None:
                problems.append(f"{where}: no first step")
                continue
            shown = folded(first.get_text()).removeprefix("First step:").strip()
            if shown != expected_step(case.steps[0]):
                problems.append(f"{where}: first step shows {shown!r}")
            text = folded(box.get_text())
            for part in ("Means:", "Salesforce admin:", "Recovery:", RECOVERY_LABELS[case.recovery]):
                if part not in text:
                    problems.append(f"{where}: triage box lacks {part!r}")
    assert not problems, "\n".join(problems)


def test_diagnose_command_is_a_real_code_block_inside_the_box(catalog, error_pages):
    """The catalog's own command, or a default only where triage.default_diagnose allows one."""
    problems = []
    for entry in catalog.errors:
        for case in entry.cases:
            box = triage_box(error_pages[entry.slug], case.anchor)
            code = box.select_one("pre > code")
            kind = triage.default_diagnose(entry, case, catalog)
            where = f"{entry.slug}#{case.anchor}"
            if case.diagnose is not None:
                if code is None or folded(code.get_text()) != folded(case.diagnose.command):
                    problems.append(f"{where}: diagnose command missing or changed")
            elif kind is None and code is not None:
                problems.append(f"{where}: shows a command although no default applies")
            elif kind is not None and code is None:
                problems.append(f"{where}: default {kind} command missing")
    assert not problems, "\n".join(problems)


def test_reported_cases_show_their_evidence_note(catalog, error_pages):
    reported = [(e, c) for e in catalog.errors for c in e.cases if c.evidence == "reported"]
    for entry, case in reported:
        box = triage_box(error_pages[entry.slug], case.anchor)
        note = box.find_next_sibling()
        assert "warning" in note.get("class", []), f"{entry.slug}#{case.anchor}"
        assert note.select_one(".admonition-title").get_text(strip=True) == "Unconfirmed text"
        assert expected_step(SimpleNamespace(text=case.evidence_note)) in folded(note.get_text())


def test_owner_and_review_date_shown_near_the_top_and_in_about(catalog, error_pages):
    for entry in catalog.errors:
        page = error_pages[entry.slug]
        first_table = page.select_one("article table")
        assert entry.owner in first_table.get_text(), entry.slug
        assert entry.last_reviewed.isoformat() in first_table.get_text(), entry.slug
        about = page.find(id="about-this-entry").find_next_sibling("p").get_text()
        assert entry.owner in about and entry.last_reviewed.isoformat() in about


def test_if_the_error_changes_lists_every_case_and_related_errors_link_both_ways(catalog, error_pages):
    for entry in catalog.errors:
        page = error_pages[entry.slug]
        section = []
        for el in page.find(id="if-the-error-changes").find_next_siblings():
            if el.name == "h2":
                break
            section.append(el)
        hrefs = {a["href"] for el in section for a in el.find_all("a", href=True)}
        if len(entry.cases) > 1:
            assert {f"#{c.anchor}" for c in entry.cases} <= hrefs, entry.slug
        for rel in entry.related:
            other = page.find(id="related-errors")
            assert other is not None, entry.slug
            back = error_pages[rel.code.lower()].find(id="related-errors")
            assert back is not None, f"{rel.code} does not list related errors"
            links = {a["href"] for a in back.find_next_sibling("ul").find_all("a", href=True)}
            assert f"../{entry.slug}/" in links, f"{rel.code} does not link back to {entry.code}"


def test_edit_link_opens_the_catalog_file_not_the_generated_markdown(catalog, error_pages):
    for entry in catalog.errors:
        edit = error_pages[entry.slug].select_one('a.md-content__button[rel="edit"]')
        assert edit is not None, entry.slug
        assert edit["href"].startswith("https://github.com/example/salesforce-integration-runbooks/edit/")
        assert edit["href"].endswith(f"catalog/errors/{entry.slug}.yaml"), edit["href"]
        assert "/docs/" not in edit["href"]


def test_checklists_have_one_sheet_per_error(built_site, catalog):
    """One page of sheets, or (in a split catalog) one page per category listed on checklists/."""
    pages = sorted((built_site / "checklists").rglob("index.html"))
    sheets = {sheet.find("h2")["id"]: (page, sheet) for page in pages
              for sheet in soup(page).select("div.checklist-sheet")}
    assert sorted(sheets) == sorted(e.slug.replace("_", "-") for e in catalog.errors)
    for entry in catalog.errors:
        page, sheet = sheets[entry.slug.replace("_", "-")]
        up = "../" * (len(page.relative_to(built_site).parts) - 1)
        assert len(sheet.select("ol > li")) == len(entry.checklist), entry.slug
        hrefs = {a["href"] for a in sheet.find_all("a", href=True)}
        assert {f"{up}errors/{entry.slug}/#{c.anchor}" for c in entry.cases} <= hrefs, entry.slug
        text = folded(sheet.get_text())
        assert all(expected_step(c.steps[0]) in text for c in entry.cases), entry.slug


# --- review dates with a fixed today ------------------------------------------------------------


def entry_yaml(code: str, last_reviewed: str, every: int = 180) -> str:
    text = (FIXTURES / "minimal_error.yaml").read_text()
    text = text.replace("code: TEST_ONLY_CODE", f"code: {code}")
    text = text.replace("last_reviewed: 2026-01-01", f"last_reviewed: {last_reviewed}\nreview_every_days: {every}")
    text = text.replace("owner: tests", f"owner: team-{code.lower()}")
    return text


@pytest.fixture
def review_catalog(make_catalog):
    return load_catalog(make_catalog({
        "fresh_one.yaml": entry_yaml("FRESH_ONE", "2026-06-01"),          # due 2026-11-28
        "old_one.yaml": entry_yaml("OLD_ONE", "2025-01-10"),              # due 2025-07-09
        "due_today.yaml": entry_yaml("DUE_TODAY", "2026-05-01", 30),      # due 2026-05-31
        "older_one.yaml": entry_yaml("OLDER_ONE", "2024-12-01", 90),      # due 2025-03-01
    }))


def test_review_due_page_lists_by_due_date_overdue_first(review_catalog):
    today = dt.date(2026, 5, 31)
    page = render(review_catalog, today=today)["review/index.md"]
    order = [m.group(1) for m in re.finditer(r"\[`([A-Z_]+)`\]", page)]
    assert order == ["OLDER_ONE", "OLD_ONE", "DUE_TODAY", "FRESH_ONE"]
    overdue, upcoming = page.split("## Coming up")
    assert "## Overdue (2)" in overdue and "`OLDER_ONE`" in overdue and "`OLD_ONE`" in overdue
    assert "`DUE_TODAY`" in upcoming and "2026\\-05\\-31 (today;" in upcoming
    assert "(456 days ago;" in overdue  # 2025-03-01 to 2026-05-31
    assert "as of 2026\\-05\\-31" in page


def test_overdue_entries_say_so_on_their_page_and_in_the_triage_box(review_catalog):
    def page(code, today):
        return render(review_catalog, today=today)[f"errors/{code}.md"]

    due_day = dt.date(2026, 5, 31)
    assert "Review overdue" not in page("due_today", due_day)
    late = page("due_today", due_day + dt.timedelta(days=1))
    assert '!!! warning "Review overdue"' in late
    assert "**Review overdue** since 2026\\-05\\-31" in late.split("#### Causes")[0]
    assert "· **review overdue**" in late  # the compact owner row near the top
    assert "Review overdue" not in page("fresh_one", due_day)


# --- default diagnose commands ---------------------------------------------------------------


BASE = (FIXTURES / "minimal_error.yaml").read_text()
NO_LOGIN_HISTORY = BASE.replace("    setup_paths: [login_history]\n    login_history: [Restricted IP]\n", "")


@pytest.mark.parametrize("text,expected", [
    (BASE, "login_history"),  # Login History statuses point to the case
    (NO_LOGIN_HISTORY, "token_jwt_bearer"),
    (NO_LOGIN_HISTORY.replace("[jwt_bearer]", "[client_credentials]"), "token_client_credentials"),
    # A repeated password login counts towards lockout; a repeated refresh can use up a rotating
    # refresh token; with two flows the request to send is unknown: no generic command for these.
    (NO_LOGIN_HISTORY.replace("[jwt_bearer]", "[username_password]"), None),
    (NO_LOGIN_HISTORY.replace("[jwt_bearer]", "[refresh_token]"), None),
    (NO_LOGIN_HISTORY.replace("[jwt_bearer]", "[jwt_bearer, client_credentials]"), None),
], ids=["login_history", "jwt_bearer", "client_credentials", "password", "refresh_token", "two_flows"])
def test_default_diagnose_only_where_it_is_right(make_catalog, text, expected):
    catalog = load_catalog(make_catalog({"test_only_code.yaml": text}))
    entry = catalog.errors[0]
    assert triage.default_diagnose(entry, entry.cases[0], catalog) == expected
    # The second case is an API error after login on the token endpoint: nothing generic fits.
    assert triage.default_diagnose(entry, entry.cases[1], catalog) is None
    page = render(catalog, today=dt.date(2026, 1, 2))["errors/test_only_code.md"]
    first_box = page.split("### first test case")[1].split("#### Causes")[0]
    second_box = page.split("### second test case")[1].split("#### Causes")[0]
    assert "```" not in second_box
    if expected is None:
        assert "```" not in first_box
    else:
        fence = {"login_history": "``` sql\n    SELECT", "token_jwt_bearer": "``` bash\n    curl",
                 "token_client_credentials": "``` bash\n    curl"}[expected]
        assert fence in first_box, "the command is a code block inside the box (indented 4)"
        if expected == "token_jwt_bearer":
            assert "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer" in first_box


def test_a_case_diagnose_wins_over_the_default(make_catalog):
    text = BASE.replace("login_history: [Restricted IP]\n", (
        "login_history: [Restricted IP]\n    diagnose:\n      label: Own check\n"
        "      language: bash\n      command: echo '<b>not html</b>'\n"))
    catalog = load_catalog(make_catalog({"test_only_code.yaml": text}))
    entry = catalog.errors[0]
    assert triage.default_diagnose(entry, entry.cases[0], catalog) is None
    box = render(catalog, today=dt.date(2026, 1, 2))["errors/test_only_code.md"].split("#### Causes")[0]
    assert "**Own check:**" in box and "    echo '<b>not html</b>'" in box and "LoginHistory" not in box


# --- in Chromium ------------------------------------------------------------------------------


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_alert_link_lands_on_the_triage_box_in_the_first_screen(site_server, page_factory, width, height):
    page = page_factory(width, height)
    page.goto(site_server + LANDING, wait_until="load")
    box = page.locator("h3#password-expired + div.admonition.triage")
    assert box.is_visible()
    top = box.bounding_box()["y"]
    header = page.locator("header.md-header").bounding_box()
    assert header["y"] + header["height"] <= top < height, f"box top {top}, header {header}"
    first = box.locator("p.triage-first-step").bounding_box()
    assert first["y"] + first["height"] <= height, "the first step must be readable without scrolling"
    # Nothing (the sticky header included) covers the top of the box.
    covered = page.evaluate("""([x, y]) => {
        const el = document.elementFromPoint(x, y);
        return !el || !el.closest('div.triage');
    }""", [box.bounding_box()["x"] + 20, top + 8])
    assert not covered
    assert page.external_requests == []
    screenshot(page, f"oncall-password-expired-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_horizontal_overflow_on_error_pages(site_server, page_factory, catalog, width):
    page = page_factory(width, 844)
    # Layout does not depend on search: skip loading and indexing the search data on each of 150 pages.
    page.route("**/search/search_index.json", lambda route: route.abort())
    wide = []
    # The pages most likely to overflow: per category, the three with the most text (tables, long
    # messages, code), and the longest codes (headings). A wide screen has room to spare: fewer do.
    biggest = lambda e: -len(" ".join(c.description + " ".join(c.match) for c in e.cases))  # noqa: E731
    by_category: dict[str, list] = {}
    for e in catalog.errors:
        by_category.setdefault(e.category, []).append(e)
    entries = sorted({e.slug: e for group in by_category.values() for e in sorted(group, key=biggest)[:3]}.values(),
                     key=lambda e: e.slug)
    entries += [e for e in sorted(catalog.errors, key=lambda e: (-len(e.code), e.slug))[:10] if e not in entries]
    if width > 390:
        entries = sorted(catalog.errors, key=lambda e: (-len(e.code), e.slug))[:4] + [catalog.error("invalid_grant")]
    paths = [f"errors/{e.slug}/" for e in entries] + ["checklists/", "review/", "errors/", "flows/",
                                                      "errors/adapter_error/", "guides/bulk/", "codes/", "codes/api/"]
    for path in paths:
        page.goto(site_server + path, wait_until="load")
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        if max(sizes[:2]) > sizes[2]:
            wide.append(f"{path}: {sizes}")
    assert not wide, "pages wider than the screen:\n" + "\n".join(wide)
    page.goto(site_server + "errors/invalid_grant/#at-a-glance", wait_until="load")
    screenshot(page, f"oncall-at-a-glance-{width}")


def test_case_sections_fit_a_phone(site_server, page_factory):
    """Inside the cases, only code blocks and table scroll boxes may be wider than the screen."""
    page = page_factory(390, 844)
    page.goto(site_server + "errors/invalid_grant/", wait_until="load")
    sticking_out = page.evaluate("""() => {
        const width = window.innerWidth;
        const out = [];
        for (const el of document.querySelectorAll('article.md-content__inner *')) {
            if (el.getBoundingClientRect().right <= width + 0.5) continue;
            if (el.closest('pre, .md-typeset__scrollwrap')) continue;
            out.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 40));
        }
        return out.slice(0, 10);
    }""")
    assert sticking_out == []
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
        const wrap = t.closest('.md-typeset__scrollwrap');
        return wrap ? wrap.getBoundingClientRect().right <= window.innerWidth + 0.5 : false;
    })""")
    assert tables and all(tables), "every table sits in a scroll box no wider than the screen"


def test_copy_button_in_the_triage_box_copies_the_diagnose_command(site_server, page_factory, catalog):
    case = next(c for c in catalog.error("invalid_grant").cases if c.diagnose)
    page = page_factory(390, 844, permissions=["clipboard-read", "clipboard-write"])
    page.goto(site_server + f"errors/invalid_grant/#{case.anchor}", wait_until="load")
    box = page.locator(f"h3#{case.anchor} + div.triage")
    # Material 9.8 puts the copy button in nav.md-code__nav above the code.
    button = box.locator('button.md-code__button[data-md-type="copy"]')
    assert button.count() == 1
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert folded(copied) == folded(case.diagnose.command)
    screenshot(page, f"oncall-copy-{case.anchor}-390")


def test_print_drops_navigation_and_keeps_the_steps(site_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(site_server + LANDING, wait_until="load")
    page.emulate_media(media="print")
    for selector in ("header.md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search",
                     "footer.md-footer", 'a.md-content__button[rel="edit"]'):
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    for selector in ("h3#password-expired", "h3#password-expired + div.triage", "#password-expired-fix",
                     "#password-expired-fix + ol"):
        assert page.locator(selector).is_visible(), f"{selector} is not printed"
    width = page.evaluate("document.querySelector('article.md-content__inner').getBoundingClientRect().width")
    assert width >= 0.95 * 1280, "content uses the full sheet"
    shown = page.evaluate("""() => {
        const a = document.querySelector('article a[href^="https://"]');
        return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert shown[0] in shown[1], "external links print their address"
    internal = page.evaluate("""() => getComputedStyle(
        document.querySelector('article a[href^="../"]'), '::after').content""")
    assert internal in ("none", "normal", "")
    page.evaluate("document.getElementById('password-expired').scrollIntoView()")
    screenshot(page, "oncall-print-password-expired")


def test_print_puts_each_checklist_on_its_own_sheet(site_server, page_factory, catalog):
    page = page_factory(1280, 900)
    busiest = max((e.category for e in catalog.errors), key=lambda c: sum(e.category == c for e in catalog.errors))
    page.goto(site_server + "checklists/", wait_until="load")
    if page.locator("div.checklist-sheet").count() == 0:  # a split catalog: one page per category
        page.goto(site_server + f"checklists/{busiest}/", wait_until="load")
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => [...document.querySelectorAll('div.checklist-sheet')]
        .map(s => getComputedStyle(s).breakBefore)""")
    assert len(breaks) > 1
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}
    screenshot(page, "oncall-print-checklists")


def test_triage_box_shows_the_retry_class_for_one_case_per_family_at_390(site_server, page_factory, catalog):
    from generator.site.jinja import RETRY_LABELS

    page = page_factory(390, 844)
    checked = []
    for cid in catalog.categories:
        case_of_family = next(((e, c) for e in catalog.errors if e.category == cid for c in e.cases if c.retry), None)
        if case_of_family is None:
            continue
        entry, case = case_of_family
        page.goto(site_server + f"errors/{entry.slug}/#{case.anchor}", wait_until="load")
        box = page.locator(f'[id="{case.anchor}"] ~ .triage').first
        text = box.inner_text()
        assert f"Retry: {RETRY_LABELS[case.retry]}" in " ".join(text.split()), (entry.code, text)
        assert box.bounding_box()["width"] <= 390, entry.code
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], (entry.code, sizes)
        checked.append(cid)
    families = {e.category for e in catalog.errors}
    assert set(checked) == families, f"no case with a retry class in {sorted(families - set(checked))}"
