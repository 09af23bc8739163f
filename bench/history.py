"""Years of daily history at thousands of links, built from real runs, and the time of every read path on it.

    python3 bench/history.py [--links 1000 10000] [--years 1 3 10] [--keep DIR] [--deadline MINUTES]

What is real: `check-links` itself runs (in this process through click, its crawler a real child process) a
few times against a loopback farm of the pages lists really hold (live pages, a slow one, 404, 410, a host
that resets the connection, one that never answers, a bot wall, a soft 404, a parked page, a domain for sale,
a permanent redirect to another host); the checks those runs stored (finding, outcome, detail, status, final
URL, redirect chain, error, content fields, attempts, response time) are the material of every simulated
check. The history is then written a run a day with the store's own functions: `start_run`, `insert_checks`
(the day's checks, one transaction, as a run's batches), `finish_run` (the run's counts of each state and of
each kind of change, so its row, the charts' response times included, is filled by the store as a run's is),
and the roll-up with `roll_up` past `history.keep_checks_days`, as runs and `linkkeeper compact` do it. Each
check's state and reason come from the tool's own `next_health` under the default policy (not called where
its answer is known: a link that was ok with the same reason and is ok again keeps its health unchanged).

What is simulated: which page each link serves on each day (a seeded timeline: most stay live; some die on a
day and stay dead; some flap with timeouts and resets; some hide behind a wall for a while; some move; a few
die and recover); the URLs (each check is restamped with its link's URL, run, time, and a response time that
varies around the link's own latency); the time of the runs (02:00 each day, the last one this morning, so
the reads of the last 30 or 90 days see what they would on a real database). Shortcuts, none of them
visible in the rows: the resources' columns (health, last check, last served) are written for every link by
the last day's `finish_run` only (each day's write would be overwritten by the next: the last one is what
stays); the roll-up runs every ROLL_UP_EVERY days and after the last day, all that is due, rather than one
step after each run (the same function over the same checks, in more steps at once); a week of runs is
committed at once (DAYS_A_TRANSACTION); and the build writes with SQLite's `synchronous` and foreign keys off
and a large page cache. Content drift is not simulated: the checks keep no page text, so the resources'
content columns stay empty.

With --keep each history is kept in DIR/<years>y-<links>/ (beside it the list it was built from, and
built.json) and reused by the next invocation, which then only times. Prints one table: a row per read path,
a column per history, the database's size and what it keeps first.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import shutil
import socket
import struct
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cli import check_links_command, cli  # noqa: E402
from dashboard import local_time, queries  # noqa: E402
from dashboard.plugins.link import DAYS_SHOWN, LAST_CHECKS  # noqa: E402
from linkkeeper.config.resources import load_config  # noqa: E402
from linkkeeper.config.settings import HealthPolicy  # noqa: E402
from linkkeeper.health.check_record import STORED_FIELDS  # noqa: E402
from linkkeeper.health.findings import FINDINGS  # noqa: E402
from linkkeeper.health.state import CHANGE_KINDS, Health, Observation, change, next_health  # noqa: E402
from linkkeeper.health.vocabulary import COMPLETED, OK, STATES  # noqa: E402
from linkkeeper.store import changes, opening  # noqa: E402
from linkkeeper.store import queries as storage  # noqa: E402
from local_web import Host, redirect, respond  # noqa: E402

CORPUS_PAGES = ROOT / "tests" / "corpus" / "pages"
SLOW_SECONDS = 0.7
FARM_TIMEOUT = 1
"""The real runs' timeout, in seconds: the host that never answers costs two of them a run (one retry)."""
REAL_RUNS = 3

# ---------------------------------------------------------------------------------------------------------
# The real runs: a loopback farm of scenario pages, checked by check-links.


def _reset(request: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP reset, before any answer (SO_LINGER 0)."""
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()
    request.close_connection = True


def _slow(request: BaseHTTPRequestHandler) -> None:
    time.sleep(SLOW_SECONDS)
    respond(request, title="Annual report on digital government", body="<h1>Annual report</h1>" + "<p>text</p>" * 400)


@contextmanager
def scenario_farm() -> Iterator[tuple[dict[str, list[str]], list[Host]]]:
    """The farm's hosts, started; yields each scenario's URLs (a scenario may have several pages) and the hosts."""
    release = threading.Event()
    site, elsewhere = Host("127.0.8.2"), Host("127.0.8.3")
    soft = Host("127.0.8.4", fallback=lambda r: respond(r, title="Page not found - UNPOG", body="<h1>Sorry!</h1>"))
    sale = "<p>This domain is for sale!</p>"
    for_sale = Host("127.0.8.5", fallback=lambda r: respond(r, title="unpog.org", body=sale))
    parked_page = (CORPUS_PAGES / "parked-bodis-en.html").read_bytes()
    parked = Host("127.0.8.6", fallback=lambda r: respond(r, body=parked_page, headers={"Server": "nginx"}))
    silent = Host("127.0.8.7", fallback=lambda r: release.wait(60))
    resets = Host("127.0.8.8", fallback=_reset)
    hosts = [site, elsewhere, soft, for_sale, parked, silent, resets]
    urls = {
        "live": [
            site.route("/toolkit", title="E-government toolkit", body="<h1>Toolkit</h1>" + "<p>module</p>" * 200),
            site.route("/programme", title="Capacity-building programme", body="<p>programme</p>" * 50),
            site.route("/knowledge-base", title="Knowledge base", body="<p>article</p>" * 1500),
        ],
        "slow": [site.route("/annual-report", _slow)],
        "404": [site.route("/missing", status=404, title="Not Found", body="<h1>Not Found</h1>")],
        "410": [site.route("/gone", status=410, title="Gone", body="<h1>Gone</h1>")],
        "wall": [
            site.route(
                "/challenge", status=403, title="Just a moment...",
                headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
            )
        ],
        "moved": [site.route("/moved", redirect(301, elsewhere.route("/new-home", title="The new home")))],
        "soft-404": [soft.url + "/egov/toolkit-2019.html"],
        "for-sale": [for_sale.url + "/"],
        "parked": [parked.url + "/forum/2019/presentations/"],
        "timeout": [silent.url + "/portal"],
        "reset": [resets.url + "/library"],
    }
    for host in hosts:
        host.start()
    try:
        yield urls, hosts
    finally:
        release.set()
        for host in hosts:
            host.stop()


@dataclass
class Template:
    """A real check, its farm addresses turned into fields to fill per link (`url`, `moved`, `base`)."""

    row: dict[str, Any]
    formatted: dict[str, str]
    chain: str | None

    def for_link(self, fill: dict[str, str]) -> dict[str, Any]:
        """The check as the link's: its addresses filled in (time and response time are the day's)."""
        row = dict(self.row)
        for name, text in self.formatted.items():
            row[name] = text.format(**fill)
        row["redirect_chain"] = json.loads(self.chain.format(**fill)) if self.chain else []
        return row


def real_checks(folder: Path, runs: int = REAL_RUNS) -> dict[str, list[Template]]:
    """Run check-links `runs` times over the farm; each scenario's stored checks, as templates."""
    config = folder / "resources.yml"
    with scenario_farm() as (urls, hosts):
        resources = [{"url": url, "title": name} for name, pages in urls.items() for url in pages]
        settings = {
            "timeout": FARM_TIMEOUT, "retries": 1, "retry_backoff": 0.05, "canaries": [],
            "archive": {"enabled": False},
        }
        config.write_text(yaml.safe_dump({"settings": settings, "resources": resources}, sort_keys=False))
        for _ in range(runs):
            result = CliRunner().invoke(check_links_command, ["--config", str(config), "--quiet"])
            if result.exit_code not in (0, 1):
                raise RuntimeError(f"check-links exited {result.exit_code}: {result.output}")
        with opening.read_only(folder / "linkkeeper.db") as db:
            stored = "select c.*, r.title as scenario from checks c join resources r on r.id = c.resource_id"
            rows = list(db.query(stored))
        moved = urls["moved"][0].replace("/moved", "/new-home").replace(hosts[0].url, hosts[1].url)
        bases = [host.url for host in hosts]
    templates: dict[str, list[Template]] = {name: [] for name in urls}
    for row in rows:
        templates[row["scenario"]].append(_template(row, moved, bases))
    return templates


def _template(row: dict[str, Any], moved: str, bases: list[str]) -> Template:
    def placeholders(text: str) -> str:
        text = text.replace("{", "{{").replace("}", "}}").replace(moved, "{moved}").replace(row["url"], "{url}")
        return re.sub("|".join(map(re.escape, bases)), "{base}", text)

    stored = {name: row[name] for name in STORED_FIELDS if name not in ("redirect_chain", "checked_at")}
    formatted = {
        name: placeholders(value) for name, value in stored.items() if isinstance(value, str) and "127.0." in value
    }
    chain = row["redirect_chain"]
    return Template(stored, formatted, placeholders(chain) if json.loads(chain or "[]") else None)


# ---------------------------------------------------------------------------------------------------------
# The replay: a seeded timeline per link, a run a day written with the store's functions.

LIVE = ("live",) * 9 + ("slow",)
DEATHS = ("404", "410", "reset", "timeout", "soft-404", "for-sale", "parked")
OUTAGES = ("404", "reset", "timeout")
FLAPS = ("timeout", "reset")
FLAP_SHARE = 0.03
"""The share of days a flapping link times out or resets."""
SERVED = ("ok", "warning")
RUN_AT = 2
"""The hour the daily run starts (UTC); a run's checks are spread over 10 minutes a thousand links."""
SECONDS_A_LINK = 0.6
DAYS_A_TRANSACTION = 7
"""Days of runs the build commits at once: a day's checks touch a page of each index by link for every link,
and the next days' touch the same pages; committed together, each page is written once (SQLite's part of
writing a check at 1,000 links: 35 us with a day a transaction, 19 us with a week)."""
ROLL_UP_EVERY = 4 * DAYS_A_TRANSACTION
"""Days between two roll-ups of the build (each does all that is due, each step its own transaction), and one
after the last day."""
VERSION = "bench/history.py"
"""What the simulated runs give as the version that made them."""
BATCH = 2000
"""Checks a day's run writes per `insert_checks`, as linkkeeper/runs/run.py's BATCH_SIZE."""
SPREAD = [random.Random(24).lognormvariate(0, 0.3) for _ in range(1024)]
"""Factors a served page's response time is varied by, from day to day."""


def timeline(rng: random.Random, days: int) -> tuple[list[tuple[int, str]], bool]:
    """Which scenario a link serves from which day, and whether it flaps: most stay live; 6% die on a day and
    stay dead, 6% flap, 5% hide behind a wall for one to six months, 4% move, 4% die and come back."""
    live = rng.choice(LIVE)
    kind = rng.random()
    day = rng.randrange(days)
    if kind < 0.06:
        return [(0, live), (day, rng.choice(DEATHS))], False
    if kind < 0.12:
        return [(0, live)], True
    if kind < 0.17:
        return [(0, live), (day, "wall"), (day + rng.randint(30, 180), live)], False
    if kind < 0.21:
        return [(0, live), (day, "moved")], False
    if kind < 0.25:
        return [(0, live), (day, rng.choice(OUTAGES)), (day + rng.randint(4, 60), live)], False
    return [(0, live)], False


@dataclass
class Link:
    """One simulated link: its timeline, latency and health, and its copies of the real checks."""

    rid: int
    url: str
    clock: str
    """The time of day of its check (`THH:MM:SS`)."""
    timeline: list[tuple[int, str]]
    flaps: bool
    latency: int
    fill: dict[str, str]
    health: Health = field(default_factory=Health)
    served_at: str | None = None
    last: dict[str, Any] = field(default_factory=dict)
    at: int = 0
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)

    def scenario(self, day: int, rng: random.Random) -> str:
        while self.at + 1 < len(self.timeline) and self.timeline[self.at + 1][0] <= day:
            self.at += 1
        serves = self.timeline[self.at][1]
        if self.flaps and serves in LIVE and rng.random() < FLAP_SHARE:
            return rng.choice(FLAPS)
        return serves

    def check(self, template: Template) -> dict[str, Any]:
        """The real check as this link's (made once per template)."""
        if (row := self.rows.get(id(template))) is None:
            row = self.rows[id(template)] = template.for_link(self.fill)
        return row


def link_url(n: int) -> str:
    return f"https://site{n % 400}.example/page/{n}"


def write_list(path: Path, links: int) -> None:
    """The simulated list (the commands that read need it beside the database). Like the list linkkeeper ships,
    it has a `settings:` block: `status` and `history` then read only that block for the time zone, where a list
    without one is read whole."""
    lines = ["title: History bench", "settings:", "  timezone: UTC", "resources:"]
    for n in range(links):
        lines += [f"  - url: {link_url(n)}", f"    title: Resource {n}", "    kind: toolkit"]
        lines.append(f"    section: Section {n % 12}")
    path.write_text("\n".join(lines) + "\n")


def last_run_day(now: datetime) -> date:
    """The day of the newest run: today, once today's run is over (RUN_AT plus some hours), else yesterday."""
    return (now - timedelta(hours=RUN_AT + 4)).date()


@dataclass
class Built:
    """A history as built: where, its size in runs, the URL whose history the reads ask for, the seconds taken."""

    folder: Path
    links: int
    years: int
    url: str
    seconds: float

    @property
    def db(self) -> Path:
        return self.folder / opening.DEFAULT_NAME

    @property
    def config(self) -> Path:
        return self.folder / "resources.yml"


def build(
    folder: Path, links: int, years: int, templates: dict[str, list[Template]], seed: int = 24,
    deadline: float = math.inf, now: datetime | None = None,
) -> Built:
    """Write the history of `links` links over `years` years into folder/linkkeeper.db (a new file).
    Raises TimeoutError past `deadline` (time.monotonic), the folder half built."""
    started = time.monotonic()
    days = round(365.25 * years)
    write_list(folder / "resources.yml", links)
    config = load_config(folder / "resources.yml")
    policy, keep = config.settings.health, config.settings.history.keep_checks_days
    first = last_run_day(now or datetime.now(UTC)) - timedelta(days=days - 1)
    rng = random.Random(seed)
    with opening.locked(folder / opening.DEFAULT_NAME) as db:
        db.execute("pragma synchronous = off")
        db.execute("pragma foreign_keys = off")  # every check names its run and its resource: nothing to enforce
        db.execute("pragma cache_size = -1000000")  # 1 GB: a year of checks at 10,000 links, indexes included
        ids = storage.sync_resources(db, config.resources, f"{first}T00:00:00")
        population = []
        for n, resource in enumerate(config.resources):
            plan, flaps = timeline(random.Random(f"{seed}-{n}"), days)
            clock = datetime(2000, 1, 1, RUN_AT) + timedelta(seconds=int(n * SECONDS_A_LINK))
            fill = {"url": resource.url, "moved": f"https://new-home{n % 400}.example/page/{n}",
                    "base": resource.url.rsplit("/page/", 1)[0]}
            latency = rng.randint(40, 900)
            at = clock.strftime("T%H:%M:%S")
            population.append(Link(ids[resource.url], resource.url, at, plan, flaps, latency, fill))
        for week in range(0, days, DAYS_A_TRANSACTION):
            if time.monotonic() > deadline:
                raise TimeoutError(f"deadline passed on day {week} of {days}")
            with db.atomic():  # each function's own transaction becomes a savepoint of this one
                for day in range(week, min(week + DAYS_A_TRANSACTION, days)):
                    last = day == days - 1
                    when = first + timedelta(days=day)
                    finished_at = _one_run(db, population, templates, when, day, policy, rng, last)
            if last or (day + 1) % ROLL_UP_EVERY == 0:
                storage.roll_up(db, storage.roll_up_before(finished_at, keep))
    watched = next((link for link in population if link.flaps), population[0])
    return Built(folder, links, years, watched.url, time.monotonic() - started)


def _one_run(
    db, population: list[Link], templates: dict[str, list[Template]], when: date, day: int, policy: HealthPolicy,
    rng: random.Random, last: bool,
) -> str:
    """One day's run, written as check-links writes it (linkkeeper/runs/run.py); returns when it finished."""
    today = when.isoformat()
    run_id = storage.start_run(db, f"{today}T{RUN_AT:02}:00:00", len(population), VERSION)
    rows, kinds = [], Counter()
    for link in population:
        check = link.check(rng.choice(templates[link.scenario(day, rng)]))
        checked_at = today + link.clock
        elapsed, outcome, detail = check["elapsed_ms"], check["outcome"], check["detail"]
        if elapsed is not None and outcome in SERVED:
            elapsed = int((elapsed + link.latency) * SPREAD[rng.getrandbits(10)])
        before = link.health
        if outcome == "ok" and before.state == OK and before.reason == detail:
            after = before  # next_health's answer: an ok health is Health(OK, detail) since it became ok
        else:
            after = next_health(before, Observation(outcome, detail, checked_at, check["moved_to"]), policy)
            if (moved := change(link.url, before, after)) is not None:
                kinds[moved.kind] += 1
            link.health = after
        rows.append(
            {**check, "checked_at": checked_at, "elapsed_ms": elapsed, "run_id": run_id, "resource_id": link.rid,
             "state": after.state, "reason": after.reason}
        )
        if FINDINGS[check["finding"]].category == "content":
            link.served_at = checked_at
        if last:
            link.last = {"last_checked": checked_at, "last_status": check["status_code"]}
        if len(rows) == BATCH:
            storage.insert_checks(db, rows)
            rows = []
    storage.insert_checks(db, rows)
    counts = Counter(link.health.state for link in population)
    finished_at = (datetime.fromisoformat(f"{today}T{RUN_AT:02}:00:00")
                   + timedelta(seconds=len(population) * SECONDS_A_LINK + 30)).isoformat()
    health = {}
    if last:
        served = ({"served_at": link.served_at} if link.served_at else {} for link in population)
        health = {link.rid: (link.health, link.last | more) for link, more in zip(population, served, strict=True)}
    storage.finish_run(
        db, run_id,
        {
            "status": COMPLETED, "finished_at": finished_at, "checked": len(population),
            **{state: counts.get(state, 0) for state in STATES},
            **{kind: kinds.get(kind, 0) for kind in CHANGE_KINDS}, "canaries": "[]",
        },
        health,
    )
    return finished_at


# ---------------------------------------------------------------------------------------------------------
# The read paths.


def measure(path: Path, config: Path, url: str) -> dict[str, float]:
    """Seconds of every read path on the database at `path` (the list `config` beside it; `url` listed): the
    dashboard's pages as their plugins query (landing page, link page, feed), each canned query and chart,
    and the commands that read, run in this process."""
    times: dict[str, float] = {}

    def timed(label: str, work: Callable[[], object]) -> None:
        start = time.perf_counter()
        work()
        times[label] = time.perf_counter() - start

    def opened_as_a_run() -> None:
        with opening.locked(path):
            pass

    timed("open as a run (integrity check, migrations)", opened_as_a_run)
    with opening.read_only(path) as db:
        local_time.register(db.conn, UTC)  # as the dashboard's connections have it (plugins/clock.py)

        def run(sql: str, params: dict | None = None) -> None:
            db.execute(sql, params or {}).fetchall()

        def landing() -> None:
            for name in ("dead_links", "at_risk_links", "last_run_changes"):
                run(queries.CANNED[name][2])
            run("select state, count(*) as links from link_health group by state")
            run("select id, started_at, finished_at, status from runs where status != 'running'"
                " order by id desc limit 1")

        def link_page() -> None:
            run(queries.LINK, {"url": url})
            run(queries.LINK_CHECKS, {"url": url, "limit": LAST_CHECKS})
            run(queries.LINK_SNAPSHOTS, {"url": url})
            run(queries.HAS_DAILY_CHECKS)
            for sql in (queries.LINK_DAYS, queries.LINK_MONTHS):
                run(sql, {"url": url, "days": DAYS_SHOWN})

        def feed() -> None:
            since = changes.since(datetime.now(UTC).isoformat())
            run(changes.STATE_CHANGES, {"since": since, "limit": changes.FEED_ENTRIES})
            run(changes.FIRST_RUN)

        timed("dashboard landing page", landing)
        timed("dashboard link page", link_page)
        timed("dashboard feed of changes", feed)
        for name, (_, _, sql) in queries.CANNED.items():
            timed(f"canned query {name}", lambda sql=sql: run(sql, {"url": url}))
        for name in ("STATES_OVER_TIME", "RESPONSE_TIMES", "ARCHIVE_COVERAGE"):
            timed(f"chart {name.lower()}", lambda name=name: run(getattr(queries, name)))
    runner = CliRunner()
    reports = [["report", *(["--format", name] if name else [])] for name in ("", "html", "atom")]
    for args in (["status"], ["history", url], *reports):

        def command(args=args) -> None:
            result = runner.invoke(cli, [*args, "--db", str(path), "--config", str(config)])
            if result.exit_code not in (0, 1):
                raise RuntimeError(f"linkkeeper {' '.join(args)} exited {result.exit_code}: {result.output}")

        timed("linkkeeper " + " ".join("URL" if arg == url else arg for arg in args), command)
    return times


def kept(path: Path) -> dict[str, int]:
    """What the database holds: its size in bytes, and its checks, daily rows and runs."""
    with opening.read_only(path) as db:
        tables = ("checks", "daily_checks", "runs")
        counts = {table: db.execute(f"select count(*) from {table}").fetchone()[0] for table in tables}
    return {"bytes": path.stat().st_size, **counts}


# ---------------------------------------------------------------------------------------------------------
# The table, and the command line.

SLOW = 2.0
"""Seconds a read path may take at 10,000 links with a year of daily checks (issue 24)."""


def quantity(count: float, unit: str = "") -> str:
    for limit, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if count >= limit:
            return f"{count / limit:.3g}{suffix}{unit}"
    return f"{count:g}{' ' + unit if unit else ''}"


def table(columns: dict[str, dict[str, str]]) -> str:
    """Rows are the measures, columns the histories; a measure missing from a history is left blank."""
    labels = list(dict.fromkeys(label for cells in columns.values() for label in cells))
    width = max(map(len, labels), default=10) + 2
    lines = ["".ljust(width) + "".join(f"{name:>12}" for name in columns)]
    for label in labels:
        lines.append(label.ljust(width) + "".join(f"{cells.get(label, ''):>12}" for cells in columns.values()))
    return "\n".join(lines)


def cells(built: Built) -> dict[str, str]:
    held = kept(built.db)
    column = {
        "database size": quantity(held["bytes"], "B"),
        "checks kept": quantity(held["checks"]),
        "daily rows": quantity(held["daily_checks"]),
        "runs": quantity(held["runs"]),
        "built in": f"{built.seconds:.0f} s",
    }
    for label, seconds in measure(built.db, built.config, built.url).items():
        column[label] = f"{seconds:.3f}{' *' if seconds > SLOW else '  '}"
    return column


def kept_history(folder: Path) -> Built | None:
    """A history a former invocation built in `folder` to its end, or None."""
    try:
        saved = json.loads((folder / "built.json").read_text())
    except FileNotFoundError:
        return None
    return Built(folder, **saved)


def history(
    folder: Path, links: int, years: int, templates: Callable[[], dict[str, list[Template]]], deadline: float
) -> Built:
    """The history kept in `folder`, else built there anew (and marked built: built.json)."""
    if (built := kept_history(folder)) is not None:
        return built
    if time.monotonic() >= deadline:
        raise TimeoutError("deadline passed")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    built = build(folder, links, years, templates(), deadline=deadline)
    saved = {"links": links, "years": years, "url": built.url, "seconds": built.seconds}
    (folder / "built.json").write_text(json.dumps(saved))
    return built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--keep", type=Path, help="keep the histories here, and reuse those already built")
    parser.add_argument(
        "--deadline", type=float, default=120, help="minutes for the builds (0: time only the histories kept)"
    )
    options = parser.parse_args()
    deadline = time.monotonic() + options.deadline * 60
    scratch = Path(tempfile.mkdtemp(prefix="linkkeeper-history-"))
    templates = functools.cache(lambda: real_checks(Path(tempfile.mkdtemp(dir=scratch))))
    columns: dict[str, dict[str, str]] = {}
    try:
        for links in sorted(options.links):
            for years in sorted(options.years):
                name = f"{years}y x {quantity(links)}"
                folder = (options.keep or scratch) / f"{years}y-{links}"
                try:
                    built = history(folder, links, years, templates, deadline)
                except TimeoutError as stopped:
                    print(f"{name}: not built ({stopped})", flush=True)
                    continue
                print(f"{name}: built in {built.seconds:.0f} s; timing", flush=True)
                columns[name] = cells(built)
                if options.keep is None:
                    shutil.rmtree(folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(table(columns))
    print(f"(seconds; * over {SLOW:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
