"""Serve a linkkeeper database with Datasette: read-only, on loopback unless told otherwise."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from dashboard.metadata import metadata

HERE = Path(__file__).parent


def datasette_command(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "datasette", "serve", str(db_path),
        "--metadata", str(metadata_path),
        "--template-dir", str(HERE / "templates"),
        "--plugins-dir", str(HERE / "plugins"),
        "--host", host,
        "--port", str(port),
        "--setting", "sql_time_limit_ms", "3000",
    ]


def free_port(host: str) -> int:
    """A port nothing listens on now, for `--port 0`, so the address printed is the one served."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def serve(db_path: Path, title: str, host: str, port: int) -> int:
    """Run Datasette until interrupted; Datasette itself prints the address it serves."""
    with tempfile.TemporaryDirectory(prefix="linkkeeper-dashboard-") as folder:
        metadata_path = Path(folder, "metadata.json")
        metadata_path.write_text(json.dumps(metadata(db_path.stem, title)), encoding="utf-8")
        try:
            return subprocess.call(datasette_command(db_path, metadata_path, host, port))
        except KeyboardInterrupt:
            return 0
