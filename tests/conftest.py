"""Fixtures: a local web of scenario hosts, resource lists written to tmp_path, and no process left behind."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from checking import FAST_ARCHIVE, SHARED_PROCESSES, adopt_orphans, command_line, descendants, running_descendants
from linkkeeper.store import opening
from local_wayback import LocalWayback
from local_web import LocalWeb
from recorded import Recorder

FAST = {"timeout": 3, "retries": 1, "retry_backoff": 0.05}
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens, a stray call fails at once


@pytest.fixture(autouse=True)
def no_real_archive_or_keys(monkeypatch, tmp_path_factory):
    """No test reaches the real Wayback Machine or reads the developer's own Internet Archive keys."""
    monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", NOWHERE)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    for name in ("IA_ACCESS_KEY", "IA_SECRET_KEY", "IA_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_real_registry(monkeypatch, tmp_path_factory):
    """No test asks a real domain registry (RDAP): the bootstrap file every run reads lists no service."""
    bootstrap = tmp_path_factory.mktemp("rdap") / "dns.json"
    bootstrap.write_text('{"services": []}')
    monkeypatch.setenv("LINKKEEPER_RDAP_BOOTSTRAP", str(bootstrap))


GRACE = 5.0  # seconds for a process already told to stop (a killed process group) to end


def pytest_configure(config):
    # A leaked grandchild whose parent ended is still found below this process; not under mutmut
    # (bench/mutation.py), which waits on the processes it forks and fails on any other it is handed.
    if "MUTANT_UNDER_TEST" not in os.environ:
        adopt_orphans()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order in which pytest-xdist hands modules to its workers: those marked `long` first, then the
    others by their number of tests, as xdist would. A long module handed out last runs on alone after the
    others have ended; handed out first, the other modules' work fills its waits."""
    tests = Counter(item.path for item in items)
    items.sort(key=lambda item: (item.get_closest_marker("long") is None, -tests[item.path]))


def _left_running(before: set[int]) -> set[int]:
    """Processes started since `before` and still running, given GRACE to end; killed once named."""
    deadline = time.monotonic() + GRACE
    while (left := running_descendants(SHARED_PROCESSES) - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _fail_naming(left: set[int], where: str) -> None:
    named = "\n".join(f"  pid {pid}: {command_line(pid)}" for pid in sorted(left))
    for pid in left:  # so that one leak does not cascade into the next test
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pytest.fail(f"{where} left {len(left)} process(es) running:\n{named}", pytrace=False)


@pytest.fixture(autouse=True, scope="module")
def no_process_outlives_its_module():
    """What a module's own fixtures started (a dashboard server, say) has ended once they are torn down."""
    before = running_descendants(SHARED_PROCESSES)
    yield
    if left := _left_running(before):
        _fail_naming(left, "this module's fixtures")


@pytest.fixture(autouse=True)
def no_process_outlives_its_test():
    """Every process a test started, directly or not, has ended when the test and its fixtures are done.

    Processes of wider fixtures (a module's server) were running before the test, and are exempt here.
    """
    before = running_descendants(SHARED_PROCESSES)
    yield
    if left := _left_running(before):
        _fail_naming(left, "this test")


@pytest.fixture
def web():
    with LocalWeb() as local_web:
        local_web.a.route("/canary", status=204)
        yield local_web


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def replayed_crawls(recorder: Recorder, web: LocalWeb, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """`check_here` runs replay what the crawler reported for fixed pages crawled before (tests/recorded.py),
    and start the crawler for the rest. The list of the URLs each run asked for, run by run."""
    asked: list[list[str]] = []
    monkeypatch.setattr("cli.crawl", recorder.fetch_for(web, asked))
    return asked


@pytest.fixture
def write_config(tmp_path: Path, web: LocalWeb):
    """Write a resources.yml listing `urls` (or resource mappings); fast timeouts, local canaries, no archive."""

    def write(resources: list[str | dict], path: Path | None = None, **settings: Any) -> Path:
        path = path or tmp_path / "resources.yml"
        entries = [r if isinstance(r, dict) else {"url": r, "title": r} for r in resources]
        merged = {**FAST, "canaries": [web.a.url + "/canary"], "archive": {"enabled": False}, **settings}
        path.write_text(yaml.safe_dump({"settings": merged, "resources": entries}, sort_keys=False))
        return path

    return write


@pytest.fixture
def wayback(monkeypatch):
    """A local Wayback Machine that the commands run in the test call."""
    with LocalWayback() as local:
        monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", local.base_url)
        yield local


@pytest.fixture
def archiving(write_config):
    """Like `write_config`, with the archive step on and paced for the local Wayback Machine."""

    def write(resources, archive=None, **settings):
        return write_config(resources, archive={**FAST_ARCHIVE, **(archive or {})}, **settings)

    return write


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests (Debian's package; Playwright downloads nothing).

    Per module, not per session: while Playwright's sync API is open its event loop counts as running in
    this thread, and `asyncio.run` (the archive step, run in-process by other modules' tests) would refuse
    to start. Launching takes half a second.
    """
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_FLAGS, Browser

    before = set(descendants())
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # Playwright's driver, Chromium below it, and Chromium's crash handlers, which detach from it and
        # may come up to this process (the subreaper) only later: each is named by its pid, wherever it goes.
        shared = set(descendants()) - before
        SHARED_PROCESSES.update(shared)
        try:
            yield Browser(chromium)
        finally:
            chromium.close()
            SHARED_PROCESSES.difference_update(shared)  # they end with the browser, or the module's check names them


@pytest.fixture
def history(tmp_path):
    """A fixed two-run history (see fixed_history.py): the list's Config and its open database."""
    from fixed_history import write_history

    config, db = write_history(tmp_path)
    yield config, db
    db.close()


@pytest.fixture
def db(tmp_path):
    """A migrated database of the test's own, for tests that drive a layer directly."""
    database = opening.open_database(tmp_path / "linkkeeper.db")
    yield database
    database.close()
