"""A Datasette plugin (loaded only by `linkkeeper dashboard`, through --plugins-dir): the landing page.

It answers "what needs attention" at `/`: dead links with their archived copy (or "lost"), links at
risk and why, and what changed in the last run, each link said in the reader's voice (its evidence is on
its link page); everything else is one link away.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils.asgi import Response

from dashboard import cells, queries
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, LOST, RUN_STATUSES, RUNNING, STATES, WORST_FIRST
from linkkeeper.output import reader


async def attention(datasette, request) -> Response:
    database = datasette.get_database()
    sections = {}
    for name in ("dead_links", "at_risk_links", "last_run_changes"):
        title, description, sql = queries.CANNED[name]
        result = await database.execute(sql)
        sections[name] = {"title": title, "description": description, "rows": [dict(row) for row in result.rows]}
    where, at = cells.zone_of(datasette), cells.now()
    # Each link shown, in the reader's voice (output/reader.py): the sentence is made from its row of link_health.
    shown = json.dumps(sorted({row["url"] for section in sections.values() for row in section["rows"]}))
    described = await database.execute(queries.LINKS_BY_URL, {"urls": shown})
    why = {row["url"]: reader.sentence(dict(row), where) for row in described.rows}
    counts = await database.execute("select state, count(*) as links from link_health group by state")
    last_run = await database.execute(
        f"select id, started_at, finished_at, status from runs where status != '{RUNNING}' order by id desc limit 1"
    )
    context = {
        "title": datasette.metadata("title") or "linkkeeper",
        "database": database.name,
        "sections": sections,
        "counts": {row["state"]: row["links"] for row in counts.rows},
        "last_run": dict(last_run.rows[0]) if last_run.rows else None,
        "queries": {name: heading for name, (heading, _, _) in queries.CANNED.items()},
        # The template draws states, names the last run's status and marks a lost page in the vocabulary's words.
        "states": STATES,
        "worst_first": [STATES[state] for state in WORST_FIRST],
        # Each cell as every other page of the dashboard shows it (a time on hover, a badge, a link page).
        "cell": lambda column, value, row: cells.render(column, value, row, where, at),
        "when": lambda iso: cells.when(iso, where, at),
        "why": why,
        "run_statuses": RUN_STATUSES,
        "lost": ARCHIVE_STATUSES[LOST],
    }
    return Response.html(await datasette.render_template("attention.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/$", attention)]
