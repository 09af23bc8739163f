"""Human times (linkkeeper/output/times.py) and the `timezone` setting they are read in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from cli import cli
from linkkeeper.config.settings import Settings
from linkkeeper.output import times

NOW = "2026-11-29T10:37:41+00:00"
AUCKLAND = ZoneInfo("Pacific/Auckland")


@pytest.mark.parametrize(
    ("then", "said"),
    [
        ("2026-11-29T10:37:20+00:00", "just now"),
        ("2026-11-29T10:36:41+00:00", "1 minute ago"),
        ("2026-11-29T09:08:41+00:00", "89 minutes ago"),
        ("2026-11-29T09:07:41+00:00", "2 hours ago"),
        ("2026-11-29T07:37:41+00:00", "3 hours ago"),
        ("2026-11-26T10:37:41+00:00", "3 days ago"),
        ("2026-08-29T10:37:41+00:00", "3 months ago"),
        ("2019-06-05T00:00:00+00:00", "7 years ago"),
        ("2026-12-09T10:37:41+00:00", "in 10 days"),
    ],
)
def test_a_time_reads_in_the_largest_unit_that_reads_well(then, said):
    assert times.ago(then, NOW) == said


def test_the_exact_time_is_in_the_zone_asked_with_its_abbreviation():
    assert times.exact(NOW, AUCKLAND) == "2026-11-29 23:37 NZDT"
    assert times.exact("2026-06-29T10:37:41+00:00", AUCKLAND) == "2026-06-29 22:37 NZST"
    assert times.human(NOW, AUCKLAND, NOW) == "just now (2026-11-29 23:37 NZDT)"
    assert times.day("2026-11-29T12:00:00+00:00", AUCKLAND) == "2026-11-30"


def test_an_archived_copy_is_named_by_its_capture_date_even_when_only_its_address_has_it():
    copy = "https://web.archive.org/web/20190605123456/http://we-gov.org/"
    assert times.archived_words(copy, None) == "archived 2019-06-05"
    assert times.archived_words(copy, "2019-06-04T20:00:00+00:00") == "archived 2019-06-04"
    assert times.archived_words(None, None) is None


def test_a_capture_is_dated_as_the_archive_dates_it_whatever_the_lists_zone():
    """Captured at 22:00 UTC on 1 August 2019: in Fiji it was already the 2nd, but the archive's copy says the 1st."""
    copy = "https://web.archive.org/web/20190801220000/http://we-gov.org/"
    assert times.archived_words(copy, None) == "archived 2019-08-01"
    assert times.archived_words(copy, "2019-08-01T22:00:00+00:00") == "archived 2019-08-01"


def test_the_timezone_setting_defaults_to_utc_and_takes_an_iana_name():
    assert Settings.from_flat({}).timezone == "UTC"
    assert Settings.from_flat({"timezone": "Pacific/Auckland"}).timezone == "Pacific/Auckland"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "", "NZ Daylight Time"])
def test_an_unknown_time_zone_is_bad_input_said_in_one_line(tmp_path, zone):
    config = tmp_path / "resources.yml"
    config.write_text(f"settings:\n  timezone: {zone!r}\nresources:\n  - url: https://example.org/\n")
    result = CliRunner().invoke(cli, ["report", "--config", str(config)])
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert "setting 'timezone': unknown time zone" in line and "IANA" in line
    assert not (tmp_path / "linkkeeper.db").exists()


def test_status_reads_the_zone_from_the_settings_block_wherever_it_stands(tmp_path):
    from linkkeeper.output.terminal import timezone_of

    listed = "resources:\n  - url: https://a.example.org/\n"
    (tmp_path / "first.yml").write_text("settings:\n  timezone: Pacific/Fiji\n" + listed)
    (tmp_path / "last.yml").write_text(listed + "settings:\n  timeout: 5\n  timezone: Pacific/Fiji  # readers' zone\n")
    (tmp_path / "flow.yml").write_text('{settings: {timezone: Pacific/Fiji}, resources: [{url: "https://a.example.org/"}]}')
    (tmp_path / "quoted.yml").write_text('"settings":\n  "timezone": Pacific/Fiji\n' + listed)
    (tmp_path / "none.yml").write_text(listed)
    (tmp_path / "empty.yml").write_text("settings:\n  # timezone: Pacific/Fiji\n" + listed)
    for name in ("first", "last", "flow", "quoted"):
        assert timezone_of(tmp_path / f"{name}.yml").key == "Pacific/Fiji", name
    assert timezone_of(tmp_path / "none.yml").key == timezone_of(tmp_path / "empty.yml").key == "UTC"


def test_the_zone_is_read_without_reading_the_links(tmp_path):
    """A list whose links are not even valid YAML past its settings: status still gets its zone at once."""
    from linkkeeper.config.yaml_input import settings_block

    (tmp_path / "resources.yml").write_text("settings:\n  timezone: Pacific/Fiji\nresources:\n  - url: [unclosed\n")
    assert settings_block(tmp_path / "resources.yml") == {"timezone": "Pacific/Fiji"}
    (tmp_path / "bare.yml").write_text("title: T\nresources:\n  - url: [unclosed\n")
    assert settings_block(tmp_path / "bare.yml") == {}


def test_a_zone_the_machine_does_not_know_is_bad_input_naming_its_line(tmp_path):
    from linkkeeper.errors import InputError
    from linkkeeper.output.terminal import timezone_of

    path = tmp_path / "resources.yml"
    path.write_text("settings:\n  timezone: Pacific/Atlantis\nresources:\n  - url: https://a.example.org/\n")
    with pytest.raises(InputError, match=rf"{path}:2"):
        timezone_of(path)
