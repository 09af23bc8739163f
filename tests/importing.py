"""`linkkeeper import` run in this process, and the entries it wrote: shared by the import tests."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from cli import cli


def run_import(*args: object) -> Result:
    return CliRunner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def entries(config: Path) -> list[dict]:
    return yaml.safe_load(config.read_text())["resources"]
