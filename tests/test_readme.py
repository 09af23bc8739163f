"""The README documents every setting, finding, exit status, command and fault test the code has."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from cogapp import Cog

from cli import check_links_command, cli
from linkkeeper import errors, storage
from linkkeeper.run import RunResult
from linkkeeper.vocabulary import ARCHIVE_STATUSES, COMPLETED, RUN_STATUSES, SNAPSHOT_STATUSES

README_PATH = Path(__file__).parent.parent / "README.md"
README = README_PATH.read_text()


def test_the_readme_tables_are_what_the_code_generates():
    """Settings, exit statuses and findings: `cog -r README.md` rewrites them from linkkeeper/readme.py."""
    assert Cog().main(["cog", "--check", str(README_PATH)]) == 0, "run: cog -r README.md"


def test_every_exit_status_has_a_meaning():
    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_") and name != "EXIT_STATUSES"}
    assert codes == set(errors.EXIT_STATUSES)


def test_every_command_and_option_is_documented():
    commands = {"check-links": check_links_command, **{f"linkkeeper {n}": c for n, c in cli.commands.items()}}
    for name, command in commands.items():
        assert name in README, name
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option not in ("--help", "--version"):
                    assert option in README, f"{name} {option}"


def test_the_survival_table_counts_the_fault_suite_as_it_is():
    """Each row's count is the number of test cases pytest collects from the files it names."""
    section = README.split("## What it survives", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[3:5] for line in section.splitlines() if line.startswith("| ") and "`tests/" in line]
    assert rows
    for count, files in rows:
        paths = re.findall(r"`(tests/[^`]+)`", files)
        collected = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
            capture_output=True, text=True, cwd=README_PATH.parent, timeout=120,
        )
        cases = [line for line in collected.stdout.splitlines() if "::" in line]
        assert len(cases) == int(count), f"{paths}: {len(cases)} cases, the README says {count.strip()}"


@pytest.mark.parametrize(
    ("column", "vocabulary"),
    [
        ("`archive_status`\n(", ARCHIVE_STATUSES),
        ("`status` (`running`", RUN_STATUSES),
        ("`status` (`pending`", SNAPSHOT_STATUSES),
    ],
    ids=["archive_status", "runs.status", "snapshots.status"],
)
def test_the_schema_lists_every_status_of_the_vocabulary(column, vocabulary):
    start = README.index("(", README.index(column))
    listed = README[start : README.index(")", start)]
    assert re.findall(r"`([^`]+)`", listed) == list(vocabulary)


def test_the_json_option_lists_every_top_level_key():
    result = RunResult(1, COMPLETED, "", "", 0.0, {}, 0, [], [])
    row = next(line for line in README.splitlines() if line.startswith("| `--json` |"))
    assert re.findall(r"`([^`]+)`", row.split("|")[2]) == [*result.to_json(), "archive"]


@pytest.mark.parametrize("table", ["resources", "runs", "checks", "snapshots", "link_health"])
def test_the_schema_names_every_column(tmp_path, table):
    db = storage.open_database(tmp_path / "fresh.db")
    columns = [column.name for column in db[table].columns]
    db.close()
    paragraph = README.split(f"**`{table}`**", 1)[1].split("\n\n", 1)[0]
    assert set(columns) <= set(re.findall(r"`([^`]+)`", paragraph))
