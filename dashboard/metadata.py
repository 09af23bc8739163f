"""Datasette metadata for a linkkeeper database: descriptions a newcomer can read, facets, canned queries, charts."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlite_utils.migrations import Migrations

from dashboard import queries
from dashboard.cells import PLUGIN
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, STATES, UNKNOWN
from linkkeeper.store import views
from linkkeeper.store.schema import COLUMNS, TABLES

# The states chart draws each state's label ("at risk", computed from its stored name) in its colour: the legend,
# the tooltip and what a screen reader hears of each bar are in words.
STATE_SCALE = {"domain": [STATES[name].label for name in STATES.colours], "range": list(STATES.colours.values())}
_STATE_LABELS = "{" + ", ".join(f"'{term.name}': '{term.label}'" for term in STATES.values()) + "}"
# What the archive-coverage chart draws: each archive status in its own colour, a link not archived yet as unknown.
COVERAGE_COLOURS = {
    **{term.label: term.colour for term in ARCHIVE_STATUSES.values()},
    queries.NOT_ARCHIVED_YET: STATES[UNKNOWN].colour,
}
COVERAGE_SCALE = {"domain": list(COVERAGE_COLOURS), "range": list(COVERAGE_COLOURS.values())}

FACETS = {"resources": ["state", "kind", "section"], "link_health": ["state", "kind", "section"]}


def metadata(
    database: str, title: str, timezone: str = "UTC", schema: Mapping[str, Collection[str]] | None = None
) -> dict[str, Any]:
    """`schema`: the database's tables, each with its columns (None: the current schema), so that a chart or a
    canned query reads only what the database holds (the dashboard never migrates it)."""
    tables = {
        name: {
            "description": description,
            **({"columns": COLUMNS[name]} if name in COLUMNS else {}),
            **({"facets": FACETS[name]} if name in FACETS else {}),
        }
        for name, description in TABLES.items()
    }
    # The view searches through its table's index (views.SEARCHED); the migrations' log is no one's question.
    tables["link_health"] |= {"fts_table": views.SEARCH_TABLE, "fts_pk": "id"}
    tables[Migrations.migrations_table] = {"hidden": True}
    times_kept = schema is None or set(queries.RESPONSE_TIME_COLUMNS) <= set(schema.get("runs", ()))
    canned = queries.canned(daily_kept=schema is None or "daily_checks" in schema)
    return {
        "title": title,
        "description": "The health history of a list of links, kept by linkkeeper.",
        "databases": {
            database: {
                "description": "Checks, runs and archive actions of linkkeeper.",
                "tables": tables,
                "queries": {
                    name: {"title": heading, "description": description, "sql": sql.strip(), "hide_sql": True}
                    for name, (heading, description, sql) in canned.items()
                },
            }
        },
        "plugins": {
            "datasette-dashboards": {"link-health": _charts(database, timezone, times_kept)},
            PLUGIN: {"timezone": timezone},
        },
    }


# Text at 12 px (Vega draws 10 and 11 px, small on a phone), a chart's `config` replacing datasette-dashboards'
# whole: its transparent background and points on lines kept.
_TEXT = {"labelFontSize": 12, "titleFontSize": 12}
CHART_CONFIG = {"background": "#00000000", "line": {"point": True}, "axis": _TEXT, "legend": _TEXT}

RESPONSE_TIMES_TITLE = "Response time per run: median and 95th percentile"
NOT_KEPT_YET = (
    ": none kept yet (this database predates them; the next check-links run adds them for every run)"
)


def _runs_axis(timezone: str) -> dict[str, Any]:
    """Both charts' runs, oldest first, each named by its number and its start on the list's clock (the queries'
    `run`), "run 2" over "29 Nov 19:00": two short lines fit under narrow bars on a phone."""
    return {
        "field": "run", "type": "ordinal", "sort": None, "title": f"Run and its start ({timezone})",
        "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelExpr": "split(datum.label, ', ')"},
    }


def _charts(database: str, timezone: str, times_kept: bool = True) -> dict[str, Any]:
    """Each chart says what it shows (its `description`, the SVG's accessible name) and names the list's zone
    on its time axis, where its queries put the runs (local_time)."""
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
                    "config": CHART_CONFIG,
                    "description": "Bar chart: how many links were ok, at risk, dead or unknown after each run,"
                    " oldest run first. The landing page lists the links of each state.",
                    "mark": "bar",
                    "transform": [{"calculate": _STATE_LABELS + "[datum.state]", "as": "state_words"}],
                    "encoding": {
                        "x": _runs_axis(timezone),
                        "y": {"field": "links", "type": "quantitative", "aggregate": "sum", "title": "Links"},
                        "color": {
                            "field": "state_words", "type": "nominal", "scale": STATE_SCALE, "title": "State",
                            "legend": {"orient": "bottom"},
                        },
                        "order": {"field": "state_words", "sort": "descending", "title": "State"},
                        "tooltip": [
                            {"field": "run", "type": "ordinal", "title": "Run"},
                            {"field": "state_words", "type": "nominal", "title": "State"},
                            {"field": "links", "type": "quantitative", "aggregate": "sum", "title": "Links"},
                        ],
                    },
                },
            },
            "response-times": {
                "title": RESPONSE_TIMES_TITLE + ("" if times_kept else NOT_KEPT_YET),
                "db": database,
                "query": (queries.RESPONSE_TIMES if times_kept else queries.RESPONSE_TIMES_NOT_KEPT).strip(),
                "library": "vega-lite",
                "display": {
                    "config": CHART_CONFIG,
                    "description": "Line chart: the median and the 95th percentile of the response times of the"
                    " pages each run reached, in milliseconds, oldest run first.",
                    "mark": {"type": "line", "point": True},
                    "encoding": {
                        "x": _runs_axis(timezone),
                        "y": {"field": "elapsed_ms", "type": "quantitative", "title": "Milliseconds"},
                        "color": {"field": "measure", "type": "nominal", "legend": {"orient": "bottom", "title": None}},
                        "tooltip": [
                            {"field": "run", "type": "ordinal", "title": "Run"},
                            {"field": "measure", "type": "nominal", "title": "Measure"},
                            {"field": "elapsed_ms", "type": "quantitative", "title": "Milliseconds"},
                        ],
                    },
                },
            },
            "archive-coverage": {
                "title": "Archive coverage",
                "db": database,
                "query": queries.ARCHIVE_COVERAGE.strip(),
                "library": "vega-lite",
                "display": {
                    "config": CHART_CONFIG,
                    "description": "Pie chart: how many links have an archived copy, are lost (no good capture),"
                    " or were not looked up yet, each slice with its count and share; the same numbers are in the"
                    " table beside it.",
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
