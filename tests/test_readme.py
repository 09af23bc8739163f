"""The README documents every setting, finding, exit status, command and fault test the code has."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cogapp import Cog

from cli import check_links_command, cli
from linkkeeper import errors

README_PATH = Path(__file__).parent.parent / "README.md"
README = README_PATH.read_text()


def test_the_readme_tables_are_what_the_code_generates():
    """Settings, exit statuses, findings, the database's columns and the keys of `--json`: `cog -r README.md`
    rewrites them from linkkeeper/readme.py (the columns and keys are held to the code in test_contract.py)."""
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
    files = [(count, re.findall(r"`(tests/[^`]+)`", named)) for count, named in rows]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *sorted({path for _, paths in files for path in paths})],
        capture_output=True, text=True, cwd=README_PATH.parent, timeout=120,
    )
    cases = [line.split("::", 1)[0] for line in collected.stdout.splitlines() if "::" in line]
    for count, paths in files:
        found = sum(case in paths for case in cases)
        assert found == int(count), f"{paths}: {found} cases, the README says {count.strip()}"
