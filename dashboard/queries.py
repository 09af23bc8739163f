"""The dashboard's questions, in plain words, with the SQL that answers them (read-only, over the public schema)."""

from __future__ import annotations

from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, ARCHIVED, AT_RISK, COMPLETED, DEAD

# The archive-coverage chart's word for a link the archive has not answered about yet (no `archive_status`).
NOT_ARCHIVED_YET = "not archived yet"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _label_of_archive_status(otherwise: str) -> str:
    """SQL giving the reader's words for a link's `archive_status`, else `otherwise`: no status can fall through."""
    cases = "".join(f"\n    when {_text(term.name)} then {_text(term.label)}" for term in ARCHIVE_STATUSES.values())
    return f"case archive_status{cases}\n    else {_text(otherwise)} end"


SINCE_30_DAYS = "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-30 days')"
SINCE_90_DAYS = "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-90 days')"

DEAD_LINKS = f"""
select url, title, reason, since as dead_since, failing_since as first_failed,
       coalesce(archive_url, {_label_of_archive_status("not looked up yet")}) as archived_copy
from link_health where state = '{DEAD}' order by since
"""

AT_RISK_LINKS = f"""
select url, title, reason, since, moved_to, archive_url
from link_health where state = '{AT_RISK}' order by since
"""

LAST_RUN_CHANGES = f"""
with ordered as (
  select c.*, lag(c.state) over (partition by c.resource_id order by c.id) as was
  from checks c join runs r on r.id = c.run_id where r.status = '{COMPLETED}'
)
select url, coalesce(was, 'new') as was, state as now, reason, checked_at
from ordered
where run_id = (select max(id) from runs where status = '{COMPLETED}') and (was is null or was != state)
order by url
"""

NEVER_ARCHIVED = f"""
select url, title, state, reason
from link_health
where archive_url is null
  and id not in (select resource_id from snapshots where status = '{ARCHIVED}')
order by position
"""



def _uptime(days: int) -> str:
    """SQL for the share of a link's checks over the last `days` that found the page serving its content.

    Bot walls say nothing about the page, so they count neither way; no check at all gives NULL, not 0.
    """
    since = f"strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{days} days')"
    return (
        f"round(100.0 * sum(c.outcome in ('ok', 'warning') and c.checked_at >= {since})\n"
        f"        / nullif(sum(c.outcome != 'blocked' and c.checked_at >= {since}), 0), 1)"
    )


UPTIME = f"""
select r.url, r.title, r.state,
  {_uptime(30)} as uptime_30_days,
  {_uptime(90)} as uptime_90_days,
  sum(c.checked_at >= {SINCE_90_DAYS}) as checks_90_days
from resources r left join checks c on c.resource_id = r.id
where r.active = 1
group by r.id
order by uptime_30_days, r.position
"""

# The link page's questions, about the one resource `:url`.
LINK = f"""
select r.*, {_uptime(30)} as uptime_30_days, {_uptime(90)} as uptime_90_days
from resources r left join checks c on c.resource_id = r.id
where r.url = :url
group by r.id
"""

LINK_CHECKS = """
select checked_at, state, outcome, status_code, finding, elapsed_ms, reason
from checks where url = :url order by id desc limit :limit
"""

LINK_SNAPSHOTS = """
select requested_at, action, status, archive_url, captured_at, coalesce(error, note) as detail
from snapshots where url = :url order by id desc
"""

SLOWEST = f"""
select r.url, r.title, round(avg(c.elapsed_ms)) as average_ms, max(c.elapsed_ms) as slowest_ms, count(*) as checks
from checks c join resources r on r.id = c.resource_id
where r.active = 1 and c.outcome in ('ok', 'warning') and c.checked_at >= {SINCE_30_DAYS}
group by r.id
order by average_ms desc
limit 25
"""

URL_HISTORY = """
select checked_at as at, 'check' as event, state, status_code, reason as detail, final_url as address
from checks where url = :url
union all
select coalesce(completed_at, requested_at), 'archive ' || action, status, null, coalesce(error, note), archive_url
from snapshots where url = :url
order by at desc
"""

# How much of the list the archive covers, in numbers: the chart's slices and the table beside it. A link
# with an archived copy is covered whatever the archive said since (a refused resave, say).
COVERAGE_COUNTS = f"""
select case when archive_url is not null then {_text(ARCHIVE_STATUSES[ARCHIVED].label)}
  else {_label_of_archive_status(NOT_ARCHIVED_YET)} end as coverage,
  count(*) as links,
  cast(round(100.0 * count(*) / (select count(*) from link_health)) as integer) as percent
from link_health group by coverage order by links desc
"""

# Each slice carries its own numbers ("3 links, 25%"), so the chart is read without hovering.
ARCHIVE_COVERAGE = f"""
select coverage, links, percent,
  links || case links when 1 then ' link, ' else ' links, ' end || percent || '%' as numbers
from ({COVERAGE_COUNTS.strip()})
order by links desc
"""

# name -> (title, description, sql), in the order the dashboard lists them.
CANNED = {
    "dead_links": (
        "Dead links and their archived copies",
        "Links that failed for several runs over several days, with the archived copy readers can use instead,"
        " or 'lost' when the Wayback Machine has no good capture from before they failed.",
        DEAD_LINKS,
    ),
    "at_risk_links": (
        "Links at risk, and why",
        "Links that failed recently, moved to another host, serve a not-found or parked page, or whose"
        " certificate expires soon.",
        AT_RISK_LINKS,
    ),
    "last_run_changes": (
        "What changed in the last run",
        "Links whose state after the last completed run differs from their state before it.",
        LAST_RUN_CHANGES,
    ),
    "never_archived": (
        "Links never archived",
        "Links with no archived copy recorded yet: nothing to fall back on if they break.",
        NEVER_ARCHIVED,
    ),
    "uptime": (
        "Uptime per resource over the last 30 and 90 days",
        "The share of checks that found the page serving its content (bot walls not counted).",
        UPTIME,
    ),
    "slowest": (
        "Slowest resources",
        "Average and slowest response time over the last 30 days of checks that got the page.",
        SLOWEST,
    ),
    "archive_coverage": (
        "Archive coverage",
        "How many listed links have an archived copy, how many the archive has not answered about yet, and how"
        " many it holds nothing for or refuses: the numbers of the coverage chart.",
        COVERAGE_COUNTS,
    ),
    "url_history": (
        "The full history of one URL",
        "Every check and archive action of one URL, newest first. Paste the URL into the box.",
        URL_HISTORY,
    ),
}

# The charts' data.
STATES_OVER_TIME = f"""
select 'run ' || r.id || ', ' || substr(r.started_at, 1, 10) as run, r.id as run_id, c.state, count(*) as links
from checks c join runs r on r.id = c.run_id
where r.status = '{COMPLETED}'
group by r.id, c.state
order by r.id
"""

# Per run, the median and the 95th percentile (nearest rank) of the response times of the pages served: two
# lines a person can read, where one line per resource was a tangle with a cut legend.
RESPONSE_TIMES = f"""
with ranked as (
  select c.run_id, r.started_at, c.elapsed_ms,
         row_number() over (partition by c.run_id order by c.elapsed_ms) as position,
         count(*) over (partition by c.run_id) as served
  from checks c join runs r on r.id = c.run_id
  where r.status = '{COMPLETED}' and c.elapsed_ms is not null and c.outcome in ('ok', 'warning')
)
select run_id as run, started_at, 'median' as measure, min(elapsed_ms) as elapsed_ms
from ranked where position >= 0.5 * served group by run_id
union all
select run_id, started_at, '95th percentile', min(elapsed_ms)
from ranked where position >= 0.95 * served group by run_id
order by run
"""
