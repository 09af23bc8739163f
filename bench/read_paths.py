"""The read side against a long history: builds a database of LINKS links checked once a day for DAYS days
(rows written with the store's own functions, states and times drawn from a fixed seed) and times every read
path: the dashboard's landing page, each canned query, chart and link page, and `status`, `history URL` and
`report` run in-process through the command line.

    python3 bench/read_paths.py [--links 1000] [--days 365] [--db PATH]

With --db and an existing file it only times (after opening it as a run would, which migrates it; the
migration's time is printed): build once with one checkout, then time it under another
(`PYTHONPATH=OLD python3 bench/read_paths.py --db X`; copy X first, a newer checkout migrates it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from cli import cli
from dashboard import queries
from linkkeeper.health.vocabulary import AT_RISK, COMPLETED, DEAD, OK, STATES, UNKNOWN
from linkkeeper.store import opening
from linkkeeper.store import queries as storage

OUTCOMES = [("ok", "ok", OK, 200)] * 90 + [("timeout", "failure", AT_RISK, None)] * 5 + [
    ("http", "failure", DEAD, 404)
] * 3 + [("bot-wall", "blocked", UNKNOWN, 403)] * 2


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def build(path: Path, links: int, days: int) -> None:
    rng = random.Random(24)
    with opening.locked(path) as db:
        db["resources"].insert_all(
            {
                "url": f"https://site{n % 400}.example/page/{n}", "title": f"Resource {n}", "kind": "toolkit",
                "section": f"Section {n % 12}", "position": n, "active": 1, "added_at": "2025-01-01T00:00:00",
                "state": OK, "reason": "answered", "failures": 0,
            }
            for n in range(links)
        )
        url_of = dict(db.execute("select id, url from resources").fetchall())
        ids = sorted(url_of)
        first = datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
        state = dict.fromkeys(ids, OK)
        for day in range(days):
            started = first + timedelta(days=day)
            run_id = storage.start_run(db, iso(started), links, "bench")
            rows = []
            for rid in ids:
                finding, outcome, new, status = rng.choice(OUTCOMES)
                state[rid] = new if new != UNKNOWN else state[rid]
                rows.append(
                    {
                        "run_id": run_id, "resource_id": rid, "url": url_of[rid],
                        "checked_at": iso(started + timedelta(seconds=rid % 600)), "finding": finding,
                        "outcome": outcome, "detail": finding, "status_code": status, "final_url": None,
                        "redirect_chain": [], "error_class": None, "error": None,
                        "elapsed_ms": rng.randint(40, 4000) if outcome == "ok" else None,
                        "content_type": "text/html", "content_length": 12000, "truncated": 0,
                        "title": "A page", "fingerprint": "f" * 64, "tls_expires_at": None, "attempts": 1,
                        "moved_to": None, "state": state[rid], "reason": f"{finding} on {iso(started)[:10]}",
                    }
                )
            storage.insert_checks(db, rows)
            counts = {name: sum(1 for s in state.values() if s == name) for name in STATES}
            storage.finish_run(
                db, run_id,
                {"status": COMPLETED, "finished_at": iso(started + timedelta(minutes=10)), "checked": links, **counts},
                {},
            )
        with db.atomic():
            db.conn.executemany(
                "update resources set state = ?, since = ?, last_checked = ? where id = ?",
                [(s, iso(first), iso(first + timedelta(days=days - 1)), rid) for rid, s in state.items()],
            )


def timed(label: str, work) -> None:
    start = time.perf_counter()
    work()
    print(f"{time.perf_counter() - start:8.3f} s  {label}", flush=True)


def measure(path: Path) -> None:
    start = time.perf_counter()
    with opening.locked(path):
        pass
    print(f"{time.perf_counter() - start:8.3f} s  open as a run (migrations)")
    url = "https://site7.example/page/7"
    config = path.with_name("resources.yml")
    with opening.read_only(path) as db:

        def run(sql: str, params: dict | None = None) -> None:
            db.execute(sql, params or {}).fetchall()

        def landing() -> None:
            for name in ("dead_links", "at_risk_links", "last_run_changes"):
                run(queries.CANNED[name][2])
            run("select state, count(*) as links from link_health group by state")
            run("select id, started_at, finished_at, status from runs where status != 'running'"
                " order by id desc limit 1")

        timed("dashboard landing page (its five queries)", landing)
        for name, (_, _, sql) in queries.CANNED.items():
            timed(f"canned query {name}", lambda sql=sql: run(sql, {"url": url}))
        for name in ("STATES_OVER_TIME", "RESPONSE_TIMES", "ARCHIVE_COVERAGE"):
            timed(f"chart {name.lower()}", lambda name=name: run(getattr(queries, name)))
        link_page = (queries.LINK, queries.LINK_CHECKS, queries.LINK_SNAPSHOTS)
        timed("link page (its three queries)", lambda: [run(sql, {"url": url, "limit": 50}) for sql in link_page])
    runner = CliRunner()
    reports = (["report"], ["report", "--format", "html"], ["report", "--format", "atom"])
    for args in (["status"], ["history", url], *reports):
        def command(args=args) -> None:
            result = runner.invoke(cli, [*args, "--db", str(path), "--config", str(config)])
            assert result.exit_code in (0, 1), result.output
        timed("linkkeeper " + " ".join(args), command)


def write_list(path: Path, links: int) -> None:
    lines = ["title: Bench", "resources:"]
    for n in range(links):
        lines += [
            f"  - url: https://site{n % 400}.example/page/{n}", f"    title: Resource {n}", "    kind: toolkit",
            f"    section: Section {n % 12}",
        ]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="linkkeeper-bench-"))
    try:
        path = options.db or folder / "linkkeeper.db"
        if not path.exists():
            start = time.perf_counter()
            build(path, options.links, options.days)
            took = time.perf_counter() - start
            print(f"{took:8.1f} s  built {options.links} links x {options.days} days", flush=True)
        with opening.read_only(path) as db:
            links = db.execute("select count(*) from resources").fetchone()[0]
        write_list(path.with_name("resources.yml"), links)
        print(f"{path.stat().st_size / 1e6:8.1f} MB  {path}")
        measure(path)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    sys.exit(main())
