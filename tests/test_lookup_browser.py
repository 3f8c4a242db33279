"""The lookup in real Chromium: ?q= links land on the case, pasted text stays in the browser,
the 404 page offers the lookup, alias pages redirect, and the JavaScript matcher gives exactly
the answers of the Python one over the whole payload corpus."""
from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
from pathlib import Path

import pytest
from conftest import load_payloads, screenshot

from generator import resolve
from generator.tools.matching import haystack

PAYLOADS = load_payloads()


def leaks(page, text: str, skip_first: bool = False) -> list[str]:
    """Requests whose URL, body or headers carry the text (raw or URL-encoded in any usual way)."""
    forms = {text, urllib.parse.quote(text), urllib.parse.quote_plus(text), urllib.parse.quote(text, safe="")}
    requests = page.all_requests[1:] if skip_first else page.all_requests
    out = []
    for request in requests:
        carried = [request.url, request.post_data or "", *request.all_headers().values()]
        if any(form in value for form in forms for value in carried):
            out.append(f"{request.method} {request.url}")
    return out


Q_LINKS = [
    ("json-body", '{"error":"invalid_grant","error_description":"inactive user"}', "errors/invalid_grant/#inactive-user"),
    ("query-string", "error=invalid_client&error_description=app+must+be+installed+into+org",
     "errors/invalid_client/#app-must-be-installed-into-org"),
    ("log-line", "simple_salesforce.exceptions.SalesforceExpiredSession: Expired session. Response content: "
     "[{'message': 'Session expired or invalid', 'errorCode': 'INVALID_SESSION_ID'}]",
     "errors/invalid_session_id/#session-expired-or-invalid"),
]


@pytest.mark.parametrize("name, text, target", Q_LINKS, ids=[q[0] for q in Q_LINKS])
def test_q_link_lands_on_the_case(site_server, page_factory, name, text, target):
    page = page_factory(1280, 900)
    page.goto(site_server + "lookup/?q=" + urllib.parse.quote_plus(text))
    page.wait_for_url(site_server + target)
    anchor = target.split("#")[1]
    heading = page.locator(f"#{anchor}")
    heading.wait_for()
    assert heading.bounding_box()["y"] < 900, "the case heading must be on the first screen"
    # The alert's own request for lookup/?q= carries the text; nothing after it may.
    assert page.all_requests[0].url.startswith(site_server + "lookup/?q=")
    assert leaks(page, text, skip_first=True) == []
    assert page.external_requests == []
    screenshot(page, f"lookup-q-{name}")
    page.go_back()  # the lookup page replaced itself: Back goes to where the reader was before
    assert page.url == "about:blank"


def test_q_link_with_unknown_text_stays_and_says_so(site_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(site_server + "lookup/?q=" + urllib.parse.quote_plus("Connection reset by peer"))
    page.locator("[data-rb-lookup][data-rb-state=none]").wait_for()
    assert urllib.parse.urlsplit(page.url).path == "/lookup/"
    assert page.locator("[data-rb-input]").input_value() == "Connection reset by peer"
    assert "No match" in page.locator("[data-rb-result]").inner_text()


@pytest.mark.parametrize("path, box", [("lookup/", "#rb-lookup-text"), ("", "[data-rb-input]")],
                         ids=["lookup-page", "home-page"])
def test_pasting_stays_in_the_browser(site_server, page_factory, path, box):
    page = page_factory(1280, 900)
    page.goto(site_server + path)
    page.wait_for_load_state("networkidle")
    href, length = page.evaluate("location.href"), page.evaluate("history.length")
    text = '{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer","id":"marker-5e1f"}'
    page.locator(box).fill(text)
    if path == "":
        page.get_by_role("button", name="Find the runbook").click()  # the home page box is a form
    result = page.locator("[data-rb-lookup][data-rb-state=found] [data-rb-result]")
    result.wait_for()
    shown = result.inner_text()
    assert "invalid_grant: user hasn't approved this consumer" in shown
    assert "First step:" in shown
    link = result.locator("[data-rb-link]")
    assert link.get_attribute("href") == site_server + "errors/invalid_grant/#user-hasnt-approved-this-consumer"
    assert page.evaluate("location.href") == href and page.evaluate("history.length") == length
    page.wait_for_load_state("networkidle")
    assert leaks(page, text) == [] and leaks(page, "marker-5e1f") == []
    assert any(r.url.endswith("/api/catalog.json") for r in page.all_requests), "the catalog is fetched"
    assert page.external_requests == []
    screenshot(page, f"lookup-paste-{path.strip('/') or 'home'}")
    link.click()
    page.wait_for_url(site_server + "errors/invalid_grant/#user-hasnt-approved-this-consumer")


@pytest.fixture(scope="module")
def static_host(built_site):
    """Serve the site as static hosts do: 404.html, with status 404, for any missing path."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            page = Path(self.directory) / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_404_page_offers_the_lookup_at_any_depth(static_host, page_factory):
    page = page_factory(1280, 900)
    response = page.goto(static_host + "errors/salesforce_new_code/deeper/still/#inactive-user")
    assert response.status == 404
    assert "you probably came here from a link in an alert" in page.locator("article").inner_text().lower()
    # Pre-filled from the missing path: the anchor words name a known case.
    found = page.locator("[data-rb-lookup][data-rb-state=found] [data-rb-link]")
    found.wait_for()
    assert found.get_attribute("href") == static_host + "errors/invalid_grant/#inactive-user"
    box = page.locator("[data-rb-input]")
    box.fill("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]")
    page.locator("[data-rb-result]", has_text="INVALID_SESSION_ID: Session expired or invalid").wait_for()
    contributing = page.locator("article").get_by_role("link", name="Write an error entry")
    assert contributing.get_attribute("href") == "/contributing/"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed"), \
        "theme CSS must load from the site root even three folders deep"
    assert page.external_requests == []
    screenshot(page, "404-lookup")
    contributing.click()
    page.wait_for_url(static_host + "contributing/")


@pytest.mark.parametrize("start, target", [
    ("errors/two_factor_required/", "errors/invalid_grant/#challenge-required"),
    ("errors/invalidsessionid/?q=secret-text", "errors/invalid_session_id/#invalid-session-id"),
    ("errors/invalid_client_credentials/#app-must-be-installed-into-org", "errors/invalid_client/#app-must-be-installed-into-org"),
    ("errors/invalid_client_credentials/?q=secret-text", "errors/invalid_client/"),
])
def test_alias_pages_redirect(site_server, page_factory, start, target):
    page = page_factory(1280, 900)
    page.goto(site_server + start)
    page.wait_for_url(site_server + target)
    assert "secret-text" not in page.url


def test_javascript_matcher_agrees_with_python_over_the_corpus(site_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(site_server + "lookup/")
    texts = [p["text"] for p in PAYLOADS]
    got = page.evaluate(
        """async (texts) => {
            const lookup = window.runbooksLookup;
            const out = [];
            for (const text of texts) {
                const found = await lookup.resolve(text);
                out.push({path: found && found.path, hay: lookup.haystack(text)});
            }
            return out;
        }""", texts)
    wrong = []
    for payload, js in zip(PAYLOADS, got, strict=True):
        py = resolve(payload["text"])
        py_path = py.path if py else None
        if js["path"] != py_path or py_path != payload["expect"]:
            wrong.append(f"{payload['name']}: js={js['path']} python={py_path} expected={payload['expect']}")
        if js["hay"] != haystack(payload["text"]):
            wrong.append(f"{payload['name']}: normalised text differs:\n  js={js['hay']!r}\n  py={haystack(payload['text'])!r}")
    assert len(PAYLOADS) >= 40
    assert not wrong, "\n".join(wrong)
