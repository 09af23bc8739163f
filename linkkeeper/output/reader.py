"""The reader's voice: one plain sentence for a link's health, for the people who follow the published list.

A stored reason is evidence for the person who runs linkkeeper ("soft 404: 200 with this host's error page
(similarity 1.00 to ...)"); a reader of the report needs what it means for them ("Gone since 7 December
2026: the site shows its “page not found” page instead"). The sentence is built from the link's
state, its last check's finding and status, and its dates: never from the reason's words, so no probe,
similarity or header reaches a reader. Dates are absolute, in the list's time zone: a published file is read
for months, and "3 minutes ago" is stale the next day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from linkkeeper.health.findings import FINDINGS
from linkkeeper.health.vocabulary import AT_RISK, DEAD, OK, UNKNOWN
from linkkeeper.output import times

# What a failed check means to a reader, said after "Gone since <date>: " (an HTTP error is said by its status).
FAILED = {
    "soft-404": "the site shows its “page not found” page instead",
    "home-redirect": "the site sends readers to its home page instead",
    "parked": "the site now shows a parked domain with advertising",
    "for-sale": "the site now shows a domain-for-sale page",
    "suspended": "the site's hosting account is suspended",
    "default-page": "the site now shows an empty web server page",
    "placeholder": "the site now shows only a “coming soon” page",
    "domain-expired": "the site's domain name registration has ended",
    "dns": "the site's address no longer exists",
    "refused": "the site refuses connections",
    "timeout": "the site does not answer",
    "tls": "the site's secure connection fails",
    "connection": "the site cannot be reached",
    "too-many-redirects": "the page sends browsers round a loop of redirects",
    "unsupported-scheme": "the page now redirects to an address a web browser cannot open",
}
# A page that still answers, and what threatens it.
THREATENED = {
    "moved": "The page has moved",
    "cert-expiring": "The page works, but the site's security certificate expires soon",
    "domain-expiring": "The page works, but the site's domain name registration ends soon",
    "content-changed": "The page works, but its text has changed much since it was cited",
    "suspect-404": "The page may be gone: it now looks like an error page",
}
# Why a wall keeps a checker out: said after "Could not be checked automatically: ".
WALLED = {
    "auth-required": "the site asks for a sign-in",
    "sign-in": "the site asks for a sign-in",
    "waf-blocked": "the site blocks automated visits",
    "forbidden": "the site refuses automated visits",
    "bot-challenge": "the site checks that visitors are not robots",
    "catch-all": "the site shows the same page at every address",
    "rate-limited": "the site asked for fewer visits",
}
NOT_CHECKED = "Not checked yet."
SET_ASIDE = "Not checked automatically."
"""A link a person set aside (resources.yml `ignore: true`): whatever its last check found, it is not judged."""
WORKS = "The page works."
ONCE_MORE = "this may be temporary: it is checked again before it is called gone"


def date(iso: str, where: tzinfo) -> str:
    """`7 December 2026`: a date anyone reads the same way, in the list's time zone."""
    moment = times.parse(iso).astimezone(where)
    return f"{moment.day} {moment:%B %Y}"


def _http(status: int | None) -> str:
    if status in (404, 410):
        return f"the page answers “not found” ({status})"
    if status is not None and status >= 500:
        return f"the site answers with a server error ({status})"
    return f"the page answers with an error ({status})" if status else "the page answers with an error"


def _cause(finding: str | None, status: int | None) -> str:
    if finding == "http":
        return _http(status)
    return FAILED.get(finding or "", "the page cannot be reached")


def sentence(row: Mapping[str, Any], where: tzinfo) -> str:
    """The reader's sentence for one `link_health` row (state, finding, last_status, since, failing_since,
    moved_to)."""
    state, finding = row.get("state") or UNKNOWN, row.get("finding")
    if state == OK:
        return WORKS
    if state == UNKNOWN:
        if row.get("ignored"):
            return SET_ASIDE
        if finding in WALLED:
            return f"Could not be checked automatically: {WALLED[finding]}."
        return NOT_CHECKED
    failing = FINDINGS[finding].outcome == "failure" if finding in FINDINGS else state == DEAD
    if state == DEAD or failing:
        began = row.get("failing_since") or row.get("since")
        since = f" since {date(began, where)}" if began else ""
        cause = _cause(finding, row.get("last_status"))
        return f"Gone{since}: {cause}." if state == DEAD else f"Failing{since}: {cause}; {ONCE_MORE}."
    if finding == "moved" and row.get("moved_to"):
        return f"The page has moved to {row['moved_to']}."
    if state == AT_RISK and finding in THREATENED:
        return f"{THREATENED[finding]}."
    return "The page works, but a recent check found a problem."
