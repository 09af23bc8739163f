"""After a run's last write: its message queued for every target, then every message still owed sent, each outcome
recorded. Nothing here changes how the run ends: a target that is down, a send that times out, even a database
that refuses the record, is one line on stderr, and the run's exit status stays its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from linkkeeper.clock import now_iso
from linkkeeper.config.resources import Config
from linkkeeper.config.settings import zone
from linkkeeper.config.targets import Target
from linkkeeper.errors import DatabaseReplaced, failure
from linkkeeper.health.vocabulary import COMPLETED
from linkkeeper.notify.changes import events
from linkkeeper.notify.digest import digest
from linkkeeper.notify.send import send
from linkkeeper.runs.run import RunResult
from linkkeeper.runs.summary import Said
from linkkeeper.store import notifications
from linkkeeper.store import queries as storage
from linkkeeper.store.opening import guarded


@dataclass
class Told:
    """What the run learnt, filled in as it goes: its result, then the archive step's outcomes (their JSON)."""

    result: RunResult | None = None
    archive: list[dict[str, Any]] = field(default_factory=list)
    said: Said = field(default_factory=Said)  # the links' rows read after the run, and those still dead


@contextmanager
def notifying(db: Database, config: Config, targets: Sequence[Target], say: Callable[[str], None]) -> Iterator[Told]:
    """Around a run and its archive step: when they end, or fail, tell the targets what counts. A stopped run
    (a signal) tells nothing; neither does one whose database was replaced, which is not the run's to write."""
    told = Told()
    try:
        yield told
    except DatabaseReplaced:
        raise
    except Exception as error:
        if targets:
            _tell(db, config, targets, told, say, failed=str(failure(error)))
        raise
    if targets:
        _tell(db, config, targets, told, say)


def _tell(
    db: Database,
    config: Config,
    targets: Sequence[Target],
    told: Told,
    say: Callable[[str], None],
    failed: str | None = None,
) -> None:
    try:
        now = now_iso()
        links = told.said.links
        if links is None:  # a failed run read none
            links = {row["url"]: row for row in storage.link_health(db)}
        found = events(
            told.result, told.archive, links, config.settings.notify_on, failed, told.said.still_dead,
            zone(config.settings.timezone),
        )
        if found:
            run_id = told.result.run_id if told.result else notifications.last_run(db)
            first = (
                bool(told.result) and told.result.status == COMPLETED and not notifications.completed_before(db, run_id)
            )
            message = digest(config.title, found, told.result, first)
            with guarded(db):
                notifications.queue(
                    db,
                    run_id,
                    now,
                    [(t.key, t.shown) for t in targets],
                    message.title,
                    message.body,
                    message.markdown,
                )
        deliver(db, targets, say)
    except Exception as error:
        say(f"Notifications: {failure(error)}; the run's outcome is unchanged.")


def deliver(db: Database, targets: Sequence[Target], say: Callable[[str], None]) -> None:
    """Send every message still owed to these targets, oldest first, and record each outcome."""
    by_key = {target.key: target for target in targets}
    for message in notifications.due(db, by_key, now_iso()):
        error = send(by_key[message["target_key"]], message["title"], message["body"], message["markdown"])
        with guarded(db):
            notifications.record(db, message["id"], now_iso(), error)
        if error:
            say(f"Notification to {message['target']} failed: {error}. The next run tries again.")


def send_test(targets: Sequence[Target], list_title: str) -> list[tuple[Target, str | None]]:
    """A test message to each target: (target, None when sent or why not)."""
    title = f"Test message — {list_title}"
    body = f"linkkeeper will send what changes in {list_title} here (settings.notify_on says which changes)."
    return [(target, send(target, title, body, body)) for target in targets]
