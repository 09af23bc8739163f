"""`linkkeeper init`: a first list for someone who has none, commented, that check-links reads as it is; and
what a command says in a folder with no list."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from checking import run_check
from cli import cli
from linkkeeper.config.resources import load_config

REPORT = Path(__file__).parent.parent / "examples" / "egm-digital-government-2019.txt"


def init(folder: Path, *args: str):
    return CliRunner().invoke(cli, ["init", "--config", str(folder / "resources.yml"), *args])


def test_init_writes_a_commented_list_that_check_links_reads(tmp_path):
    result = init(tmp_path, "--title", "Our report: links", "--timezone", "Pacific/Fiji")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "resources.yml").read_text()
    assert text.startswith("# The links linkkeeper keeps alive") and "# notify:" in text
    config = load_config(tmp_path / "resources.yml")
    assert (config.title, config.settings.timezone, len(config.resources)) == ("Our report: links", "Pacific/Fiji", 1)


def test_init_from_a_report_lists_its_links_under_the_commented_settings(tmp_path):
    result = init(tmp_path, "--from", str(REPORT), "--timezone", "UTC")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "resources.yml").read_text()
    assert text.index("# health:") < text.index("resources:")
    config = load_config(tmp_path / "resources.yml")
    assert "http://we-gov.org/" in [resource.url for resource in config.resources]
    assert "publicadministration.un.org" not in text  # the example is only for a list without a report
    assert config.title == tmp_path.name


def test_init_never_replaces_a_list(tmp_path):
    (tmp_path / "resources.yml").write_text("mine\n")
    result = init(tmp_path)
    assert result.exit_code == 2
    assert "already exists" in result.output and "linkkeeper import" in result.output
    assert (tmp_path / "resources.yml").read_text() == "mine\n"


def test_an_unknown_time_zone_is_refused_and_nothing_is_written(tmp_path):
    result = init(tmp_path, "--timezone", "Pacific/Atlantis")
    assert result.exit_code == 2 and "--timezone" in result.output
    assert not (tmp_path / "resources.yml").exists()


def test_check_links_in_a_folder_without_a_list_says_how_to_start(tmp_path):
    done = run_check(tmp_path / "resources.yml")
    assert done.returncode == 2
    assert "linkkeeper init" in done.stderr and done.stderr.count("\n") == 1
