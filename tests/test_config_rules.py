"""The rules of `resources.yml` on their own: each refusal as the one line a volunteer reads (file, line and
fault), and each default a list that leaves a field out gets.

Every list is a real file in `tmp_path`, read by the project's own loader; `tests/test_bad_input*.py` hold
the same refusals as check-links prints them, and the YAML that attacks the reader.
"""

from __future__ import annotations

import json
import os

import pytest
from test_bad_input import assert_refused_before_any_write

from linkkeeper.config.resources import KINDS, TEXT_FIELDS, Resource, load_config
from linkkeeper.config.settings import SETTINGS, Settings
from linkkeeper.errors import InputError

PAGE = "https://example.org/"
ENTRY = f"  - url: {PAGE}\n"
LIST = "resources:\n" + ENTRY


def listed(tmp_path, text: str):
    path = tmp_path / "resources.yml"
    path.write_text(text)
    return load_config(path)


def refusal(tmp_path, text: str) -> str:
    """The error for `text` as the list, its folder cut off: `resources.yml:LINE: fault`."""
    with pytest.raises(InputError) as refused:
        listed(tmp_path, text)
    return str(refused.value).removeprefix(f"{tmp_path}{os.sep}")


def with_settings(block: str) -> str:
    """A list whose `settings:` hold `block` (indented by two), from line 2 on."""
    return "settings:\n" + block + LIST


# The document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("resource:\n" + ENTRY, "resources.yml:1: unknown top-level key 'resource' (did you mean "
                     "'resources'?)", id="near-miss"),
        pytest.param(LIST + "colour: red\n", "resources.yml:3: unknown top-level key 'colour'", id="no-near-key"),
    ],
)
def test_an_unknown_top_level_key_is_refused_with_the_nearest_known_one(tmp_path, text, expected):
    assert refusal(tmp_path, text) == expected


@pytest.mark.parametrize("value", ["5", "[a, b]", "{a: b}"], ids=["number", "list", "mapping"])
def test_a_title_that_is_not_text_is_refused_at_its_line(tmp_path, value):
    assert refusal(tmp_path, LIST + f"title: {value}\n") == "resources.yml:3: `title:` must be a string"


def test_a_title_holding_a_control_character_is_refused_at_its_line(tmp_path):
    assert refusal(tmp_path, LIST + 'title: "Links\\x1b[2J"\n') == (
        "resources.yml:3: `title:` holds the control character U+001B; remove it"
    )


def test_the_list_keeps_the_title_it_gives(tmp_path):
    assert listed(tmp_path, "title: Links of the 2019 survey\n" + LIST).title == "Links of the 2019 survey"


@pytest.mark.parametrize("text", [LIST, "title:\n" + LIST, "title: ''\n" + LIST], ids=["absent", "null", "empty"])
def test_a_list_without_a_title_is_called_resources(tmp_path, text):
    assert listed(tmp_path, text).title == "Resources"


@pytest.mark.parametrize("value", ["5", "[timeout]", "text"], ids=["number", "list", "text"])
def test_settings_that_are_not_a_mapping_are_refused_at_their_line(tmp_path, value):
    assert refusal(tmp_path, LIST + f"settings: {value}\n") == "resources.yml:3: `settings:` must be a mapping"


@pytest.mark.parametrize("text", [LIST, "settings:\n" + LIST, "settings: {}\n" + LIST], ids=["absent", "null", "empty"])
def test_a_list_without_settings_gets_every_default(tmp_path, text):
    assert listed(tmp_path, text).settings == Settings.from_flat({})


def test_each_setting_is_declared_once_and_its_default_is_of_its_kind():
    """The table is read from the dataclasses' fields, so `Settings()` holds each documented default; a default
    written as 30 for a number of seconds would make the setting refuse 30.5."""
    assert Settings().to_dict() == {name: spec.default for name, spec in SETTINGS.items()}
    for name, spec in SETTINGS.items():
        assert type(spec.default) is spec.kind, name


def test_a_list_without_resources_is_refused_naming_the_file(tmp_path):
    assert refusal(tmp_path, "title: Links\n") == "resources.yml: `resources:` must be a non-empty list"


@pytest.mark.parametrize(
    "value", ["[]", "''", f"{{url: {PAGE}}}", PAGE], ids=["empty-list", "empty-text", "mapping", "one-address"]
)
def test_resources_that_are_not_a_non_empty_list_are_refused_at_their_line(tmp_path, value):
    assert refusal(tmp_path, f"title: Links\nresources: {value}\n") == (
        "resources.yml:2: `resources:` must be a non-empty list"
    )


# Settings


def test_a_group_of_settings_that_is_not_a_mapping_is_refused_at_its_line(tmp_path):
    assert refusal(tmp_path, with_settings("  timeout: 5\n  health: 5\n")) == (
        "resources.yml:3: setting 'health' must be a mapping"
    )


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param("  user_agent: 5\n", "resources.yml:2: setting 'user_agent' must be str, got 5", id="str"),
        pytest.param(
            "  archive:\n    enabled: 'yes'\n", "resources.yml:3: setting 'archive.enabled' must be bool, got 'yes'",
            id="bool-given-text",
        ),
        pytest.param(
            "  archive:\n    preserve_ok: 1\n", "resources.yml:3: setting 'archive.preserve_ok' must be bool, got 1",
            id="bool-given-one",
        ),
        pytest.param(
            f"  canaries: {PAGE}\n", f"resources.yml:2: setting 'canaries' must be list, got '{PAGE}'", id="list"
        ),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused_with_the_type_and_the_value(tmp_path, block, expected):
    assert refusal(tmp_path, with_settings(block)) == expected


@pytest.mark.parametrize("name", [name for name, spec in SETTINGS.items() if spec.kind is str])
def test_a_text_setting_holding_a_control_character_is_refused(tmp_path, name):
    group, _, field = name.rpartition(".")
    block = f'  {group}:\n    {field}: "a\\x07b"\n' if group else f'  {name}: "a\\x07b"\n'
    line = 3 if group else 2
    assert refusal(tmp_path, with_settings(block)) == (
        f"resources.yml:{line}: setting '{name}' holds the control character U+0007; remove it"
    )


@pytest.mark.parametrize("name", ["canaries", "nameservers"])
def test_a_list_setting_holding_something_other_than_text_is_refused(tmp_path, name):
    assert refusal(tmp_path, with_settings(f"  {name}: ['9.9.9.9', 53]\n")) == (
        f"resources.yml:2: setting '{name}' must be a list of strings"
    )


def test_a_canary_that_cannot_be_fetched_as_a_page_is_refused_with_its_number(tmp_path):
    assert refusal(tmp_path, with_settings(f"  canaries: ['{PAGE}', 'mailto:someone@example.org']\n")) == (
        "resources.yml:2: canary #2: unsupported scheme 'mailto:' (linkkeeper checks http, https)"
    )


def test_a_wayback_address_that_is_not_a_web_address_is_refused(tmp_path):
    assert refusal(tmp_path, with_settings("  archive:\n    wayback_url: mailto:someone@example.org\n")) == (
        "resources.yml:3: setting 'archive.wayback_url': unsupported scheme 'mailto:' (linkkeeper checks http, https)"
    )


def test_an_unknown_time_zone_is_refused_with_examples(tmp_path):
    assert refusal(tmp_path, with_settings("  timezone: Mars/Olympus_Mons\n")) == (
        "resources.yml:2: setting 'timezone': unknown time zone 'Mars/Olympus_Mons': use an IANA name such as "
        "'UTC', 'Europe/Paris' or 'Pacific/Auckland'"
    )


def test_a_nameserver_that_is_not_an_address_is_refused(tmp_path):
    assert refusal(tmp_path, with_settings("  nameservers: ['9.9.9.9', dns.example.org]\n")) == (
        "resources.yml:2: nameserver 'dns.example.org' is not IP or IP:port (port 1 to 65535)"
    )


def test_settings_given_are_kept_and_those_left_out_keep_their_defaults(tmp_path):
    block = (
        "  timeout: 5\n"
        "  timezone: Pacific/Auckland\n"
        "  canaries: []\n"
        "  nameservers: ['9.9.9.9', '9.9.9.9:5353', '[2001:db8::1]:53']\n"
        "  health:\n    dead_after_failures: 5\n"
        "  archive:\n    enabled: false\n    wayback_url: http://127.0.0.1:8080\n"
    )
    flat = listed(tmp_path, with_settings(block)).settings.to_dict()
    given = {
        "timeout": 5.0,
        "timezone": "Pacific/Auckland",
        "canaries": [],
        "nameservers": ["9.9.9.9", "9.9.9.9:5353", "[2001:db8::1]:53"],
        "health.dead_after_failures": 5,
        "archive.enabled": False,
        "archive.wayback_url": "http://127.0.0.1:8080",
    }
    assert flat == {name: given.get(name, spec.default) for name, spec in SETTINGS.items()}


def test_a_whole_number_given_for_seconds_is_read_as_a_number_of_seconds(tmp_path):
    timeout = listed(tmp_path, with_settings("  timeout: 5\n")).settings.timeout
    assert timeout == 5.0 and isinstance(timeout, float)


# Resources


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_resource_field_that_is_not_text_is_refused_at_its_line(tmp_path, field):
    entry = "  - url: https://example.org/b\n" if field != "url" else "  - title: B\n"
    assert refusal(tmp_path, LIST + entry + f"    {field}: [5]\n") == f"resources.yml:4: `{field}` must be a string"


@pytest.mark.parametrize("field", ["title", "section", "cited_as", "note"])
def test_free_text_holding_a_control_character_is_refused_at_its_line(tmp_path, field):
    text = LIST + "  - url: https://example.org/b\n" + f'    {field}: "a\\x1bb"\n'
    assert refusal(tmp_path, text) == f"resources.yml:4: `{field}` holds the control character U+001B; remove it"


@pytest.mark.parametrize(
    "character",
    ["\\x00", "\\x08", "\\x0b", "\\x0c", "\\x1f", "\\x7f", "\\x80", "\\x9f"],
    ids=["nul", "backspace", "vertical-tab", "form-feed", "unit-separator", "delete", "first-c1", "last-c1"],
)
def test_each_control_character_is_refused_in_free_text(tmp_path, character):
    code = int(character[2:], 16)
    assert refusal(tmp_path, LIST + f'    note: "a{character}b"\n') == (
        f"resources.yml:3: `note` holds the control character U+{code:04X}; remove it"
    )


@pytest.mark.parametrize(
    "character", ["\\t", "\\n", " ", "~", "\\xa0"], ids=["tab", "newline", "space", "tilde", "no-break-space"]
)
def test_tabs_newlines_and_printable_characters_are_kept_in_free_text(tmp_path, character):
    note = listed(tmp_path, LIST + f'    note: "a{character}b"\n').resources[0].note
    assert note == "a" + character.encode().decode("unicode_escape") + "b"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param("    titel: B\n", "resources.yml:4: unknown resource field 'titel' (did you mean 'title'?)",
                     id="near-miss"),
        pytest.param("    colour: red\n", "resources.yml:4: unknown resource field 'colour'", id="no-near-field"),
    ],
)
def test_an_unknown_resource_field_is_refused_with_the_nearest_known_one(tmp_path, entry, expected):
    assert refusal(tmp_path, LIST + "  - url: https://example.org/b\n" + entry) == expected


@pytest.mark.parametrize("url", ["", "''", "'   '"], ids=["null", "empty", "blank"])
def test_a_resource_without_an_address_is_refused_by_its_number_at_its_first_line(tmp_path, url):
    text = LIST + "  - title: B\n" + f"    url: {url}\n"
    assert refusal(tmp_path, text) == "resources.yml:3: resource #2 has no `url`"


def test_the_address_of_a_resource_is_read_without_surrounding_blanks(tmp_path):
    assert listed(tmp_path, f"resources:\n  - url: '  {PAGE}  '\n").resources[0].url == PAGE


def test_a_bad_address_is_refused_at_the_line_of_its_url_key(tmp_path):
    text = LIST + "  - title: B\n    url: https://someone@example.org/\n"
    assert refusal(tmp_path, text) == (
        "resources.yml:4: URLs with a user name or password are not supported; list the address without them"
    )


@pytest.mark.parametrize(
    ("entry", "line", "number"),
    [
        pytest.param("  - https://example.org/b\n", 3, 2, id="second-an-address"),
        pytest.param("  - {url: https://example.org/b}\n  - [https://example.org/c]\n", 4, 3, id="third-a-list"),
        pytest.param(
            "  - url: https://example.org/b\n    title: B\n    note: two lines more\n  - just text\n", 6, 3,
            id="after-a-resource-of-three-lines",
        ),
    ],
)
def test_a_resource_that_is_not_a_mapping_is_refused_by_its_number_and_line(tmp_path, entry, line, number):
    assert refusal(tmp_path, LIST + entry) == (
        f"resources.yml:{line}: resource #{number} must be a mapping with at least `url:`"
    )


def test_a_duplicate_is_refused_at_its_line_naming_the_line_of_the_first(tmp_path):
    text = LIST + "  - url: https://example.org/b\n    title: B\n  - url: HTTPS://Example.org/b#contents\n"
    assert refusal(tmp_path, text) == (
        "resources.yml:5: duplicate url 'HTTPS://Example.org/b#contents' (first at line 3)"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://bücher.example/list", "https://xn--bcher-kva.example/list"),
        ("https://example.org/café", "https://example.org/caf%C3%A9"),
        ("https://example.org/caf%c3%a9", "https://example.org/caf%C3%A9"),
    ],
    ids=["idn-and-punycode", "unicode-and-percent-encoded-path", "escape-case"],
)
def test_an_idn_or_percent_encoded_spelling_of_a_listed_url_is_a_duplicate(tmp_path, first, second):
    text = LIST + f"  - url: {first}\n    title: B\n  - url: {second}\n"
    assert refusal(tmp_path, text) == f"resources.yml:5: duplicate url '{second}' (first at line 3)"


def test_a_url_is_kept_as_it_is_listed_whatever_its_key(tmp_path):
    text = "resources:\n  - url: https://bücher.example/café\n"
    assert [r.url for r in listed(tmp_path, text).resources] == ["https://bücher.example/café"]


def test_one_host_on_two_ports_is_two_resources(tmp_path):
    text = "resources:\n  - url: http://example.org:8080/\n  - url: http://example.org:8081/\n"
    assert [r.url for r in listed(tmp_path, text).resources] == ["http://example.org:8080/", "http://example.org:8081/"]


def test_an_unknown_kind_is_refused_at_its_line_with_the_kinds(tmp_path):
    text = LIST + "  - url: https://example.org/b\n    title: B\n    kind: blog\n"
    assert refusal(tmp_path, text) == (
        "resources.yml:5: unknown kind 'blog' (one of: toolkit, programme, organisation, knowledge-base, report, "
        "contact)"
    )


@pytest.mark.parametrize("cited_as", ["'#'", "''"], ids=["hash", "empty"])
def test_a_link_cited_without_an_address_needs_a_note_on_its_origin(tmp_path, cited_as):
    text = f"resources:\n  - title: Lost toolkit\n    url: {PAGE}\n    cited_as: {cited_as}\n"
    assert refusal(tmp_path, text) == (
        f"resources.yml:3: '{PAGE}': `cited_as: \"{cited_as[1:-1]}\"` needs a `note` on its origin"
    )


def test_a_resource_keeps_every_field_it_gives(tmp_path):
    text = LIST + (
        "  - url: https://example.org/toolkit\n    title: Toolkit\n    kind: toolkit\n    section: Tools\n"
        "    cited_as: '#'\n    note: printed as a dead link\n"
    )
    assert listed(tmp_path, text).resources[1] == Resource(
        url="https://example.org/toolkit",
        title="Toolkit",
        kind="toolkit",
        section="Tools",
        cited_as="#",
        note="printed as a dead link",
        position=1,
        line=3,
    )


def test_a_link_printed_empty_stays_cited_as_empty(tmp_path):
    """The report printed the link with no address at all: the citation a repair must find, not the address."""
    text = f"resources:\n  - url: {PAGE}\n    cited_as: ''\n    note: printed with an empty link\n"
    assert listed(tmp_path, text).resources[0].cited_as == ""


def test_a_resource_leaves_out_fields_as_empty_and_is_cited_as_its_address(tmp_path):
    assert listed(tmp_path, "title: Links\n" + LIST).resources == (
        Resource(url=PAGE, title="", kind="", section="", cited_as=PAGE, note="", position=0, line=3),
    )


def test_fields_left_empty_are_as_if_left_out(tmp_path):
    text = f"resources:\n  - url: {PAGE}\n    title:\n    kind:\n    section:\n    cited_as:\n    note:\n"
    assert listed(tmp_path, text).resources[0] == Resource(PAGE, "", "", "", PAGE, "", position=0, line=2)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_accepted(tmp_path, kind):
    assert listed(tmp_path, LIST + f"    kind: {kind}\n").resources[0].kind == kind


def test_a_mail_address_is_a_contact_unless_its_kind_is_given(tmp_path):
    text = "resources:\n  - url: mailto:office@example.org\n  - url: mailto:press@example.org\n    kind: organisation\n"
    assert [r.kind for r in listed(tmp_path, text).resources] == ["contact", "organisation"]


def test_a_web_address_has_no_kind_unless_given(tmp_path):
    assert listed(tmp_path, LIST).resources[0].kind == ""


def test_the_resources_are_kept_in_the_order_listed(tmp_path):
    text = "resources:\n" + "".join(f"  - url: https://example.org/{n}\n" for n in range(3))
    resources = listed(tmp_path, text).resources
    assert [(r.url, r.position, r.line) for r in resources] == [
        (f"https://example.org/{n}", n, n + 2) for n in range(3)
    ]


# As check-links prints it


def test_check_links_names_the_line_of_a_later_bad_resource(tmp_path):
    assert_refused_before_any_write(
        tmp_path,
        LIST + "  - url: https://example.org/b\n    title: B\n  - url: gopher://example.org/\n",
        "resources.yml:5: unsupported scheme 'gopher:'",
    )


def test_a_notification_url_never_leaves_the_process_with_the_settings(tmp_path):
    """A crawler's job file and Redis (for workers elsewhere) get the settings `shared()`: an Apprise URL holding
    a token stays in the list, and the crawler, which never reads it, gets its default."""
    path = tmp_path / "resources.yml"
    path.write_text(
        'settings:\n  notify: ["json://user:s3cret-token@127.0.0.1:9/hook"]\n'
        "resources:\n  - url: https://a.example.org/\n"
    )
    settings = load_config(path).settings
    assert "s3cret-token" not in json.dumps(settings.shared())
    assert Settings.from_flat(settings.shared()).notify == ()
    assert {**settings.shared(), "notify": list(settings.notify)} == settings.to_dict()
