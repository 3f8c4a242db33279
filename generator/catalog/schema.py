"""The shape of every catalog file, as pydantic models.

Field descriptions here are the reference documentation: the schema page of the site is
generated from them, so a forker reads the same words the validator enforces.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from ..urls import anchor_for

# --- reusable field types -------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{1,79}$")]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$")]

# Also the JSON Schema's pattern, so it is written in the syntax both Python and ECMA-262 read.
URL_PATTERN = r"""^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>"'()\\`]*)?$"""
_URL = re.compile(URL_PATTERN)


def _https_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be a plain https:// URL with no spaces, quotes, brackets or backslashes")
    return value


# The JSON Schema (catalog/schema/, for editors) states the check that _https_url makes.
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_https_url),
                WithJsonSchema({"type": "string", "maxLength": 2000, "pattern": URL_PATTERN})]

# Placeholders a fix step may use; an integration page fills them in with its own values.
PLACEHOLDERS = {
    "app": "the connected app",
    "user": "the integration user",
    "login_host": "the login host",
    "org": "the org",
}
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")  # in steps; a page fills each with a value or its name


def _known_placeholders(value: str) -> str:
    for name in PLACEHOLDER.findall(value):
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"unknown placeholder {{{name}}}; use one of "
                + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            )
    return value


StepText = Annotated[Text, AfterValidator(_known_placeholders)]


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    text: StepText = Field(description="What to do. May use {app}, {user}, {login_host}, {org}.")
    caution: Text | None = Field(None, description=(
        "Required when the step lowers security, locks other people out or cannot be undone: what can go "
        "wrong and how to limit it. Shown as a warning box right beside the step."))


def _step_from_text(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


# In a file a step is a plain string or a {text, caution} mapping; the JSON Schema says both.
FixStep = Annotated[Step, BeforeValidator(_step_from_text, json_schema_input_type=StepText | Step)]


def _plausible_date(value: dt.date) -> dt.date:
    # Due dates add up to ten years to it; year 9999 would overflow instead of failing here.
    if not dt.date(2000, 1, 1) <= value <= dt.date(2999, 12, 31):
        raise ValueError("must be a date between 2000-01-01 and 2999-12-31; write the real review date")
    return value


# Dates are written YYYY-MM-DD (the YAML loader keeps them strings); the JSON Schema says so.
DATE_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
REVIEW_DATE_PATTERN = r"^2\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"  # 2000-01-01 to 2999-12-31
Date = Annotated[dt.date, WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
ReviewDate = Annotated[dt.date, AfterValidator(_plausible_date),
                       WithJsonSchema({"type": "string", "format": "date", "pattern": REVIEW_DATE_PATTERN})]

Evidence = Literal["observed", "documented", "reported"]
Recovery = Literal["automatic", "reconsent", "new_credential", "wait", "code_change", "admin_change"]
Retry = Literal["safe", "backoff", "never"]
Surface = Literal["oauth", "rest", "soap", "bulk", "apex", "composite", "streaming", "pubsub", "metadata", "cli"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- shared tables ----------------------------------------------------------------------------


class Category(Strict):
    title: Line = Field(description="Heading of the category, e.g. 'OAuth token and authorize errors'.")
    summary: Text = Field(description="One or two sentences: which errors belong here.")
    family: Id = Field(description=(
        "Id of the family (catalog/families/<id>.yaml) whose API returns these errors; the decision tree "
        "asks for the family first, and every page of the category links to the family guide."))
    order: int = Field(0, description="Position in indexes; lower comes first.")


class Family(Strict):
    """One API family's guide: how it reports errors, where to look, what is safe to retry."""
    title: Line = Field(description="Name of the family, e.g. 'Bulk API 1.0 and 2.0'.")
    summary: Text = Field(description="One or two sentences: which APIs and which errors belong here.")
    recognise: Line = Field(description=(
        "How to tell an error belongs to this family from the text in hand; the decision tree's first question."))
    order: int = Field(0, description="Position in the decision tree and indexes; lower comes first.")
    reports: Text = Field(description="How this API reports an error: the shape of a failure, field by field.")
    where_to_look: list[Text] = Field(min_length=1, description="Where the detail of a failure is found, most useful first.")
    retry: Text = Field(description="What is safe to send again after a failure of this family, and what is not.")
    investigate: list[FixStep] = Field(min_length=1, description=(
        "How to investigate any error of this family, including a code this catalog does not know; in order."))
    hints: list[Line] = Field(default_factory=list, description=(
        "Lower-case bits of text that mark pasted text as this family (e.g. 'sf__error'); an unknown code "
        "lands on the guide of the first family, in order, whose hint appears."))
    fallback: bool = Field(False, description=(
        "The family an unknown code lands on when no family's hint appears; exactly one family has it."))
    sources: list[Url] = Field(min_length=1, description="Salesforce documentation (or observed evidence) behind the guide.")
    owner: Line = Field(description="Team that keeps this guide true.")
    last_reviewed: ReviewDate = Field(description="Date of the last review, YYYY-MM-DD.")


class Flow(Strict):
    name: Line = Field(description="Human name of the OAuth flow.")
    grant_type: Line | None = Field(description="The `grant_type` value sent to the token endpoint; null for browser-only steps.")
    recovers: Recovery = Field(description="How an integration on this flow recovers once the cause is fixed.")
    recovery: Text = Field(description="What recovery takes on this flow, for an on-call engineer.")
    summary: Text = Field(description="What the flow is and who uses it.")
    retirement: Text | None = Field(None, description="Retirement or restriction Salesforce has announced, with dates.")
    sources: list[Url] = Field(min_length=1, description="Where the facts come from.")


class SetupPath(Strict):
    title: Line = Field(description="Short name of the screen.")
    breadcrumb: list[Line] = Field(min_length=2, description="Menu path, starting with 'Setup'.")
    check: Text = Field(description="What to look at on that screen.")
    applies_to: Literal["any", "connected_app", "external_client_app"] = Field(
        "any", description="Whether the screen is for Connected Apps, External Client Apps, or either.")
    labels: list[Line] = Field(default_factory=list, description=(
        "Labels of settings on this screen, as Salesforce shows them (e.g. 'Permitted Users'). An error page "
        "whose cases name one is tagged with it, so searching the label finds the page first."))
    sources: list[Url] = Field(default_factory=list, description="Documentation of the screen.")


class LoginHistoryStatus(Strict):
    status: Line = Field(description="Text of the Status column in Setup > Login History (LoginHistory.Status).")
    meaning: Text = Field(description="What the status tells you.")
    evidence: Evidence
    sources: list[Url] = Field(min_length=1)


# --- error entries ----------------------------------------------------------------------------


class Diagnose(Strict):
    label: Line = Field(description="What the command shows, e.g. 'Last logins of the integration user'.")
    language: Literal["sql", "bash", "text", "python", "json"] = Field(
        description="Code language; SOQL uses 'sql'.")
    command: Text = Field(description="A command or query with placeholders in angle brackets, never a real secret.")


class Case(Strict):
    description: Line = Field(description=(
        "The canonical error_description / message text, as Salesforce sends it. Its slug is the case's "
        "anchor (#authentication-failure) and must never change; see moved_from."))
    match: list[Line] = Field(default_factory=list, description=(
        "Other strings that identify this case in pasted text (shortened or older wordings)."))
    aliases: list[Code] = Field(default_factory=list, description=(
        "Other error codes that mean exactly this case; each gets a redirect page to this anchor."))
    any_message: bool = Field(False, description=(
        "This case stands for every message of the code that no other case matches (e.g. a validation "
        "rule's own text): a pasted error with the code and an unknown message lands here, not on the page."))
    moved_from: list[Line] = Field(default_factory=list, description=(
        "Old canonical strings of this case. Their anchors keep working."))
    evidence: Evidence = Field(description=(
        "observed: the exact string was seen in a real response or log; documented: Salesforce documents "
        "the wording; reported: a third party reports it and nobody here confirmed it."))
    evidence_note: Text | None = Field(None, description="Why the evidence is what it is; required when 'reported'.")
    sources: list[Url] = Field(min_length=1, description="URLs that back the case.")
    flows: list[Id] = Field(min_length=1, description=(
        "Flow ids from catalog/flows.yaml that can hit this case, or [any] for API errors after login."))
    meaning: Line = Field(description="One sentence: what this case means. Shown first.")
    admin_needed: bool = Field(description="Whether a Salesforce admin must act to fix it.")
    recovery: Recovery = Field(description=(
        "How the integration comes back once fixed: automatic, reconsent (a person authorizes again), "
        "new_credential (store a new password/secret/token), wait (a limit resets), code_change, "
        "admin_change (an admin setting must change, then it works)."))
    causes: list[Text] = Field(min_length=1, description="Known causes, most likely first.")
    steps: list[FixStep] = Field(min_length=1, description=(
        "Fix steps in order; the first is the triage 'first step'. Each is a string, or a mapping with "
        "`text` and a `caution` when the step is risky. May use {app}, {user}, {login_host}, {org}."))
    retry: Retry = Field(description=(
        "Whether the failed call may simply be sent again: safe (retrying as-is can succeed, e.g. once a "
        "new token is fetched), backoff (transient: retry later, with exponential backoff), never (the "
        "same request fails again until the data or configuration is fixed)."))
    retry_note: Line | None = Field(None, description="What the retry class depends on, e.g. 'after a token refresh'.")
    setup_paths: list[Id] = Field(default_factory=list, description="Ids from catalog/setup_paths.yaml used by the steps.")
    login_history: list[Line] = Field(default_factory=list, description=(
        "Login History statuses that point to this case (from catalog/login_history.yaml)."))
    diagnose: Diagnose | None = Field(None, description="A command or query that confirms the case.")

    @property
    def anchor(self) -> str:
        return anchor_for(self.description)


class Example(Strict):
    title: Line
    case: Line | None = Field(None, description="The canonical description of the case it shows, if any.")
    surface: Surface | None = Field(None, description=(
        "Where the error shows up in this example: oauth, rest, soap, bulk (a result row), apex "
        "(DmlException text), composite, streaming, pubsub, metadata, cli."))
    language: Literal["python", "bash", "http", "json", "xml", "text", "javascript", "java", "apex"] = "python"
    request: Text = Field(description="The call that fails. Placeholders for every credential.")
    response: Text = Field(description="What comes back.")
    explanation: Text = Field(description="Why it failed.")


class FixedExample(Strict):
    title: Line
    language: Literal["python", "bash", "http", "json", "xml", "text", "javascript", "java", "apex"] = "python"
    code: Text
    explanation: Text


class Note(Strict):
    title: Line
    body: Text


class Setting(Strict):
    setup_path: Id = Field(description="Id from catalog/setup_paths.yaml.")
    check: Text = Field(description="What to verify there.")


class Related(Strict):
    code: Code = Field(description="Another entry's code.")
    why: Line = Field(description="How the two relate, in a few words.")
    one_way: Line | None = Field(None, description=(
        "Set only when the other entry should not link back; say why."))


class Link(Strict):
    title: Line
    url: Url


class ErrorEntry(Strict):
    code: Code = Field(description=(
        "The error code as Salesforce sends it (`error` or `errorCode`). The page URL is errors/<code in "
        "lowercase>/ and never changes."))
    spellings: list[Code] = Field(default_factory=list, description=(
        "The same code in another letter case, as another API version sends it (Bulk API 1.0 `InvalidJob`, "
        "Bulk API 2.0 `INVALIDJOB`). Both share this page; a code that is also a word only counts as written."))
    wraps: bool = Field(False, description=(
        "The code wraps another error and its message carries the inner code (Bulk API 1.0's `InvalidBatch : "
        "Failed to process query: INVALID_FIELD: ...`): when another runbook's code is in the pasted text, "
        "that runbook answers."))
    pseudo_code: bool = Field(False, description=(
        "True when Salesforce shows only a message and the code is this catalog's name for it."))
    title: Line = Field(description="Short headline, e.g. 'Salesforce rejected the OAuth grant'.")
    summary: Text = Field(description="Two or three sentences an on-call engineer reads first.")
    category: Id = Field(description="Id from catalog/categories.yaml.")
    http_status: list[int] = Field(default_factory=list, description="HTTP status codes it comes with.")
    endpoint: Line = Field(description="Where it comes from, e.g. '/services/oauth2/token'.")
    aliases: list[Code] = Field(default_factory=list, description=(
        "Other codes for the same error (older names, browser forms); each gets a redirect page."))
    moved_from: list[Code] = Field(default_factory=list, description=(
        "Former codes of this entry after a rename; their URLs keep redirecting here."))
    also_seen_as: list[Line] = Field(default_factory=list, description="How it shows up in logs and UIs.")
    checking: Text = Field(description="What the platform is checking when it returns this error.")
    locate: Text | None = Field(None, description=(
        "For record errors: how to find the failing record and field (the `fields` array, the id in the "
        "message, the Bulk result row)."))
    scenario: Text | None = Field(None, description="A short, realistic story of the error in the wild.")
    cases: list[Case] = Field(min_length=1, description="One per error_description / message variant.")
    broken_examples: list[Example] = Field(default_factory=list)
    fixed_example: FixedExample | None = None
    settings_to_verify: list[Setting] = Field(default_factory=list)
    background: list[Note] = Field(default_factory=list, description="Longer explanations worth knowing.")
    edge_cases: list[Note] = Field(default_factory=list)
    defensive_habits: list[Text] = Field(default_factory=list)
    checklist: list[FixStep] = Field(min_length=1, description=(
        "The quick recovery checklist, in order; an item is a string or `text` with a `caution`."))
    if_it_changes: Text | None = Field(None, description="What to do when the error changes after a fix.")
    related: list[Related] = Field(default_factory=list)
    further_reading: list[Link] = Field(default_factory=list)
    owner: Line = Field(description="Team that keeps this entry true.")
    last_reviewed: ReviewDate = Field(description="Date of the last review, YYYY-MM-DD.")
    review_every_days: int = Field(180, ge=1, le=3650, description="Review interval; past it the page shows 'review overdue'.")

    @property
    def slug(self) -> str:
        return self.code.lower()


# --- reference entries ------------------------------------------------------------------------


class ReferenceEntry(Strict):
    """A code with no runbook yet: what Salesforce documents about it, and nothing more."""
    code: Code = Field(description=(
        "The code as Salesforce lists it (or this catalog's STREAMING_/PUBSUB_ name for a message). Its "
        "page is errors/<code lowercased>/. A runbook for the same code takes the page over."))
    match: list[Line] = Field(default_factory=list, description=(
        "Raw strings that identify it in pasted text, for codes Salesforce sends as a message."))
    meaning: Line | None = Field(None, description=(
        "What Salesforce documents it to mean, in one sentence. Leave it out when Salesforce documents only "
        "the name; never infer a meaning from the name."))
    sources: list[Url] = Field(default_factory=list, description="The pages that state the meaning or the retry class.")
    retry: Retry | None = Field(None, description="Only when a source says whether sending it again helps.")
    since: Line | None = Field(None, description="When it first appeared, if a source says (e.g. 'API 59.0').")
    related: list[Related] = Field(default_factory=list, description="Runbooks with a real relation to it.")


class ReferenceList(Strict):
    """One file of catalog/reference/: the codes of one published list, all of one API family."""
    family: Id = Field(description="Id of the family (catalog/families/<id>.yaml) whose API returns these codes.")
    list_name: Line = Field(description=(
        "Which list the codes come from, e.g. 'StatusCode and ExceptionCode, Partner WSDL API 58.0'."))
    list_source: Url = Field(description="Where that list is published.")
    entries: list[ReferenceEntry] = Field(min_length=1)
