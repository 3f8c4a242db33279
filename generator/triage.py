"""Which diagnostic command a triage box offers when the case itself names none.

Only the choice is made here; the command text lives in templates/partials/diagnose/<kind>.md.j2.
A default is offered only where it is right for every case it covers, otherwise the box shows none.
"""
from __future__ import annotations

from .catalog import Catalog
from .schema import Case, ErrorEntry

# Grant types whose token request can be sent again safely to read the exact error: no password
# lockout counts, and no refresh token gets used up by rotation.
TOKEN_REPLAY_KIND = {
    "urn:ietf:params:oauth:grant-type:jwt-bearer": "token_jwt_bearer",
    "client_credentials": "token_client_credentials",
}


def default_diagnose(entry: ErrorEntry, case: Case, catalog: Catalog) -> str | None:
    """The template kind for a case without `diagnose`, or None when no generic command is right."""
    if case.diagnose is not None:
        return None
    if case.login_history:
        # Login History statuses point to this case, so the integration user's rows confirm it.
        return "login_history"
    if entry.endpoint.startswith("/services/oauth2/token") and len(case.flows) == 1:
        flow = catalog.flows.get(case.flows[0])
        if flow is not None and flow.grant_type in TOKEN_REPLAY_KIND:
            return TOKEN_REPLAY_KIND[flow.grant_type]
    if entry.endpoint.startswith("/services/data/") and case.flows == ["any"] and case.recovery != "wait":
        # One REST call with the same token shows the error again; skipped for limits, where
        # another call proves nothing and adds to the load.
        return "rest_call"
    return None
