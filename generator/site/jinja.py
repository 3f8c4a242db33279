"""The Jinja environment every Markdown page is rendered with, and the helpers templates call.

How escaping works here (templates/README.md says the same for template authors):
- `{{ value }}` means "show this catalog text literally in Markdown": `finalize` escapes every
  plain string (site/markdown.py) and returns Markup.
- `autoescape=True` only makes macros return Markup, so their output is not escaped again.
- `raw(...)` marks a value as Markdown already (codes, URLs checked by the schema).
- Markdown uses `{#anchor}` for heading ids, so Jinja comments are `{## ... ##}`.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import urls
from ..catalog.schema import PLACEHOLDER, PLACEHOLDERS
from ..config import TEMPLATES_DIR
from . import markdown
from .views import default_diagnose

RECOVERY_LABELS = {
    "automatic": "Automatic: the next request works once the cause is fixed",
    "reconsent": "Needs a person to authorize again, then store the new token",
    "new_credential": "Needs a new password, secret or token stored in the integration",
    "wait": "Wait for the limit to reset, then it recovers by itself",
    "code_change": "Needs a change in the integration's code or configuration",
    "admin_change": "Recovers once an admin changes the Salesforce setting",
}

RETRY_LABELS = {
    "safe": "Safe to retry",
    "backoff": "Retry with backoff: it is transient, so wait and retry with growing delays",
    "never": "Do not retry as it is: the same request fails until the data or configuration is fixed",
}

SURFACE_LABELS = {
    "oauth": "the OAuth token or authorize response",
    "rest": "a REST API error body",
    "soap": "a SOAP API fault or result",
    "bulk": "a Bulk API job, batch or failed-results row",
    "apex": "Apex exception text (DmlException, debug logs)",
    "composite": "a composite or batch response",
    "streaming": "a Streaming API (CometD) message",
    "pubsub": "a Pub/Sub API gRPC error",
    "metadata": "a Metadata API deploy or retrieve result",
    "cli": "Salesforce CLI output",
}

EVIDENCE_LABELS = {
    "observed": "Observed: this exact text was seen in real responses",
    "documented": "Documented: Salesforce documents this wording; real responses may differ",
    "reported": "Reported: unconfirmed; nobody here has seen this exact text",
}

def _environment(**options) -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), undefined=StrictUndefined, autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, comment_start_string="{##", comment_end_string="##}",
                       **options)


def markdown_environment() -> Environment:
    """A new environment per render. Within one render the same texts (messages, steps, titles) and
    the same links recur on many pages, so escaping and relative links are memoised here; the memo
    goes with the environment when the render ends."""
    inline = lru_cache(maxsize=None)(markdown.inline)
    rel = lru_cache(maxsize=None)(urls.relative_link)

    def finalize(value):
        return inline(value) if type(value) is str else markdown.finalize(value)

    env = _environment(finalize=finalize, keep_trailing_newline=True)
    env.filters.update(
        inline=inline,
        paragraphs=markdown.paragraphs,
        cell=markdown.cell,
        fence=markdown.fence,
        code=markdown.code,
        yaml_string=markdown.yaml_string,
        rel=lambda target, current: Markup(rel(str(target), str(current))),
        anchor=lambda text: Markup(urls.anchor_for(text)),
        step=render_step,
    )
    env.globals.update(
        RECOVERY=RECOVERY_LABELS,
        RETRY=RETRY_LABELS,
        SURFACE=SURFACE_LABELS,
        EVIDENCE=EVIDENCE_LABELS,
        urls=urls,
        raw=Markup,
        default_diagnose=default_diagnose,
        attr_id=heading_attributes,
    )
    return env


def heading_attributes(anchor: str, exclude_from_search: bool = False) -> Markup:
    """{#anchor} for a heading, with data-search-exclude when the section stays out of the index."""
    return Markup("{#" + urls.anchor_for(anchor) + (" data-search-exclude" if exclude_from_search else "") + "}")


def render_step(step, values: dict[str, str] | None = None) -> Markup:
    """A fix step with {placeholders} filled: integration values in bold, generic names in italics."""
    text = " ".join(getattr(step, "text", step).split())
    values = values or {}
    out = ""
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        out += markdown.fragment(text[pos:m.start()])
        name = m.group(1)
        if name in values:
            out += "**" + markdown.inline(values[name]) + "**"
        else:
            out += "*" + markdown.inline(PLACEHOLDERS[name]) + "*"
        pos = m.end()
    out += markdown.fragment(text[pos:])
    return Markup(out)
