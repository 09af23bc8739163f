"""Bad input: one clear line naming the file and line (or the path), exit 2, nothing stored touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checking import digest
from cli import check_links_command
from linkkeeper.store.opening import open_database

GOOD_ENTRY = "  - url: http://127.0.0.1:9/ok\n    title: ok\n"


# An error line names the file and the fault; what it echoes of the input is cut short.
LONGEST_MESSAGE = 400


def invoke(config: Path, *args: str):
    return CliRunner().invoke(check_links_command, ["--config", str(config), *args])


def write(tmp_path: Path, text: str | bytes) -> Path:
    config = tmp_path / "resources.yml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    return config


def assert_refused(result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert len(message) <= LONGEST_MESSAGE, message
    for text in expected:
        assert text in message, message


def assert_refused_before_any_write(tmp_path: Path, text: str | bytes, *expected: str) -> None:
    """check-links on `text` as resources.yml exits 2 with one bounded line, and creates no file."""
    before = set(tmp_path.iterdir())
    assert_refused(invoke(write(tmp_path, text)), *expected)
    assert set(tmp_path.iterdir()) <= before | {tmp_path / "resources.yml"}


LIST = "resources:\n"
CASES = [
    pytest.param("resources:\n  - url: [unclosed\n", ["resources.yml:3", "invalid YAML"], id="malformed-yaml"),
    pytest.param(
        "settings:\n  timout: 5\n" + LIST + GOOD_ENTRY,
        ["resources.yml:2", "'timout'", "did you mean 'timeout'"],
        id="unknown-setting",
    ),
    pytest.param(
        "settings:\n  health:\n    dead_after: 2\n" + LIST + GOOD_ENTRY,
        ["resources.yml:3", "dead_after"],
        id="unknown-nested-setting",
    ),
    pytest.param(
        "settings:\n  timeout: soon\n" + LIST + GOOD_ENTRY,
        ["resources.yml:2", "must be a number from 1 to 600"],
        id="wrong-type",
    ),
    pytest.param(LIST + "  - title: no address\n", ["resources.yml:2", "has no `url`"], id="missing-url"),
    pytest.param(
        LIST + GOOD_ENTRY + "  - url: http://127.0.0.1:9/ok#top\n",
        ["resources.yml:4", "duplicate url", "line 2"],
        id="duplicate-url",
    ),
    pytest.param(LIST + "  - url: file:///etc/passwd\n", ["resources.yml:2", "scheme 'file:'"], id="file"),
    pytest.param(LIST + "  - url: javascript:alert(1)\n", ["resources.yml:2", "scheme 'javascript:'"], id="js"),
    pytest.param(LIST + "  - url: ftp://ftp.example.org/x\n", ["resources.yml:2", "scheme 'ftp:'"], id="ftp"),
    pytest.param(
        LIST + "  - url: http://127.0.0.1:9/\n    kind: toolkits\n", ["resources.yml:3", "unknown kind"], id="kind"
    ),
    pytest.param(
        LIST + "  - url: http://127.0.0.1:9/\n    cited_as: '#'\n",
        ["resources.yml:2", "needs a `note`"],
        id="lost-link-without-note",
    ),
    pytest.param(
        LIST + "  - url: http://127.0.0.1:9/\n    colour: red\n",
        ["resources.yml:3", "unknown resource field"],
        id="unknown-field",
    ),
    pytest.param(
        LIST + "  - url: http://127.0.0.1:9/\n    url: http://127.0.0.1:9/b\n",
        ["resources.yml:3", "duplicate key"],
        id="duplicate-key",
    ),
    pytest.param("resources: []\n", ["resources.yml", "non-empty list"], id="empty-list"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_bad_list_is_refused_with_its_file_and_line(tmp_path, text, expected):
    assert_refused_before_any_write(tmp_path, text, *expected)


def test_a_bad_list_leaves_the_existing_database_untouched(tmp_path):
    db = tmp_path / "linkkeeper.db"
    open_database(db).close()
    before = digest(db)
    assert_refused(invoke(write(tmp_path, "resources:\n  - url: file:///etc/passwd\n")))
    assert digest(db) == before
    assert not (tmp_path / "linkkeeper.db.lock").exists()


def test_a_missing_list_is_named(tmp_path):
    assert_refused(invoke(tmp_path / "nowhere.yml"), "nowhere.yml: no such file")


def test_a_database_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path):
    config = write(tmp_path, "resources:\n" + GOOD_ENTRY)
    notes = tmp_path / "notes.db"
    notes.write_text("my precious notes\n")
    assert_refused(invoke(config, "--db", str(notes)), "notes.db: not an SQLite database")
    assert notes.read_text() == "my precious notes\n"


def test_a_database_in_a_missing_directory_is_refused(tmp_path):
    config = write(tmp_path, "resources:\n" + GOOD_ENTRY)
    assert_refused(invoke(config, "--db", str(tmp_path / "no" / "such" / "x.db")), "does not exist")


def test_a_database_where_nothing_can_be_written_is_refused(tmp_path):
    config = write(tmp_path, "resources:\n" + GOOD_ENTRY)
    assert_refused(invoke(config, "--db", "/proc/linkkeeper.db"), "/proc/linkkeeper.db")


def test_an_unknown_option_is_a_usage_error():
    assert CliRunner().invoke(check_links_command, ["--frobnicate"]).exit_code == 2
