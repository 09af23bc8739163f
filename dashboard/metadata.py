"""Datasette metadata for a linkkeeper database: descriptions a newcomer can read, facets, canned queries, charts."""

from __future__ import annotations

from typing import Any

from sqlite_utils.migrations import Migrations

from dashboard import queries
from dashboard.cells import PLUGIN
from linkkeeper import storage
from linkkeeper.vocabulary import ARCHIVE_STATUSES, RUN_STATUSES, SNAPSHOT_STATUSES, STATES, UNKNOWN

STATE_SCALE = {"domain": list(STATES.colours), "range": list(STATES.colours.values())}
# What the archive-coverage chart draws: each archive status in its own colour, a link not archived yet as unknown.
COVERAGE_COLOURS = {
    **{term.label: term.colour for term in ARCHIVE_STATUSES.values()},
    queries.NOT_ARCHIVED_YET: STATES[UNKNOWN].colour,
}
COVERAGE_SCALE = {"domain": list(COVERAGE_COLOURS), "range": list(COVERAGE_COLOURS.values())}

COLUMNS = {
    "resources": {
        "url": "The address as listed in resources.yml.",
        "title": "The resource's name in the list.",
        "kind": "toolkit, programme, organisation, knowledge-base, report or contact.",
        "section": "The section of the source document it comes from.",
        "cited_as": "The link exactly as printed in the source ('#' when its target was lost).",
        "note": "How the address was identified, for links whose target was lost.",
        "position": "Order in the list.",
        "active": "1 while listed in resources.yml; 0 once removed (its history is kept).",
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
    },
    "checks": {
        "run_id": "The run this check belongs to.",
        "resource_id": "The resource checked.",
        "url": "The address checked, as listed.",
        "checked_at": "When the check was made.",
        "status_code": "HTTP status of the final response (empty for network errors and mail addresses).",
        "final_url": "Where the redirects ended.",
        "redirect_chain": "Every redirect followed, with its status, as JSON.",
        "error_class": "dns, refused, timeout, tls, connection, too-many-redirects, unsupported-scheme or http.",
        "redirects": "How many redirects were followed.",
        "error": "What went wrong, in the words of the network or the server.",
        "elapsed_ms": "Time the server took to answer, over every redirect, in milliseconds (not the time queued).",
        "content_type": "The Content-Type the server declared.",
        "content_length": "The body's size in bytes: as the server declared it, else as read (empty when cut short).",
        "truncated": "1 when the body was longer than the limit and only its start was read.",
        "title": "The page's title.",
        "tls_expires_at": "When the site's TLS certificate expires.",
        "attempts": "Requests made for this check, retries included.",
        "fingerprint": "SHA-256 of the content read: a changed page shows a new fingerprint.",
        "finding": "The verdict on this response (ok, moved, soft-404, parked, http, timeout, ...).",
        "outcome": "ok, warning (served but threatened), failure, or blocked (bot wall).",
        "detail": "The finding in words.",
        "moved_to": "Where a permanently moved page now lives.",
        "state": f"The link's state after this check: {STATES.describe()}",
        "reason": "Why the link was in that state after this check, in words.",
    },
    "runs": {
        "status": RUN_STATUSES.describe(),
        "checked": "Links checked in this run.",
        "canaries": "What each canary answered, as JSON.",
    },
    "snapshots": {
        "action": "save (submitted to Save Page Now) or lookup (archived copy searched in the CDX index).",
        "status": SNAPSHOT_STATUSES.describe(),
        "submitted_at": "When the page was sent to Save Page Now.",
        "captured_at": "When the archived copy was captured.",
        "job_id": "The Save Page Now job, while it is followed.",
        "error": "The last failure, for pending and failed actions.",
    },
}

TABLES = {
    "resources": "Every link ever listed, with its current health and archived copy.",
    "runs": "One row per check-links run.",
    "checks": "One row per link per run: the whole health history.",
    "snapshots": "Archive actions: pages submitted to the Wayback Machine and archived copies looked up.",
    "link_health": "The current health of every listed link, in list order.",
}

FACETS = {"resources": ["state", "kind", "section"], "link_health": ["state", "kind", "section"]}


def metadata(database: str, title: str, timezone: str = "UTC") -> dict[str, Any]:
    tables = {
        name: {
            "description": description,
            **({"columns": COLUMNS[name]} if name in COLUMNS else {}),
            **({"facets": FACETS[name]} if name in FACETS else {}),
        }
        for name, description in TABLES.items()
    }
    tables["link_health"]["columns"] = {**COLUMNS["resources"], "finding": COLUMNS["checks"]["finding"]}
    # The view searches through its table's index (storage.SEARCHED); the migrations' log is no one's question.
    tables["link_health"] |= {"fts_table": storage.SEARCH_TABLE, "fts_pk": "id"}
    tables[Migrations.migrations_table] = {"hidden": True}
    return {
        "title": title,
        "description": "The health history of a list of links, kept by linkkeeper.",
        "databases": {
            database: {
                "description": "Checks, runs and archive actions of linkkeeper.",
                "tables": tables,
                "queries": {
                    name: {"title": heading, "description": description, "sql": sql.strip(), "hide_sql": True}
                    for name, (heading, description, sql) in queries.CANNED.items()
                },
            }
        },
        "plugins": {
            "datasette-dashboards": {"link-health": _charts(database)},
            PLUGIN: {"timezone": timezone},
        },
    }


def _charts(database: str) -> dict[str, Any]:
    return {
        "title": "Link health over time",
        "description": "Link states after each run, response times, and how much of the list is archived.",
        "layout": [
            ["states-over-time", "states-over-time"],
            ["response-times", "archive-coverage"],
            ["response-times", "archive-coverage-table"],
        ],
        "charts": {
            "states-over-time": {
                "title": "Link states after each run",
                "db": database,
                "query": queries.STATES_OVER_TIME.strip(),
                "library": "vega-lite",
                "display": {
                    "mark": {"type": "bar", "tooltip": True},
                    "encoding": {
                        "x": {"field": "run", "type": "ordinal", "title": "Run (UTC date)", "sort": None},
                        "y": {"field": "links", "type": "quantitative", "aggregate": "sum", "title": "Links"},
                        "color": {"field": "state", "type": "nominal", "scale": STATE_SCALE},
                        "order": {"field": "state", "sort": "descending"},
                    },
                },
            },
            "response-times": {
                "title": "Response time per run: median and 95th percentile",
                "db": database,
                "query": queries.RESPONSE_TIMES.strip(),
                "library": "vega-lite",
                "display": {
                    "mark": {"type": "line", "point": True, "tooltip": True},
                    "encoding": {
                        "x": {
                            "field": "started_at",
                            "type": "temporal",
                            "title": "Run started",
                            "axis": {"format": "%d %b %H:%M"},
                        },
                        "y": {"field": "elapsed_ms", "type": "quantitative", "title": "Milliseconds"},
                        "color": {"field": "measure", "type": "nominal", "legend": {"orient": "bottom"}},
                    },
                },
            },
            "archive-coverage": {
                "title": "Archive coverage",
                "db": database,
                "query": queries.ARCHIVE_COVERAGE.strip(),
                "library": "vega-lite",
                "display": {
                    "encoding": {
                        "theta": {"field": "links", "type": "quantitative", "stack": True},
                        "color": {
                            "field": "coverage",
                            "type": "nominal",
                            "scale": COVERAGE_SCALE,
                            "legend": {"orient": "bottom", "columns": 1, "title": None, "labelLimit": 280},
                        },
                        "tooltip": [
                            {"field": "coverage", "title": "Archive"},
                            {"field": "links", "title": "Links"},
                            {"field": "percent", "title": "Per cent"},
                        ],
                    },
                    # The numbers stand beside their slice: a pie without them is read only by hovering.
                    "layer": [
                        {"mark": {"type": "arc", "innerRadius": 28, "outerRadius": 60}},
                        {
                            "mark": {"type": "text", "radius": 108, "fontSize": 13, "fill": "#222"},
                            "encoding": {"text": {"field": "numbers", "type": "nominal"}},
                        },
                    ],
                },
            },
            # Beside the chart, its numbers as a table (a canned query): for screen readers, and to copy.
            "archive-coverage-table": {
                "title": "Archive coverage in numbers",
                "library": "markdown",
                "display": f"[Archive coverage as a table](../../{database}/archive_coverage): links per archive"
                " status, with their share of the list.",
            },
        },
    }
