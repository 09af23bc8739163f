"""The dashboard's questions, in plain words, with the SQL that answers them (read-only, over the public schema)."""

from __future__ import annotations

from dashboard.local_time import FUNCTION
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, ARCHIVED, AT_RISK, COMPLETED, DEAD, STATES

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
select title, url, reason, since as dead_since, failing_since as first_failed,
       coalesce(archive_url, {_label_of_archive_status("not looked up yet")}) as archived_copy, section
from link_health where state = '{DEAD}' order by since
"""

AT_RISK_LINKS = f"""
select title, url, reason, since, moved_to, archive_url, section
from link_health where state = '{AT_RISK}' order by since
"""

# Each check of the last completed run beside the link's check before it in a completed run: found through
# checks(resource_id, id), newest first, so only the last two runs of each link are read.
LAST_RUN_CHANGES = f"""
select title, url, was, now, reason, checked_at, section from (
  select r.title, c.url, r.section, c.state as now, c.reason, c.checked_at,
         coalesce((select p.state from checks p
                   where p.resource_id = c.resource_id and p.id < c.id
                     and p.run_id in (select id from runs where status = '{COMPLETED}')
                   order by p.id desc limit 1), 'new') as was
  from checks c join resources r on r.id = c.resource_id
  where c.run_id = (select max(id) from runs where status = '{COMPLETED}')
)
where was != now
order by url
"""

NEVER_ARCHIVED = f"""
select title, url, state, reason, section
from link_health
where archive_url is null
  and id not in (select resource_id from snapshots where status = '{ARCHIVED}')
order by position
"""



def _uptime(days: int) -> str:
    """SQL for the share of a link's checks over the last `days` that found the page serving its content.

    Bot walls say nothing about the page, so they count neither way; no check at all gives NULL, not 0. The
    checks are those of the last 90 days only (the join's condition, which checks(resource_id, checked_at) cuts).
    """
    since = f"strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{days} days')"
    within = "" if days == 90 else f" and c.checked_at >= {since}"
    return (
        f"round(100.0 * sum(c.outcome in ('ok', 'warning'){within})\n"
        f"        / nullif(sum(c.outcome != 'blocked'{within}), 0), 1)"
    )


# Only the last 90 days of checks are joined: the longest window any uptime reads. The links are sorted once
# each has its numbers (one row per link, not per check).
UPTIME = f"""
with per_link as (
  select r.url, r.title, r.state, r.position,
    {_uptime(30)} as uptime_30_days,
    {_uptime(90)} as uptime_90_days,
    case when count(c.id) > 0 then count(c.id) when exists (select 1 from checks where resource_id = r.id) then 0 end
      as checks_90_days
  from resources r left join checks c on c.resource_id = r.id and c.checked_at >= {SINCE_90_DAYS}
  where r.active = 1
  group by r.id
)
select title, url, state, uptime_30_days, uptime_90_days, checks_90_days
from per_link
order by uptime_30_days, position
"""

# The rows of link_health of the links in `:urls` (a JSON array), for their reader's sentence (output/reader.py).
LINKS_BY_URL = "select * from link_health where url in (select value from json_each(:urls))"

# The link page's questions, about the one resource `:url`.
LINK = f"""
select r.*, {_uptime(30)} as uptime_30_days, {_uptime(90)} as uptime_90_days
from resources r left join checks c on c.resource_id = r.id and c.checked_at >= {SINCE_90_DAYS}
where r.url = :url
group by r.id
"""

# A URL's rows, through its resource's id (indexed), not by reading every row for the URL (as
# linkkeeper.store.queries.OF_URL): those checked at the address it had before a move the list followed too.
OF_URL = "resource_id = (select id from resources where url = :url)"

LINK_CHECKS = f"""
select checked_at, state, outcome, status_code, finding, elapsed_ms, reason
from checks where {OF_URL} order by id desc limit :limit
"""

LINK_SNAPSHOTS = f"""
select requested_at, action, status, archive_url, captured_at, coalesce(error, note) as detail
from snapshots where {OF_URL} order by id desc
"""

SLOWEST = f"""
with per_link as (
  select r.title, r.url, round(avg(c.elapsed_ms)) as average_ms, max(c.elapsed_ms) as slowest_ms, count(*) as checks
  from checks c join resources r on r.id = c.resource_id
  where r.active = 1 and c.outcome in ('ok', 'warning') and c.checked_at >= {SINCE_30_DAYS}
  group by r.id
)
select * from per_link
order by average_ms desc
limit 25
"""

# A day of older checks rolled up (history.keep_checks_days), in words: how many, of each outcome, the median.
DAY_IN_WORDS = (
    "checks || case checks when 1 then ' check' else ' checks' end || ' rolled up: ' || ok || ' ok, '"
    " || warning || ' warning, ' || failure || ' failure, ' || blocked || ' blocked'"
    " || coalesce('; median ' || median_ms || ' ms', '')"
)

HAS_DAILY_CHECKS = "select 1 from sqlite_master where type = 'table' and name = 'daily_checks'"

# The link's newest :days days rolled up (daily_checks, read by its key: resource and day), newest first.
LINK_DAYS = f"""
select day, worst_state, checks, ok, warning, failure, blocked, median_ms, {DAY_IN_WORDS} as detail
from daily_checks where {OF_URL} order by day desc limit :days
"""
# The link's days older than those, one row a month, newest first: years of history in a page that a phone
# can scroll. Its worst state is the worst of its days'.
LINK_MONTHS = f"""
select substr(day, 1, 7) as month, count(*) as days, sum(checks) as checks,
  sum(ok) || ' ok, ' || sum(warning) || ' warning, ' || sum(failure) || ' failure, ' || sum(blocked) || ' blocked'
    as outcomes,
  case when max(worst_state = 'dead') then 'dead' when max(worst_state = 'at_risk') then 'at_risk'
    when max(worst_state = 'unknown') then 'unknown' else 'ok' end as worst_state
from daily_checks
where {OF_URL}
  and day < coalesce((select day from daily_checks where {OF_URL} order by day desc limit 1 offset :days - 1), '')
group by month order by month desc
"""

_URL_EVENTS = f"""
select checked_at as at, 'check' as event, state, status_code, reason as detail, final_url as address
from checks where {OF_URL}
union all
select coalesce(completed_at, requested_at), 'archive ' || action, status, null, coalesce(error, note), archive_url
from snapshots where {OF_URL}
"""
_URL_DAYS = f"""union all
select day, 'day of older checks', worst_state, null, {DAY_IN_WORDS}, null
from daily_checks where {OF_URL}
"""
# Every check and archive action, and each day of older checks rolled up as one row: a day's row sorts just
# after the checks of its day that were kept (its date is a prefix of their times), so the whole history reads
# in time order. URL_HISTORY_BEFORE_DAYS: for a database not yet migrated to daily_checks (m008).
URL_HISTORY = _URL_EVENTS + _URL_DAYS + "order by at desc\n"
URL_HISTORY_BEFORE_DAYS = _URL_EVENTS + "order by at desc\n"

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
        "Every check and archive action of one URL, newest first, and each day of its older checks rolled up"
        " (history.keep_checks_days) as one row: the day's worst state and its checks in words. Paste the URL"
        " into the box.",
        URL_HISTORY,
    ),
}


def canned(daily_kept: bool = True) -> dict[str, tuple[str, str, str]]:
    """CANNED, for a database that has `daily_checks` (`daily_kept`) or not yet (before m008): the URL's
    history then reads only its checks and archive actions."""
    if daily_kept:
        return CANNED
    heading, description, _ = CANNED["url_history"]
    return {**CANNED, "url_history": (heading, description, URL_HISTORY_BEFORE_DAYS)}

# The charts' data, from each run's totals (its row in `runs`), never from its checks.
_STATE_COUNTS = "\nunion all\n".join(
    f"select id, started_at, '{state}' as state, {state} as links from runs where status = '{COMPLETED}'"
    for state in STATES
)
# A run is named by its number and its start on the list's clock (local_time: dashboard/local_time.py): the
# charts' axis, where runs of one day stay apart (a time axis labelled to the minute repeated one label for runs
# minutes apart), and the day is the readers' day.
_RUN_NAME = f"'run ' || id || ', ' || {FUNCTION}(started_at, '%-d %b %H:%M')"
STATES_OVER_TIME = f"""
select {_RUN_NAME} as run, id as run_id, state, links
from (
{_STATE_COUNTS}
)
where links > 0
order by id, state
"""

# Per run, the median and the 95th percentile (nearest rank) of the response times of the pages served
# (kept on the run's row when it ends: linkkeeper.store.queries.response_times): two lines a person can read,
# where one line per resource was a tangle with a cut legend.
RESPONSE_TIMES = f"""
select {_RUN_NAME} as run, id as run_id, 'median' as measure, median_ms as elapsed_ms
from runs where status = '{COMPLETED}' and median_ms is not null
union all
select {_RUN_NAME}, id, '95th percentile', p95_ms
from runs where status = '{COMPLETED}' and p95_ms is not null
order by run_id
"""

# The runs' columns RESPONSE_TIMES reads (added by m007): a database not migrated to them yet, which the
# read-only dashboard cannot migrate, has the chart drawn empty (RESPONSE_TIMES_NOT_KEPT) with a note, not an error.
RESPONSE_TIME_COLUMNS = ("median_ms", "p95_ms")
RESPONSE_TIMES_NOT_KEPT = "select null as run, null as run_id, null as measure, null as elapsed_ms where 0"
