"""Numbers in settings: NaN, infinity and values outside the documented range are refused before any write."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_bad_input import GOOD_ENTRY, assert_refused_before_any_write

from linkkeeper.config.resources import load_config
from linkkeeper.config.settings import GROUPS, SETTINGS

README = (Path(__file__).parent.parent / "docs" / "list.md").read_text()  # the settings table
NUMBERS = [name for name, spec in SETTINGS.items() if spec.kind in (int, float)]


def listing(name: str, value: str) -> tuple[str, int]:
    """resources.yml setting `name` (dotted) to the YAML `value`, and the line it is on."""
    group, _, field = name.rpartition(".")
    settings = f"  {group}:\n    {field}: {value}\n" if group else f"  {name}: {value}\n"
    return "settings:\n" + settings + "resources:\n" + GOOD_ENTRY, 3 if group else 2


def outside(name: str) -> list[str]:
    spec = SETTINGS[name]
    return [repr(spec.kind(spec.minimum - 1)), repr(spec.kind(spec.maximum + 1))]


@pytest.mark.parametrize("name", NUMBERS)
@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "below", "above"])
def test_a_number_outside_its_range_is_refused_with_the_range(tmp_path, name, value):
    value = {"below": outside(name)[0], "above": outside(name)[1]}.get(value, value)
    text, line = listing(name, value)
    assert_refused_before_any_write(tmp_path, text, f"resources.yml:{line}", f"'{name}'", SETTINGS[name].range)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("retries", "2.5", "must be a whole number from 0 to 10, got 2.5"),
        ("concurrency", "true", "must be a whole number from 1 to 1000, got True"),
        ("timeout", "1e3", "must be a number from 1 to 600, got '1e3'"),
        ("timeout", "[1, 2]", "must be a number from 1 to 600, got a list"),
        ("timeout", "1" + "0" * 400, "must be a number from 1 to 600, got 1000"),
        ("max_body_bytes", "1023", "from 1024 to 67108864, got 1023"),
    ],
    ids=["fraction-for-count", "bool", "string", "list", "huge-int", "just-below"],
)
def test_a_number_of_the_wrong_kind_is_refused(tmp_path, name, value, expected):
    text, line = listing(name, value)
    assert_refused_before_any_write(tmp_path, text, f"resources.yml:{line}", expected)


@pytest.mark.parametrize("server", ["127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:-1", "127.0.0.1:\u0663"])
def test_a_nameserver_with_a_bad_port_is_refused(tmp_path, server):
    text, line = listing("nameservers", f"['{server}']")
    assert_refused_before_any_write(tmp_path, text, f"resources.yml:{line}", "port 1 to 65535")


def test_the_ends_of_every_range_are_accepted(tmp_path):
    for end in ("minimum", "maximum"):
        values = {name: getattr(SETTINGS[name], end) for name in NUMBERS}
        lines = [f"  {name.rpartition('.')[2]}: {value}" for name, value in values.items() if "." not in name]
        for group in GROUPS:
            lines.append(f"  {group}:")
            lines += [f"    {n.partition('.')[2]}: {v}" for n, v in values.items() if n.startswith(group + ".")]
        config = tmp_path / f"{end}.yml"
        config.write_text("settings:\n" + "\n".join(lines) + "\nresources:\n" + GOOD_ENTRY)
        flat = load_config(config).settings.to_dict()
        assert {name: flat[name] for name in NUMBERS} == values


def test_every_number_has_a_finite_range_holding_its_default():
    for name in NUMBERS:
        spec = SETTINGS[name]
        assert math.isfinite(spec.minimum) and math.isfinite(spec.maximum), name
        assert spec.minimum <= spec.default <= spec.maximum, name


def test_the_readme_gives_each_range_as_the_code_has_it():
    section = README.split("## Settings", 1)[1]
    for name in NUMBERS:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
        assert row.split("|")[3].strip() == SETTINGS[name].range, name
