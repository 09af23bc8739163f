"""Fixtures: a local web of scenario hosts, and resource lists written to tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from local_web import LocalWeb, respond

FAST = {"timeout": 3, "retries": 1, "retry_backoff": 0.05}


@pytest.fixture
def web():
    with LocalWeb() as local_web:
        local_web.a.route("/canary", lambda request: respond(request, 204))
        yield local_web


@pytest.fixture
def write_config(tmp_path: Path, web: LocalWeb):
    """Write a resources.yml listing `urls` (or resource mappings); fast timeouts, local canaries."""

    def write(resources: list[str | dict], path: Path | None = None, **settings: Any) -> Path:
        path = path or tmp_path / "resources.yml"
        entries = [r if isinstance(r, dict) else {"url": r, "title": r} for r in resources]
        merged = {**FAST, "canaries": [web.a.url + "/canary"], **settings}
        path.write_text(yaml.safe_dump({"settings": merged, "resources": entries}, sort_keys=False))
        return path

    return write
