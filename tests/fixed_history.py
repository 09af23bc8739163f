"""A small, fixed history of two runs over five resources, for tests whose output must not vary."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from linkkeeper.config.resources import Config, load_config
from linkkeeper.health.findings import outcome
from linkkeeper.health.state import Health
from linkkeeper.health.vocabulary import STATES as STATE_WORDS
from linkkeeper.store import opening
from linkkeeper.store import queries as storage

LIST = """title: Resources of the test report
resources:
  - url: https://live.example.org/toolkit
    title: A live toolkit
    kind: toolkit
    section: Presentations and tools
  - url: http://old.example.org/centre
    title: A training centre that moved
    kind: organisation
    section: Presentations and tools
  - url: http://gone.example.org/knowledge-base
    title: A knowledge base that died
    kind: knowledge-base
    section: Presentations and tools
    cited_as: "#"
    note: identified from the title
  - url: http://lost.example.org/programme
    title: A programme page with no archived copy
    kind: programme
    section: Presentations
  - url: mailto:someone@example.org
    title: The authors
    kind: contact
    section: Way forward
"""
# url -> (state, finding, extra columns) after the second run; the first run saw the same finding
STATUS_CODES = {"ok": 200, "moved": 301, "http": 404, "dns": None}
STATES = {
    "https://live.example.org/toolkit": ("ok", "ok", {}),
    "http://old.example.org/centre": ("at_risk", "moved", {"moved_to": "https://new.example.org/centre"}),
    "http://gone.example.org/knowledge-base": (
        "dead", "http",
        {"archive_url": "https://web.archive.org/web/20200101000000/http://gone.example.org/knowledge-base",
         "archive_status": "archived"},
    ),
    "http://lost.example.org/programme": ("dead", "dns", {"archive_status": "lost"}),
    "mailto:someone@example.org": ("ok", "ok", {}),
}


def write_history(tmp_path: Path) -> tuple[Config, Database]:
    """Two runs' history written through the storage module, at fixed times, into a real SQLite file."""
    config_path = tmp_path / "resources.yml"
    config_path.write_text(LIST)
    config = load_config(config_path)
    db = opening.open_database(tmp_path / "linkkeeper.db")
    ids = storage.sync_resources(db, config.resources, "2026-11-27T06:00:00+00:00")
    first = "2026-11-28T06:00:00+00:00"
    for day, final in (("2026-11-28", False), ("2026-11-29", True)):
        at = f"{day}T06:00:00+00:00"
        run_id = storage.start_run(db, at, len(ids), "test")
        checks, updates = [], {}
        for url, (state, finding, extra) in STATES.items():
            state, finding = (state, finding) if final else ("ok" if state == "ok" else "at_risk", finding)
            failed = outcome(finding) == "failure"
            checks.append(
                {"run_id": run_id, "resource_id": ids[url], "url": url, "checked_at": at,
                 "outcome": outcome(finding), "finding": finding, "status_code": STATUS_CODES[finding],
                 "state": state, "reason": f"{finding} ({state})", "redirect_chain": [], "elapsed_ms": 120}
            )
            health = Health(
                state, f"{finding} ({state})", at, failures=(2 if final else 1) if failed else 0,
                failing_since=first if failed else None,
            )
            updates[ids[url]] = (health, {"last_checked": at, **(extra if final else {})})
        storage.insert_checks(db, checks)
        counts = {state: sum(1 for s, _, _ in STATES.values() if s == state) for state in STATE_WORDS}
        if not final:
            counts = {"ok": 2, "at_risk": 3, "dead": 0, "unknown": 0}
        storage.finish_run(db, run_id, {"status": "completed", "finished_at": at, **counts}, updates)
    gone = ids["http://gone.example.org/knowledge-base"]
    [snapshot] = storage.queue_snapshots(db, [(gone, "http://gone.example.org/knowledge-base", "lookup")], at)
    storage.update_snapshot(
        db, snapshot, {"status": "archived", "archive_url": STATES["http://gone.example.org/knowledge-base"][2][
            "archive_url"], "completed_at": at}
    )
    return config, db
