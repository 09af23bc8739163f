"""The URL rules on their own: which listed URL can be checked at all, which two spellings are one resource,
which host a check counts against, and which two addresses are one site.

`tests/test_bad_input_urls.py` holds the refusals as check-links prints them; these tests pin each rule of
`linkkeeper/urls.py` with its whole message, at each bound and one step beyond it, next to an address the
rule must leave alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from linkkeeper.config.resources import CHECKED_SCHEMES, WEB_SCHEMES
from linkkeeper.urls import MAX_URL_LENGTH, host_key, normalize, on_domain, requestable, same_site, url_problem

BRACKETS = "the URL's host is not valid: brackets must enclose an IPv6 address, as in http://[::1]/"
LOOK_ALIKE = "the URL's host holds a character that Unicode reads as / ? # @ or :"
USER_INFO = "URLs with a user name or password are not supported; list the address without them"
NO_HOST = "the URL has no host name"
PORT = "the URL's port must be a number from 1 to 65535"
NOT_MAIL = "not a mail address"


def problem(url: str) -> str | None:
    """What the list's loader says of `url` as a resource (web pages and mail addresses)."""
    return url_problem(url, CHECKED_SCHEMES)


def invisible(code: str, position: int) -> str:
    return f"the URL holds a space or control character (U+{code}) at character {position}; write a space as %20"


# Which URL can be checked


def test_a_url_of_the_longest_length_allowed_is_accepted():
    url = "https://example.org/" + "a" * (MAX_URL_LENGTH - len("https://example.org/"))
    assert len(url) == 2048
    assert problem(url) is None


def test_a_url_one_character_over_the_length_limit_is_refused_with_its_length():
    url = "https://example.org/" + "a" * (MAX_URL_LENGTH - len("https://example.org/") + 1)
    assert problem(url) == "the URL is 2049 characters long; at most 2048"


@pytest.mark.parametrize(
    ("url", "code", "position"),
    [
        pytest.param(" https://example.org/", "0020", 1, id="space-before-the-scheme"),
        pytest.param("https://exa mple.org/", "0020", 12, id="space-in-the-host"),
        pytest.param("https://example.org/\u00a0", "00A0", 21, id="no-break-space"),
        pytest.param("https://example.org/\u3000", "3000", 21, id="ideographic-space"),
        pytest.param("https://example.org/\u2028", "2028", 21, id="line-separator"),
        pytest.param("https://example.org/\u2029", "2029", 21, id="paragraph-separator"),
        pytest.param("https://example.org/\x85", "0085", 21, id="next-line"),
        pytest.param("https://example.org/\x7f", "007F", 21, id="delete"),
        pytest.param("https://example.org/\x00", "0000", 21, id="nul"),
        pytest.param("https://example.org/\u00ad", "00AD", 21, id="soft-hyphen"),
        pytest.param("https://example.org/\u200d", "200D", 21, id="zero-width-joiner"),
        pytest.param("https://example.org/\u2066", "2066", 21, id="bidi-isolate"),
        pytest.param("https://example.org/\ufeff", "FEFF", 21, id="byte-order-mark"),
    ],
)
def test_a_space_or_invisible_character_is_refused_with_its_code_and_place(url, code, position):
    assert problem(url) == invisible(code, position)


def test_a_space_written_as_percent_20_is_accepted():
    assert problem("https://example.org/annual%20report.pdf") is None


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://[::1/docs//page", id="unclosed-before-a-double-slash"),
        pytest.param("http://example.org]:8080/", id="closing-bracket-only"),
        pytest.param("http://[example.org]/", id="bracketed-name"),
    ],
)
def test_brackets_that_do_not_enclose_an_ipv6_address_are_refused(url):
    assert problem(url) == BRACKETS


def test_brackets_around_an_ipv6_address_with_a_port_are_accepted():
    assert problem("http://[2001:db8::1]:8443/") is None


@pytest.mark.parametrize(
    "character",
    [
        pytest.param("\uff0f", id="fullwidth-solidus"),
        pytest.param("\uff1f", id="fullwidth-question-mark"),
        pytest.param("\uff03", id="fullwidth-number-sign"),
        pytest.param("\uff20", id="fullwidth-at"),
        pytest.param("\uff1a", id="fullwidth-colon"),
    ],
)
def test_a_host_holding_a_unicode_look_alike_of_a_delimiter_is_refused(character):
    assert problem(f"https://example.org{character}evil.example/") == LOOK_ALIKE


def test_a_host_in_another_script_is_accepted():
    assert problem("https://пример.рф/") is None


def test_an_unsupported_scheme_is_named_with_the_schemes_checked():
    assert problem("gopher://example.org/") == "unsupported scheme 'gopher:' (linkkeeper checks http, https, mailto)"


def test_a_url_without_a_scheme_says_so():
    assert problem("//example.org/") == "unsupported scheme no scheme (linkkeeper checks http, https, mailto)"


def test_a_scheme_in_capitals_is_the_same_scheme():
    assert problem("HTTPS://example.org/") is None


def test_a_mail_address_is_refused_where_only_web_pages_are_checked():
    """Canaries and the Wayback Machine's address must be fetched as pages."""
    assert url_problem("mailto:someone@example.org", WEB_SCHEMES) == (
        "unsupported scheme 'mailto:' (linkkeeper checks http, https)"
    )


def test_a_long_unknown_scheme_is_cut_short_in_the_message():
    message = problem("x" * 500 + "://example.org/")
    assert message == f"unsupported scheme '{'x' * 77}...:' (linkkeeper checks http, https, mailto)"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("mailto:someone", id="no-at"),
        pytest.param("mailto:someone@", id="no-domain"),
        pytest.param("mailto:someone@example.org@example.net", id="two-ats"),
    ],
)
def test_a_mailto_that_is_not_one_mail_address_is_refused(url):
    assert problem(url) == NOT_MAIL


def test_a_mailto_with_a_subject_is_accepted():
    assert problem("mailto:someone@example.org?subject=Broken%20link") is None


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://someone@example.org/", id="user"),
        pytest.param("https://@example.org/", id="empty-user"),
        pytest.param("https://someone:secret@example.org:99999/", id="password-before-a-bad-port"),
    ],
)
def test_user_information_is_refused(url):
    assert problem(url) == USER_INFO


@pytest.mark.parametrize("url", ["http:///page", "https://:443/"], ids=["no-authority", "port-only"])
def test_a_url_without_a_host_is_refused(url):
    assert problem(url) == NO_HOST


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        pytest.param("0", PORT, id="zero"),
        pytest.param("1", None, id="one"),
        pytest.param("65535", None, id="highest"),
        pytest.param("65536", PORT, id="one-over-the-highest"),
        pytest.param("", None, id="empty-means-the-default"),
    ],
)
def test_a_port_is_accepted_from_1_to_65535(port, expected):
    assert problem(f"https://example.org:{port}/") == expected


def test_a_port_zero_after_an_ipv6_address_is_refused():
    assert problem("http://[::1]:0/") == PORT


# Which two spellings are one resource


def same_resource(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("HTTPS://EXAMPLE.org/page", "https://example.org/page", id="scheme-and-host-case"),
        pytest.param("http://example.org:80/page", "http://example.org/page", id="http-default-port"),
        pytest.param("https://example.org:443/page", "https://example.org/page", id="https-default-port"),
        pytest.param("https://example.org", "https://example.org/", id="root-without-slash"),
        pytest.param("https://example.org/page#contact", "https://example.org/page", id="fragment"),
        pytest.param(" https://example.org/page\n", "https://example.org/page", id="blanks-around"),
        pytest.param("mailto:Someone@Example.ORG", "mailto:someone@example.org", id="mail-address-case"),
        pytest.param("https://bücher.example/", "https://xn--bcher-kva.example/", id="idn-and-punycode"),
        pytest.param("https://BÜCHER.example/", "https://XN--BCHER-KVA.example/", id="idn-and-punycode-case"),
        pytest.param("mailto:a@bücher.example", "mailto:a@xn--bcher-kva.example", id="idn-mail-domain"),
        pytest.param("https://example.org/café", "https://example.org/caf%C3%A9", id="path-unicode-and-escapes"),
        pytest.param("https://example.org/caf%c3%a9", "https://example.org/caf%C3%A9", id="escape-case"),
        pytest.param("https://example.org/?q=café", "https://example.org/?q=caf%C3%A9", id="query-unicode"),
        pytest.param("https://example.org/%7Euser", "https://example.org/~user", id="escaped-unreserved"),
    ],
)
def test_two_spellings_of_one_address_are_one_resource(a, b):
    assert same_resource(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("http://example.org:8080/", "http://example.org:8081/", id="two-non-default-ports"),
        pytest.param("http://example.org:8080/", "http://example.org/", id="a-port-and-the-default"),
        pytest.param("http://example.org:443/", "http://example.org/", id="https-port-on-http"),
        pytest.param("https://example.org:80/", "https://example.org/", id="http-port-on-https"),
        pytest.param("http://example.org/page", "https://example.org/page", id="http-and-https"),
        pytest.param("https://a.example.org:8080/", "https://b.example.org:8080/", id="two-hosts-on-one-port"),
        pytest.param("https://example.org/page", "https://example.org/page/", id="trailing-slash-on-a-path"),
        pytest.param("https://example.org/Page", "https://example.org/page", id="path-case"),
        pytest.param("https://example.org/?id=1", "https://example.org/?id=2", id="query"),
        pytest.param("mailto:a@example.org", "mailto:b@example.org", id="two-mail-addresses"),
        pytest.param("http://[::1]:8080/", "http://[::1:8080]/", id="an-ipv6-port-and-an-ipv6-address"),
        pytest.param("https://example.org/a%2Fb", "https://example.org/a/b", id="an-escaped-slash-and-a-slash"),
        pytest.param("https://example.org/?a=1%262", "https://example.org/?a=1&2", id="an-escaped-ampersand"),
        pytest.param("https://bücher.example/", "https://bucher.example/", id="an-accent-is-another-host"),
    ],
)
def test_two_different_addresses_are_two_resources(a, b):
    assert not same_resource(a, b)


def test_the_key_spells_an_address_as_it_is_fetched():
    """The importer builds on the key itself (linkkeeper/importer/found.py), not only on its equality."""
    assert normalize("HTTPS://Example.ORG:443/Annual-Report?year=2019#top") == "https://example.org/Annual-Report?year=2019"
    assert normalize("https://Example.ORG:8443") == "https://example.org:8443/"
    assert normalize("MAILTO:Someone@Example.ORG") == "mailto:someone@example.org"
    assert normalize("http://[::1]:80/x") == "http://[::1]/x"
    assert normalize("http://[FE80::1]:8080/x") == "http://[fe80::1]:8080/x"
    assert normalize("https://Bücher.example/café?q=é") == "https://xn--bcher-kva.example/caf%C3%A9?q=%C3%A9"


# Which host a check counts against


@pytest.mark.parametrize(
    ("url", "host"),
    [
        pytest.param("https://Example.ORG:8443/page", "example.org", id="lower-case-without-port"),
        pytest.param("mailto:someone@Example.org", "example.org", id="mail-domain"),
        pytest.param("https://bücher.example/", "xn--bcher-kva.example", id="idna"),
        pytest.param("https://BÜCHER.example/", "xn--bcher-kva.example", id="idna-of-capitals"),
        pytest.param("mailto:kontakt@bücher.example", "xn--bcher-kva.example", id="idna-mail-domain"),
        pytest.param("http://[2001:db8::1]:8080/", "2001:db8::1", id="ipv6"),
    ],
)
def test_a_check_counts_against_its_host_as_the_crawler_names_it(url, host):
    assert host_key(url) == host


def test_every_scheme_and_port_of_a_host_share_its_limit():
    assert host_key("http://example.org/") == host_key("https://example.org:8443/") == "example.org"


@pytest.mark.parametrize("label", ["a" * 64, "ü" * 64], ids=["ascii", "unicode"])
def test_a_host_idna_refuses_counts_under_its_name_as_written(label):
    """The crawler's own IDNA step refuses it alike, so the limit still holds per name."""
    assert host_key(f"https://{label}.example/") == f"{label}.example"


def test_a_host_spelled_in_unicode_or_in_punycode_is_one_host():
    """Local crawlers and a distributed run's frontier share a list by this key: one host, one crawler."""
    assert host_key("http://BÜCHER.example/") == host_key("http://xn--bcher-kva.example/") == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    "url",
    [
        "http://a.test/1",
        "http://B.test:8080/x",
        "mailto:someone@c.test?subject=hi",
        "https://WWW.Example.ORG./trailing-dot",
        "http://xn--bcher-kva.example/",
        "http://[2001:DB8::1]:8080/",
        "http://192.0.2.1/",
        f"https://{'a' * 64}.example/",
        "http://a..b/",
        "file:///no-host",
    ],
)
def test_an_ascii_host_keys_as_its_host_name(url):
    """What a distributed run's frontier keyed its queues by before the key was IDNA-aware: an ASCII host's
    key is unchanged, so a run's queues in Redis do not split between versions."""
    assert host_key(url) == (urlsplit(requestable(url)).hostname or "")


def test_a_mail_address_is_made_fetchable_by_giving_its_domain_a_host_slot():
    assert requestable("mailto:someone@example.org") == "mailto://someone@example.org"


def test_only_the_scheme_of_a_mail_address_is_rewritten():
    assert requestable("mailto:a@example.org?body=mailto:b") == "mailto://a@example.org?body=mailto:b"


def test_a_web_address_mentioning_mailto_is_requested_as_written():
    assert requestable("https://example.org/?to=mailto:a") == "https://example.org/?to=mailto:a"


# Which two addresses are one site


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("https://example.org/a", "https://example.org/b", id="same-host"),
        pytest.param("https://example.org/", "https://www.example.org/", id="www-added"),
        pytest.param("http://example.org/", "https://example.org/", id="https-upgrade"),
        pytest.param("http://www.example.org/", "https://example.org/", id="https-without-www"),
        pytest.param("https://example.org/", "https://example.org:8443/", id="another-port"),
        pytest.param("https://WWW.Example.org/", "https://example.org/", id="host-case"),
    ],
)
def test_two_addresses_are_one_site(a, b):
    assert same_site(a, b) and same_site(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("https://docs.example.org/", "https://example.org/", id="sub-domain"),
        pytest.param("https://example.org/", "https://example.net/", id="another-domain"),
        pytest.param("https://www2.example.org/", "https://example.org/", id="www2"),
        pytest.param("https://wwwexample.org/", "https://example.org/", id="www-without-a-dot"),
        pytest.param("https://www.example.org/", "https://www.example.net/", id="www-on-two-domains"),
    ],
)
def test_two_addresses_are_two_sites(a, b):
    assert not same_site(a, b) and not same_site(b, a)


@pytest.mark.parametrize(
    ("url", "on"),
    [
        ("https://archive.org/web/", True),
        ("https://web.ARCHIVE.org:443/web/2020/x", True),
        ("http://notarchive.org/", False),
        ("http://archive.org.example/", False),
        ("mailto:someone@archive.org", False),
    ],
)
def test_a_url_is_on_a_domain_when_its_host_is_the_domain_or_a_name_under_it(url, on):
    assert on_domain(url, "archive.org") is on
