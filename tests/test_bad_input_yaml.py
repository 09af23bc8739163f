"""YAML that attacks the reader, and files that are not a list at all: one bounded line, exit 2, nothing written."""

from __future__ import annotations

import os
import time

import pytest
from test_bad_input import GOOD_ENTRY, LONGEST_MESSAGE, assert_refused, assert_refused_before_any_write, invoke

from linkkeeper.config.resources import load_config
from linkkeeper.errors import InputError

LIST = "resources:\n" + GOOD_ENTRY


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": nine lines that expand to 9**9 strings (hundreds of millions) if followed."""
    lines = ["settings:", '  user_agent: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n" + LIST


CASES = [
    pytest.param(alias_bomb(), ["resources.yml:3", "aliases"], id="billion-laughs"),
    pytest.param(
        "settings: &s\n  timeout: 5\nresources:\n  - url: http://127.0.0.1:9/\n    note: *s\n",
        ["resources.yml:5", "aliases (`*name`) are not supported"],
        id="alias",
    ),
    pytest.param(
        "settings:\n  <<: *nowhere\n" + LIST, ["resources.yml:2", "aliases"], id="merge-of-an-alias"
    ),
    pytest.param("settings: " + "[" * 5000 + "]" * 5000 + "\n" + LIST, ["resources.yml:1", "nested more than 50"],
                 id="deep-flow"),
    pytest.param(
        "settings:\n" + "".join(f"{'  ' * n}k{n}:\n" for n in range(1, 200)) + LIST,
        ["resources.yml:50", "nested more than 50"],
        id="deep-block",
    ),
    pytest.param("settings:\n  ? [a, b]\n  : 1\n" + LIST, ["resources.yml:2", "a key must be a plain name"],
                 id="list-key"),
    pytest.param("{{a: 1}: 2}\n", ["resources.yml:1", "a key must be a plain name"], id="mapping-key"),
    pytest.param("settings:\n  timeout: !!int abc\n" + LIST, ["resources.yml:2", "cannot read this value"],
                 id="bad-int-tag"),
    pytest.param("title: 2020-13-45\n" + LIST, ["resources.yml:1", "cannot read this value"], id="bad-date"),
    pytest.param("settings:\n  timeout: " + "1" * 5000 + "\n" + LIST, ["resources.yml:2", "cannot read this value"],
                 id="int-too-long-to-read"),
    pytest.param("title: !!python/object:os.system x\n" + LIST, ["resources.yml:1", "invalid YAML"],
                 id="python-tag"),
    pytest.param("title: !" + "x" * 5000 + " y\n" + LIST, ["resources.yml:1", "invalid YAML", "..."],
                 id="long-tag-clipped"),
    pytest.param(LIST + "  - url: http://127.0.0.1:9/b\n    title: \"\\e]0;pwned\\a\"\n",
                 ["resources.yml:5", "`title` holds the control character U+001B"], id="escape-in-title"),
    pytest.param("title: \"a\\rb\"\n" + LIST, ["resources.yml:1", "control character U+000D"], id="cr-in-title"),
    pytest.param("settings:\n  user_agent: \"x\\r\\nX-Evil: 1\"\n" + LIST, ["resources.yml:2", "U+000D"],
                 id="header-injection"),
    pytest.param("title: a\x00b\n" + LIST, ["resources.yml:1", "control character U+0000"], id="raw-nul"),
    pytest.param(LIST + "  - url: http://127.0.0.1:9/b\n    kind: " + "k" * 100_000 + "\n",
                 ["resources.yml:5", "unknown kind 'kkkk", "..."], id="long-kind-clipped"),
    pytest.param("settings:\n  ? " + "s" * 100_000 + "\n  : 1\n" + LIST, ["resources.yml:2", "unknown setting 'sss"],
                 id="long-key-clipped"),
    pytest.param(b"resources:\n  - url: http://127.0.0.1:9/\n    title: caf\xe9\n",
                 ["resources.yml:3", "not UTF-8"], id="latin-1"),
    pytest.param("", ["resources.yml: the file is empty"], id="empty"),
    pytest.param("# only a comment\n", ["resources.yml: the file is empty"], id="only-a-comment"),
    pytest.param("just some words\n", ["resources.yml:1", "expected a mapping", "not 'just some words'"],
                 id="scalar"),
    pytest.param("- http://127.0.0.1:9/\n", ["resources.yml:1", "expected a mapping", "not a list"], id="list"),
    pytest.param(LIST + "---\n" + LIST, ["resources.yml:4", "invalid YAML"], id="two-documents"),
    pytest.param("resources:\n  - http://127.0.0.1:9/\n", ["resources.yml:2", "must be a mapping"],
                 id="entry-not-a-mapping"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_hostile_yaml_is_refused_in_one_bounded_line(tmp_path, text, expected):
    started = time.monotonic()
    assert_refused_before_any_write(tmp_path, text, *expected)
    assert time.monotonic() - started < 5


def test_an_anchor_without_alias_is_harmless(tmp_path):
    config = tmp_path / "resources.yml"
    config.write_text("settings:\n  timeout: &t 5\n" + LIST)
    assert load_config(config).settings.timeout == 5


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    config = tmp_path / "resources.yml"
    with config.open("w") as file:
        file.write(LIST)
        file.truncate(11 * 1024 * 1024)
    assert_refused_before_any_write(tmp_path, config.read_bytes(), "resources.yml: larger than 10 MiB")


def test_a_directory_is_refused(tmp_path):
    (tmp_path / "list").mkdir()
    with pytest.raises(InputError, match="list: is a directory"):
        load_config(tmp_path / "list")
    assert invoke(tmp_path / "list").exit_code == 2  # click itself refuses a directory for --config


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "resources.yml")
    assert_refused(invoke(tmp_path / "resources.yml"), "resources.yml: not a regular file")


def test_an_unreadable_file_is_named(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    config = tmp_path / "resources.yml"
    config.write_text(LIST)
    config.chmod(0)
    assert_refused(invoke(config), "resources.yml: cannot read: Permission denied")


def test_the_limit_on_messages_holds_for_the_longest_echo(tmp_path):
    assert_refused_before_any_write(tmp_path, LIST + "  - url: http://127.0.0.1:9/\n    \"" + "é" * 10_000 + "\": 1\n")
    assert LONGEST_MESSAGE <= 400
