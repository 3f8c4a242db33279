"""A runbook page in real headless Chromium: loads offline, lands on a case anchor, no external requests."""
from __future__ import annotations

from conftest import screenshot


def test_case_anchor_lands_on_triage_with_network_blocked(site_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(site_server + "errors/invalid_grant/#inactive-user", wait_until="load")
    heading = page.locator("#inactive-user")
    assert heading.is_visible()
    box = heading.locator("xpath=following-sibling::*[1]")
    assert "First step" in box.inner_text()
    assert box.bounding_box()["y"] < 900, "triage box must be in the first screen"
    assert page.external_requests == []
    screenshot(page, "invalid_grant-inactive-user-1280")
