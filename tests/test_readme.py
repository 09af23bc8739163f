"""The README documents every setting, finding and exit status the code has."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cli import check_links_command, cli
from linkkeeper import errors
from linkkeeper.findings import FINDINGS
from linkkeeper.settings import SETTINGS

README_PATH = Path(__file__).parent.parent / "README.md"
README = README_PATH.read_text()


def first_column(heading: str) -> set[str]:
    """The names in the first column of the first table after `heading` (backquoted, or the whole cell)."""
    lines = README.split(heading, 1)[1].splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("|"))
    names = set()
    for row in lines[start + 2 :]:
        if not row.startswith("|"):
            break
        cell = row.split("|")[1].strip()
        names.update(re.findall(r"`([^`]+)`", cell) or [cell])
    return names


def test_every_setting_is_in_the_settings_table():
    assert set(SETTINGS) <= first_column("### Settings")


def test_every_exit_status_is_documented():
    codes = {str(value) for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert codes <= first_column("### Exit status")


def test_every_finding_is_documented_with_its_outcome_and_category():
    assert set(FINDINGS) <= first_column("The `finding` of each check says why")
    for finding in FINDINGS.values():
        assert f"| `{finding.name}` | {finding.outcome} | {finding.category} | {finding.label} |" in README


def test_every_command_and_option_is_documented():
    commands = {"check-links": check_links_command, **{f"linkkeeper {n}": c for n, c in cli.commands.items()}}
    for name, command in commands.items():
        assert name in README, name
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option not in ("--help", "--version"):
                    assert option in README, f"{name} {option}"


def test_the_settings_table_gives_each_numeric_default_as_the_code_has_it():
    section = README.split("### Settings", 1)[1]
    for name, spec in SETTINGS.items():
        if isinstance(spec.default, bool) or not isinstance(spec.default, int | float):
            continue
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
        assert float(row.split("|")[2].strip()) == spec.default, name


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
