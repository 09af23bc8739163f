"""The documentation (README.md and the pages of docs/, read together) documents every setting, finding, exit
status, command and fault test the code has; the README stays a newcomer's page; the site builds."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cogapp import Cog

from cli import check_links_command, cli
from linkkeeper import errors

ROOT = Path(__file__).parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text()
DOCS_DIR = ROOT / "docs"
PAGES = sorted(DOCS_DIR.glob("**/*.md"))
# The documentation as a whole: a fact may be on any page.
DOCUMENTATION = "\n".join([README, *(page.read_text() for page in PAGES)])
COG_BLOCK = re.compile(r"\[\[\[cog .*?r\.(\w+)\(\).*?\]\]\]")
README_MOST_LINES = 250


def section(title: str) -> str:
    """The text under the heading `title` (of any level, on any page) up to the next heading of its level or
    higher; lines in fenced code are not headings."""
    for text in (README, *(page.read_text() for page in PAGES)):
        lines, level, found, fenced = text.splitlines(), None, [], False
        for line in lines:
            if line.startswith("```"):
                fenced = not fenced
            heading = None if fenced else re.match(r"(#+) (.*)", line)
            if heading and level is not None and len(heading[1]) <= level:
                break
            if level is not None:
                found.append(line)
            elif heading and heading[2].strip() == title:
                level = len(heading[1])
        if level is not None:
            return "\n".join(found)
    raise AssertionError(f"no heading {title!r} in README.md or docs/")


def test_the_tables_are_what_the_code_generates():
    """Settings, exit statuses, findings, the database's columns and the keys of `--json`: `cog -r docs/*.md
    README.md` rewrites them from the code (the columns and keys are held to the code in test_contract.py)."""
    generated = [path for path in [README_PATH, *PAGES] if "[[[cog" in path.read_text()]
    for path in generated:
        relative = path.relative_to(ROOT)
        assert Cog().main(["cog", "--check", str(path)]) == 0, f"run: cog -r {relative}"
    tables = sorted(table for path in generated for table in COG_BLOCK.findall(path.read_text()))
    assert tables == sorted(
        ["exit_status_table", "findings_table", "run_json_table", "schema_tables", "settings_table"]
    ), "each generated table is in the documentation once"


def test_every_exit_status_has_a_meaning():
    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_") and name != "EXIT_STATUSES"}
    assert codes == set(errors.EXIT_STATUSES)


def test_every_command_and_option_is_documented():
    commands = {"check-links": check_links_command, **{f"linkkeeper {n}": c for n, c in cli.commands.items()}}
    for name, command in commands.items():
        assert name in DOCUMENTATION, name
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option not in ("--help", "--version"):
                    assert option in DOCUMENTATION, f"{name} {option}"


def test_the_survival_table_counts_the_fault_suite_as_it_is():
    """Each row's count is the number of test cases pytest collects from the files it names."""
    rows = [line.split("|")[3:5] for line in section("What it survives").splitlines()
            if line.startswith("| ") and "`tests/" in line]
    assert rows
    files = [(count, re.findall(r"`(tests/[^`]+)`", named)) for count, named in rows]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *sorted({path for _, paths in files for path in paths})],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    cases = [line.split("::", 1)[0] for line in collected.stdout.splitlines() if "::" in line]
    for count, paths in files:
        found = sum(case in paths for case in cases)
        assert found == int(count), f"{paths}: {found} cases, the documentation says {count.strip()}"


def test_the_readme_is_a_newcomers_page():
    """What it is, install, a first run, cron, the dashboard, repair and where to read more; the rest is in docs/.
    CI runs the README's install and test commands as written."""
    assert len(README.splitlines()) < README_MOST_LINES, f"README.md is {len(README.splitlines())} lines"
    for command in ("./install.sh", "python3 -m pytest", "pip install .", "linkkeeper import", "check-links --quiet",
                    "linkkeeper dashboard", "linkkeeper repair", "mkdocs build --strict", "mkdocs serve"):
        assert command in README, command


def slug(heading: str) -> str:
    """A heading's anchor as MkDocs makes it (Python-Markdown's toc slugify)."""
    text = re.sub(r"[^\w\s-]", "", heading.replace("`", "")).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def test_the_readmes_links_into_docs_lead_to_a_page_and_heading():
    """MkDocs checks the links between its pages; the README is not one of them, so its links are checked here."""
    links = re.findall(r"\]\((docs/[^)#\s]+)(?:#([^)\s]+))?\)", README)
    assert links
    for target, anchor in links:
        page = ROOT / target
        assert page.is_file(), target
        if anchor:
            headings = [slug(m[1]) for m in re.finditer(r"^#+ (.*)$", page.read_text(), re.MULTILINE)]
            assert anchor in headings, f"{target}#{anchor}"


def nav_pages(entry) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, list):
        return [page for item in entry for page in nav_pages(item)]
    if isinstance(entry, dict):
        return [page for value in entry.values() for page in nav_pages(value)]
    return []


def test_every_docs_page_is_in_the_sites_nav():
    nav = nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"])
    pages = sorted(str(page.relative_to(DOCS_DIR)) for page in PAGES)
    assert sorted(nav) == pages, "mkdocs.yml's nav lists each page of docs/ once"


def test_the_site_builds_strictly(tmp_path):
    """A broken link between pages, a missing anchor or a page left out of nav fails the build."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed: it is in the docs extra (./install.sh installs it)")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "index.html").is_file()
