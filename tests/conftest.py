"""Fixtures: a local web of scenario hosts, and resource lists written to tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from local_web import LocalWeb, respond

FAST = {"timeout": 3, "retries": 1, "retry_backoff": 0.05}
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens, a stray call fails at once


@pytest.fixture(autouse=True)
def no_real_archive_or_keys(monkeypatch, tmp_path_factory):
    """No test reaches the real Wayback Machine or reads the developer's own Internet Archive keys."""
    monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", NOWHERE)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    for name in ("IA_ACCESS_KEY", "IA_SECRET_KEY", "IA_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def web():
    with LocalWeb() as local_web:
        local_web.a.route("/canary", lambda request: respond(request, 204))
        yield local_web


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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's package; Playwright downloads nothing)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def history(tmp_path):
    """A fixed two-run history (see fixed_history.py): the list's Config and its open database."""
    from fixed_history import write_history

    config, db = write_history(tmp_path)
    yield config, db
    db.close()
