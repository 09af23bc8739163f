"""The merge keeps the list a person wrote: comments, order, edits; nothing duplicated or deleted; a
second import changes nothing; `--dry-run` writes nothing. And the seed report's run on today's list."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from importing import run_import

ROOT = Path(__file__).resolve().parent.parent

LIST = """\
# Our links: edit freely.
title: Our report
resources:
  # --- Tools ---
  - url: HTTP://Toolkit.Example.org:80   # the toolkit, as the report printed it
    title: Our own title for the toolkit
    section: Tools
    note: "kept by hand"

  # --- Contacts ---
  - url: mailto:desk@example.org
    section: Contacts

  - url: https://dropped.example.org/page
    title: Printed in the last edition only
    section: Contacts
"""

REPORT = """\
# Tools

- [Implementation toolkit](http://toolkit.example.org/)
- [A new guide](https://guide.example.org/)

# Contacts

Mail desk@example.org or [the lost form](#).
"""


def imported(*args) -> str:
    done = run_import(*args)
    assert done.exit_code == 0, done.output
    return done.output


def lay_out(tmp_path: Path, listed: str = LIST) -> tuple[Path, Path]:
    report, config = tmp_path / "report.md", tmp_path / "resources.yml"
    report.write_text(REPORT)
    config.write_text(listed)
    return report, config


def test_a_new_link_goes_under_its_section_and_every_comment_and_entry_stays(tmp_path):
    report, config = lay_out(tmp_path)
    imported(report, "--config", config)
    assert config.read_text() == LIST.replace("title: Our report\n", "title: Our report\nsource: report.md\n").replace(
        '    note: "kept by hand"\n',
        '    note: "kept by hand"\n\n'
        "  - url: https://guide.example.org/\n"
        "    title: A new guide\n"
        "    section: Tools\n"
        "    cited_as: https://guide.example.org/\n",
    )


def test_a_second_import_changes_nothing(tmp_path):
    report, config = lay_out(tmp_path)
    imported(report, "--config", config)
    once = config.read_text()
    output = imported(report, "--config", config)
    assert config.read_text() == once
    assert "0 new, 3 already listed" in output and f"{config} unchanged: nothing new." in output


def test_an_entry_edited_by_a_person_keeps_its_edits(tmp_path):
    report, config = lay_out(tmp_path)
    imported(report, "--config", config)
    edited = config.read_text().replace("title: A new guide", "title: The guide, renamed by hand  # checked")
    config.write_text(edited)
    imported(report, "--config", config)
    assert config.read_text() == edited


def test_the_same_address_spelt_otherwise_is_not_listed_twice(tmp_path):
    report, config = lay_out(tmp_path)
    imported(report, "--config", config)
    urls = [entry["url"] for entry in yaml.safe_load(config.read_text())["resources"]]
    assert urls.count("HTTP://Toolkit.Example.org:80") == 1 and "http://toolkit.example.org/" not in urls


def test_a_listed_url_no_longer_in_the_report_is_reported_and_kept(tmp_path):
    report, config = lay_out(tmp_path)
    output = imported(report, "--config", config)
    assert "Listed but no longer in the report (1; kept):\n  https://dropped.example.org/page" in output
    assert "https://dropped.example.org/page" in config.read_text()


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path):
    report, config = lay_out(tmp_path)
    output = imported(report, "--config", config, "--dry-run")
    assert config.read_text() == LIST
    assert f"Dry run: {config} unchanged." in output
    assert f"--- {config}\n+++ {config}\n" in output
    assert "+  - url: https://guide.example.org/\n" in output


def test_a_missing_list_is_created_from_the_report(tmp_path):
    report, config = lay_out(tmp_path)
    config.unlink()
    imported(report, "--config", config)
    assert [entry["url"] for entry in yaml.safe_load(config.read_text())["resources"]] == [
        "http://toolkit.example.org/",
        "https://guide.example.org/",
        "mailto:desk@example.org",
    ]


def test_a_lost_link_is_resolved_by_the_entry_a_person_wrote_for_it(tmp_path):
    listed = LIST + (
        "\n  - url: https://forms.example.org/contact\n    title: The lost form (contact)\n"
        '    section: Contacts\n    cited_as: "#"\n    note: "found by hand"\n'
    )
    report, config = lay_out(tmp_path, listed)
    output = imported(report, "--config", config)
    lost = '"the lost form" (section: Contacts, cited as "#")\n      listed as https://forms.example.org/contact'
    assert lost in output
    assert "Lost links, for a person (1, 0 with no URL yet):" in output


def test_the_seed_report_finds_every_printed_link_of_todays_list_and_its_lost_links(tmp_path):
    config = tmp_path / "resources.yml"
    shutil.copy(ROOT / "resources.yml", config)
    output = imported(ROOT / "examples" / "egm-digital-government-2019.txt", "--config", config, "--dry-run")
    listed = yaml.safe_load(config.read_text())["resources"]
    printed = [entry["url"] for entry in listed if entry.get("cited_as", entry["url"]) not in ("#", "")]
    assert len(printed) == 5
    assert output.splitlines()[0] == (
        f"Found 5 links in {ROOT / 'examples/egm-digital-government-2019.txt'}:"
        " 0 new, 5 already listed, 0 not listable; 5 lost; skipped nothing."
    )
    assert "Listed but no longer in the report" not in output
    lost = [line.strip() for line in output.splitlines() if line.startswith('  "')]
    assert lost == [
        '"UNPOG Digital Government" (no section, cited as "#")',
        '"DIGIT4SD Toolkit Digital Government Implementation Toolkit for Sustainable Development"'
        ' (section: Presentations and tools that can support Pacific Islanders, cited as "#")',
        '"eGov toolkit" (section: Presentations and tools that can support Pacific Islanders, cited as "#")',
        '"e-gov knowledge base" (section: Presentations and tools that can support Pacific Islanders, cited as "#")',
        '"Amazon Cloud Services \u2013 Data, the seed of cloud platform"'
        " (section: Presentations and tools that can support Pacific Islanders, named without a link)",
    ]
    assert "0 with no URL yet" in output
