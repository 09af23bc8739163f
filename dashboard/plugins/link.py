"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): one page per link.

Every listed URL in the dashboard opens `/-/link?url=...`, which answers "what is wrong with this link,
since when, how often is it up, and where is the copy": its state in the reader's words and the evidence
(its reason), when it first failed,
uptime over 30 and 90 days, a strip of its last checks coloured by outcome (as status monitors show
them), its response times, its archived copies with their dates, and then its older checks rolled up
(history.keep_checks_days): one row a day for the newest DAYS_SHOWN days, one a month before them, so the
page holds the link's whole history and stays short after ten years of it.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from dashboard import cells, queries
from linkkeeper.health.vocabulary import AT_RISK, DEAD, OK, STATES, UNKNOWN
from linkkeeper.output import reader, times

LAST_CHECKS = 60
DAYS_SHOWN = 60
"""Days of older checks shown one row a day; the days before them, one row a month."""
# A check's outcome drawn in the colour of the state it points to: served, threatened, failed, walled off.
OUTCOME_STATES = {"ok": OK, "warning": AT_RISK, "failure": DEAD, "blocked": UNKNOWN}
# The chart is drawn 600 units wide and scaled to its column: its text is sized in the stylesheet so that it
# stays at least 11 px on a phone (dashboard/style.py), the margin wide enough for the slowest time's label.
CHART_WIDTH, CHART_HEIGHT, MARGIN = 600, 160, 76


async def link_page(datasette, request) -> Response:
    url = request.args.get("url", "")
    database = datasette.get_database()
    found = await database.execute(queries.LINK, {"url": url})
    if not found.rows:
        raise NotFound(f"{url!r} is not a link this database has seen")
    resource = dict(found.rows[0])
    checks = [dict(row) for row in (await database.execute(queries.LINK_CHECKS, {"url": url, "limit": LAST_CHECKS}))]
    snapshots = [dict(row) for row in (await database.execute(queries.LINK_SNAPSHOTS, {"url": url}))]
    days, months = [], []  # the older checks rolled up; none in a database not yet migrated to keep them
    if (await database.execute(queries.HAS_DAILY_CHECKS)).rows:
        recent = {"url": url, "days": DAYS_SHOWN}
        days = [dict(row) for row in (await database.execute(queries.LINK_DAYS, recent))]
        months = [dict(row) for row in (await database.execute(queries.LINK_MONTHS, recent))]
    where, at = cells.zone_of(datasette), cells.now()
    context = {
        "resource": resource,
        "checks": checks,
        "snapshots": snapshots,
        "days": days,
        "months": months,
        "database": database.name,
        "state": STATES.get(resource["state"]) or STATES[UNKNOWN],
        # The reader's sentence, from the link's row and its last check's finding; the reason is the evidence.
        "sentence": reader.sentence({**resource, "finding": checks[0]["finding"] if checks else None}, where),
        "outcome_states": OUTCOME_STATES,
        "chart": response_chart([check for check in reversed(checks) if check["elapsed_ms"] is not None], where),
        "cell": lambda column, value, row: cells.render(column, value, row, where, at),
        "when": lambda iso: cells.when(iso, where, at),
        "external": cells.external,
        "copy": cells.copy,
        "badge": cells.badge,
        "exact": lambda iso: times.exact(iso, where),
    }
    return Response.html(await datasette.render_template("link.html", context, request=request))


def response_chart(checks: list[dict], where) -> Markup:
    """The link's response times, oldest to newest, as an inline SVG line with its scale and dates written on it."""
    if not checks:
        return Markup('<p class="empty">No response time recorded: no check reached the server.</p>')
    slowest = max(check["elapsed_ms"] for check in checks) or 1
    step = (CHART_WIDTH - MARGIN) / max(len(checks) - 1, 1)
    points = " ".join(
        f"{MARGIN + index * step:.1f},{CHART_HEIGHT - 20 - check['elapsed_ms'] / slowest * (CHART_HEIGHT - 30):.1f}"
        for index, check in enumerate(checks)
    )
    first, last = (times.day(checks[i]["checked_at"], where) for i in (0, -1))
    fastest = min(check["elapsed_ms"] for check in checks)
    said = (
        f"Response time of each of the last {len(checks)} checks that reached the server, from {first} to {last}:"
        f" between {fastest} and {slowest} ms, the last {checks[-1]['elapsed_ms']} ms"
    )
    return Markup(
        '<svg class="chart" role="img" aria-label="{said}" '
        'viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px" xmlns="http://www.w3.org/2000/svg">'
        '<line x1="{m}" y1="10" x2="{m}" y2="{b}" stroke="#767676"/>'
        '<line x1="{m}" y1="{b}" x2="{w}" y2="{b}" stroke="#767676"/>'
        '<text x="{tm}" y="14" text-anchor="end">{slowest} ms</text>'
        '<text x="{tm}" y="{b}" text-anchor="end">0</text>'
        '<text x="{m}" y="{h}">{first}</text><text x="{w}" y="{h}" text-anchor="end">{last}</text>'
        '<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{points}"/></svg>'
    ).format(
        w=CHART_WIDTH, h=CHART_HEIGHT - 2, m=MARGIN, tm=MARGIN - 4, b=CHART_HEIGHT - 20,
        slowest=slowest, first=first, last=last, points=points, said=said,
    )


@hookimpl
def register_routes():
    return [(rf"^{cells.LINK_PAGE}$", link_page)]
