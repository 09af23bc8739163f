"""URLs that cannot be checked are refused at their line, without repeating a password, before any write."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_input import GOOD_ENTRY, assert_refused_before_any_write, invoke, write

from linkkeeper.config.resources import load_config
from linkkeeper.urls import url_problem

LIST = "resources:\n" + GOOD_ENTRY
USERINFO = "URLs with a user name or password are not supported"
PORT = "port must be a number from 1 to 65535"
BRACKETS = "brackets must enclose an IPv6 address"
SPACE = "space or control character"

BAD_URLS = [
    pytest.param("http://user:hunter2@example.org/", USERINFO, id="user-and-password"),
    pytest.param("https://hunter2@example.org/", USERINFO, id="user-only"),
    pytest.param("http://user:hunter2@example.org:99999/", USERINFO, id="password-and-bad-port"),
    pytest.param("http://example.org:99999/", PORT, id="port-too-high"),
    pytest.param("http://example.org:abc/", PORT, id="port-not-a-number"),
    pytest.param("http://example.org:-1/", PORT, id="port-negative"),
    pytest.param("http://example.org:0/", PORT, id="port-zero"),
    pytest.param("http://example.org:+80/", PORT, id="port-signed"),
    pytest.param("http://[::1/", BRACKETS, id="unclosed-bracket"),
    pytest.param("http://host]/", BRACKETS, id="stray-bracket"),
    pytest.param("http://[not-an-address]/", BRACKETS, id="bracketed-name"),
    pytest.param("http://[]/", BRACKETS, id="empty-brackets"),
    pytest.param("http://example\uff03.org@evil/", "Unicode reads as", id="fullwidth-hash"),
    pytest.param("http:///path", "no host name", id="empty-host"),
    pytest.param("http://:80/", "no host name", id="port-without-host"),
    pytest.param("https:example.org", "no host name", id="no-slashes"),
    pytest.param("http://example.org/a page", f"{SPACE} (U+0020) at character 21", id="space"),
    pytest.param("http://example.org/\\ta", SPACE, id="tab"),
    pytest.param("http://example.org/\\u202egnp.exe", f"{SPACE} (U+202E)", id="bidi-override"),
    pytest.param("http://example.org/\\u200b", f"{SPACE} (U+200B)", id="zero-width-space"),
    pytest.param("http://example.org/\\x1b[2J", SPACE, id="escape"),
    pytest.param("http://example.org/" + "a" * 2100, "2119 characters long; at most 2048", id="too-long"),
    pytest.param("mailto:nobody", "not a mail address", id="mailto-without-domain"),
    pytest.param("mailto:a@b@example.org", "not a mail address", id="mailto-two-ats"),
    pytest.param("gopher://example.org/", "unsupported scheme 'gopher:'", id="gopher"),
    pytest.param("example.org/page", "unsupported scheme", id="no-scheme"),
]


@pytest.mark.parametrize(("url", "expected"), BAD_URLS)
def test_a_bad_url_is_refused_at_its_line(tmp_path, url, expected):
    text = LIST + f'  - url: "{url}"\n'
    assert_refused_before_any_write(tmp_path, text, "resources.yml:4", expected)


@pytest.mark.parametrize(("url", "expected"), BAD_URLS[:8])
def test_a_bad_canary_is_refused_with_its_number(tmp_path, url, expected):
    text = f'settings:\n  canaries: ["http://127.0.0.1:9/", "{url}"]\n' + LIST
    assert_refused_before_any_write(tmp_path, text, "resources.yml:2", "canary #2: ", expected)


def test_a_bad_wayback_url_is_refused(tmp_path):
    text = "settings:\n  archive:\n    wayback_url: http://archive:secret@127.0.0.1:9\n" + LIST
    assert_refused_before_any_write(tmp_path, text, "resources.yml:3", "'archive.wayback_url'", USERINFO)


def test_a_password_is_never_printed(tmp_path):
    for url in ("http://user:hunter2@example.org/", "http://user:hunter2@example.org/a b", "http://u:hunter2@[::1/"):
        result = invoke(write(tmp_path, LIST + f'  - url: "{url}"\n'))
        assert result.exit_code == 2 and "hunter2" not in result.output, result.output


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/ok",
        "https://example.org:443/a?b=c#d",
        "http://[::1]:8080/",
        "http://example.org:/",
        "https://bücher.example/straße",
        "http://example.org/" + "a" * 2029,
        "mailto:someone@example.org",
        "http://example.org/path@with-at",
    ],
)
def test_a_good_url_is_accepted(url):
    assert url_problem(url, ("http", "https", "mailto")) is None


def test_the_shipped_list_is_valid():
    assert load_config(Path(__file__).parent.parent / "resources.yml").resources
