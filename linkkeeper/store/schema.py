"""What every stored column and every key of `--json` means: one text, read by the dashboard (its column
descriptions) and by the README (its database and JSON tables, through linkkeeper/output/readme.py).

The database is a public contract that people query themselves; a column without a meaning here fails
tests/test_contract.py, so none can be added undocumented.
"""

from __future__ import annotations

from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, RUN_STATUSES, SNAPSHOT_STATUSES, STATES
from linkkeeper.store.domains import ANSWERS

DOMAIN_ANSWERS = "What the look-up came to: " + "; ".join(f"{name}: {what}" for name, what in ANSWERS.items()) + "."

TABLES = {
    "resources": "Every link ever listed, with its current health and archived copy.",
    "runs": "One row per check-links run.",
    "checks": "One row per link per run: the whole health history.",
    "snapshots": "Archive actions: pages submitted to the Wayback Machine and archived copies looked up.",
    "passed_captures": "Captures a look-up fetched, judged and passed over: not shown to readers, and why.",
    "daily_checks": (
        "One row per link per day rolled up: the checks older than history.keep_checks_days, summed (the checks"
        " that changed a link's state are kept in checks)."
    ),
    "notifications": (
        "Each run's message to each notification target (settings.notify): sent, or failed and tried again by the"
        " next run."
    ),
    "link_health": "The current health of every listed link, in list order.",
    "domains": "The registered domain of each listed link and what its registry last said by RDAP (domain expiry).",
    "probes": (
        "Each host's last answer for a path that cannot exist (the soft-404 probe), reused for probe_reuse_days"
        " instead of asking again."
    ),
}

COLUMNS = {
    "resources": {
        "id": "The resource's number, kept for as long as its URL, and through a move the list follows.",
        "url": "The address as listed in resources.yml.",
        "title": "The resource's name in the list.",
        "kind": "toolkit, programme, organisation, knowledge-base, report or contact.",
        "section": "The section of the source document it comes from.",
        "cited_as": "The link exactly as printed in the source ('#' when its target was lost).",
        "note": (
            "A person's note: how the address was identified, for links whose target was lost; why it is ignored,"
            " expected behind a wall or snoozed."
        ),
        "position": "Order in the list.",
        "active": "1 while listed in resources.yml; 0 once removed (its history is kept).",
        "added_at": "When the URL was first listed.",
        "removed_at": "When it was taken out of the list, if it was.",
        "state": STATES.describe(),
        "reason": "Why the link is in that state, in words.",
        "since": "When it entered its current state.",
        "last_checked": "When it was last checked.",
        "last_status": "HTTP status of the last check.",
        "failures": "Failed runs in a row.",
        "failing_since": "When the current run of failures began.",
        "moved_to": "Where a permanently moved page now lives: update the list.",
        "archive_url": "The archived copy a reader should use (Wayback Machine).",
        "archive_status": ARCHIVE_STATUSES.describe(),
        "archived_at": "When that archived copy was captured.",
        "archive_checked_at": "When the archive was last asked about this link.",
        "baseline_title": "The title of the text the page is compared with for content drift.",
        "baseline_signature": "That text's MinHash signature.",
        "baseline_at": "When that text was taken as the baseline.",
        "content_title": "The title of the page's latest text.",
        "content_signature": "The latest text's MinHash signature.",
        "content_at": "When the latest text was read.",
        "changed_since": "When the text first drifted from the baseline, while it differs.",
        "served_at": "When the link last answered with its content: a refusal (403) counts as absence only after it.",
        "archive_verified_at": "When the copy in archive_url was fetched and judged to show the page (empty: never).",
        "ignored": "1 when the list says `ignore: true`: listed, but not checked and never reported as failing.",
        "expect": "`unknown` when the list says a person has looked at its wall: a wall is then no problem.",
        "snooze_until": "The day (YYYY-MM-DD) the list's `snooze` ends: until then its failures are not reported.",
        "accepted_at": "When a person accepted its wall (`linkkeeper accept`): fine until the answer changes.",
        "accepted_note": "Why, in that person's words (`accept --note`).",
        "accepted_finding": "The wall's finding when it was accepted; another finding ends the acceptance.",
        "accepted_status": "The wall's HTTP status when it was accepted; another status ends the acceptance.",
        "accepted_final_url": "Where the wall's redirects ended when it was accepted; another address ends it.",
    },
    "checks": {
        "id": "The check's number.",
        "run_id": "The run this check belongs to.",
        "resource_id": "The resource checked.",
        "url": "The address checked, as listed.",
        "checked_at": "When the check was made.",
        "status_code": "HTTP status of the final response (empty for network errors and mail addresses).",
        "final_url": "Where the redirects ended.",
        "redirect_chain": "Every redirect followed, with its status, as JSON.",
        "redirects": "How many redirects were followed.",
        "error_class": "dns, refused, timeout, tls, connection, too-many-redirects, unsupported-scheme or http.",
        "error": "What went wrong, in the words of the network or the server.",
        "elapsed_ms": "Time the server took to answer, over every redirect, in milliseconds (not the time queued).",
        "content_type": "The Content-Type the server declared.",
        "content_length": "The body's size in bytes: as the server declared it, else as read (empty when cut short).",
        "truncated": "1 when the body was longer than the limit and only its start was read.",
        "title": "The page's title.",
        "fingerprint": "SHA-256 of the content read: a changed page shows a new fingerprint.",
        "tls_expires_at": "When the site's TLS certificate expires.",
        "attempts": "Requests made for this check, retries included.",
        "finding": "The verdict on this response (ok, moved, soft-404, parked, http, timeout, ...).",
        "outcome": "ok, warning (served but threatened), failure, or blocked (bot wall).",
        "detail": "The finding in words.",
        "moved_to": "Where a permanently moved page now lives.",
        "state": f"The link's state after this check: {STATES.describe()}",
        "reason": "Why the link was in that state after this check, in words.",
    },
    "runs": {
        "id": "The run's number.",
        "started_at": "When the run started.",
        "finished_at": "When it ended, whatever its status.",
        "status": RUN_STATUSES.describe(),
        "resources": "Links in the list when the run started.",
        "checked": "Links checked in this run.",
        "ok": "Links ok after the run.",
        "at_risk": "Links at risk after the run.",
        "dead": "Links dead after the run.",
        "unknown": "Links of unknown state after the run.",
        "newly_dead": "Links that became dead in this run.",
        "recovered": "Links that were at risk or dead and are ok again.",
        "newly_at_risk": "Links that became at risk in this run.",
        "canaries": "What each canary answered, as JSON.",
        "error": "Why a run that did not complete stopped.",
        "version": "The linkkeeper version that made the run.",
        "median_ms": "Median response time of the pages the run was served, in milliseconds (the dashboard's chart).",
        "p95_ms": "95th percentile (nearest rank) of those response times, in milliseconds.",
    },
    "snapshots": {
        "id": "The action's number.",
        "resource_id": "The resource archived or looked up.",
        "url": "Its address.",
        "action": "save (submitted to Save Page Now) or lookup (archived copy searched in the CDX index).",
        "status": SNAPSHOT_STATUSES.describe(),
        "requested_at": "When the action was queued.",
        "completed_at": "When the action ended.",
        "archive_url": "The archived copy it found or made.",
        "captured_at": "When the archived copy was captured.",
        "job_id": "The Save Page Now job, while it is followed.",
        "attempts": "Calls made for this action.",
        "error": "The last failure, for pending and failed actions.",
        "submitted_at": "When the page was sent to Save Page Now.",
        "note": "Why a page was not saved, or what the archive said besides (a look-up: the capture chosen).",
    },
    "passed_captures": {
        "id": "The verdict's number.",
        "resource_id": "The resource whose captures were judged.",
        "snapshot_id": "The look-up that judged the capture.",
        "timestamp": "The capture's Wayback Machine timestamp (14 digits, UTC).",
        "status": "The HTTP status the capture replays with (empty when the archive replays another page).",
        "finding": "What the capture shows instead of the page (parked, sign-in, soft-404, http, ...).",
        "reason": "Why it was passed over, in words.",
        "judged_at": "When it was fetched and judged.",
    },
    "notifications": {
        "id": "The message's number.",
        "run_id": "The run it tells of (empty for a failed run that could not be recorded).",
        "created_at": "When the run queued it.",
        "target": "Where it goes: the Apprise URL with its secrets hidden (Apprise's privacy rendering).",
        "target_key": "A digest of the whole URL: the same target in the next run's settings, its secrets unsaid.",
        "title": "The message's title: the gist of what changed.",
        "body": "The message as plain text.",
        "markdown": "The message as Markdown (for targets that render it).",
        "status": "pending (not tried yet), sent, or failed (tried again by the next run).",
        "attempts": "Times it was tried.",
        "error": "Why the last attempt failed, its secrets hidden.",
        "sent_at": "When it was sent.",
    },
    "daily_checks": {
        "resource_id": "The resource checked.",
        "day": "The day of the checks (UTC), YYYY-MM-DD.",
        "checks": "Checks of that day rolled up here (its state changes, kept in checks, are not counted).",
        "ok": "Of those, checks whose outcome was ok.",
        "warning": "Of those, warnings (served but threatened).",
        "failure": "Of those, failures.",
        "blocked": "Of those, blocked (bot wall).",
        "worst_state": "The worst state the link was in after those checks: dead, at_risk, unknown, then ok.",
        "median_ms": "Median response time of the pages those checks were served, in milliseconds.",
    },
}
COLUMNS["domains"] = {
    "domain": "The registered domain (one label under its public suffix), in its ASCII form.",
    "server": "The RDAP service asked, from IANA's bootstrap file (empty: the top-level domain has none).",
    "asked_at": "When the registry was last asked; it is asked again after rdap.recheck_days (a failure: a day).",
    "answer": DOMAIN_ANSWERS,
    "expires_at": "When the registration expires, as the registry says (its RDAP expiration event).",
    "registrar": "The registrar, as the registry names it.",
    "statuses": "The registration's RDAP statuses, as JSON (pending delete or redemption period: it has ended).",
    "error": "Why the look-up failed, in words.",
}
COLUMNS["probes"] = {
    "host": "Scheme, host and port the answer speaks for (`https://example.org`), in lower case.",
    "probed_at": (
        "When the host was asked; its answer is reused until probe_reuse_days after, or until one of its pages shows"
        " another server, landing host or text."
    ),
    "status": "The HTTP status of the answer (a failed probe, a 429 or a 5xx is not kept).",
    "final_url": "Where the answer's redirects ended, if it redirected.",
    "server": "The answer's Server header: a page of the host served by another is judged against a fresh probe.",
    "answer": (
        "What the judging rules read of the answer (address, status, redirects, headers, title, headings, text, the"
        " start of the markup), as compressed JSON in base64 (crawler/rules/probe_answers.py)."
    ),
}
COLUMNS["link_health"] = {
    name: COLUMNS["resources"][name]
    for name in (
        "id", "url", "title", "kind", "section", "state", "reason", "since", "last_checked", "last_status",
    )
} | {"finding": "The verdict on the last check (ok, moved, soft-404, parked, http, timeout, ...)."} | {
    name: COLUMNS["resources"][name]
    for name in (
        "archive_url", "archive_status", "archived_at", "archive_checked_at", "archive_verified_at", "moved_to",
        "failures", "failing_since", "position", "ignored", "expect", "snooze_until", "accepted_at",
    )
}

RUN_JSON: dict[str, tuple[str, tuple[str, ...]]] = {
    "run": ("the run", ("id", "status", "started_at", "finished_at", "seconds", "checked")),
    "exit_status": ("the exit status the run ends with", ()),
    "counts": ("links per state after the run", tuple(STATES)),
    "changes": ("each link whose state changed", ("url", "kind", "before", "after", "reason")),
    "canaries": ("what each canary answered", ("url", "up", "error")),
    "resources": (
        "each listed link, in list order",
        ("url", "title", "kind", "state", "reason", "since", "moved_to", "checked_at", "status_code", "final_url",
         "error_class", "elapsed_ms", "finding"),
    ),
    "archive": (
        "each action of the archive step (null with `--no-archive`)",
        ("url", "action", "status", "archive_url", "note"),
    ),
}
"""The keys of `check-links --json` in the order printed: what each holds, and the keys of its entries."""
