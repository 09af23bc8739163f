"""The soft-404 rules on their own (crawler/rules/soft404.py): the probe, the comparison with the host's answer for
a path that cannot exist, and what a page that answers with 200 is judged by.

A host's error page served with 200 is found by comparison, never by its words alone, so each threshold of
the comparison is pinned at its value, just below and above it, with the smallest pages that reach it.
"""

from __future__ import annotations

import itertools
import re

import pytest

from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import read_page
from crawler.rules.soft404 import (
    Comparison,
    compare,
    deep_to_home,
    judge_soft_404,
    probe_key,
    probe_url,
    same_answer,
    script_says_not_found,
    similarity_evidence,
)

URL = "https://example.org/reports/egm-2019.pdf"
HOME = "https://example.org/"
PROBE_NAME = r"linkkeeper-probe-[0-9a-f]{12}"
REPORT = "Small island states plan their digital services with this toolkit chapter by chapter"
# Pages whose word pairs share a known part: SORRY shares 6 of 10 pairs with SORRY_SEARCH (0.6),
# WANTED 8 of 10 with WANTED_AGAIN (0.8), and SORRY_GONE 5 of 9 with SORRY_GONE_LONG (just below 0.6).
SORRY = "Sorry, we could not find that page."
SORRY_SEARCH = SORRY + " Try the search box."
WANTED = "Sorry, we could not find the page you wanted."
WANTED_AGAIN = WANTED + " Search again."
WANTED_ELSEWHERE = WANTED + " Search elsewhere."
SORRY_GONE = "Sorry, that page is gone now."
SORRY_GONE_LONG = SORRY_GONE + " Try the search box."


def html(title: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def words(count: int) -> str:
    """A paragraph of `count` words of a real report's text."""
    return f"<p>{' '.join(itertools.islice(itertools.cycle(REPORT.split()), count))}</p>"


def fetched(page: str = "", url: str = URL, status: int | None = 200, **fetch) -> Fetch:
    return Fetch(url=url, status=status, page=read_page(page or html()), **fetch)


def probe(page: str = "", status: int | None = 404, near: str = URL, **fetch) -> Fetch:
    """The host's answer for a path that cannot exist beside `near`."""
    return fetched(page or html("Not Found", "<h1>Not Found</h1>"), url=probe_url(near), status=status, **fetch)


def compared(text: str, probe_text: str, title: str = "Oops", probe_title: str = "Oops") -> Comparison:
    """The page of one paragraph against the host's 404 page of another."""
    return compare(fetched(html(title, f"<p>{text}</p>")), probe(html(probe_title, f"<p>{probe_text}</p>")))


def redirected(to: str, url: str = URL, page: str = "", status: int = 302) -> Fetch:
    return fetched(page or html("Welcome", words(300)), url=url, chain=(Hop(url, status),), final_url=to)


def soft_404(fetch: Fetch, missing: Fetch | None = None):
    """The verdict of the soft-404 rules on a page, compared with the host's answer as the crawler compares it."""
    return judge_soft_404(fetch, compare(fetch, missing), missing)


# The probe: a path that cannot exist, beside the checked page


def test_the_probe_asks_in_the_same_folder_for_a_name_that_cannot_exist():
    assert re.fullmatch(rf"https://example\.org/reports/{PROBE_NAME}\.pdf", probe_url(URL))


@pytest.mark.parametrize("extension", [".pdf", ".html", ".shtml"], ids=["pdf", "html", "six-characters"])
def test_the_probe_keeps_a_short_extension(extension):
    """A server may answer a missing `.pdf` and a missing `.html` differently: the probe asks like the page."""
    probe = probe_url(f"https://example.org/docs/a{extension}")
    assert re.fullmatch(rf"https://example\.org/docs/{PROBE_NAME}\{extension}", probe)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/docs/report.backup", "https://example.org/news/v1.2-release-notes"],
    ids=["seven-characters", "a-dot-in-a-slug"],
)
def test_the_probe_drops_what_follows_a_dot_when_it_is_too_long_to_be_an_extension(url):
    assert re.fullmatch(rf"https://example\.org/(docs|news)/{PROBE_NAME}", probe_url(url))


@pytest.mark.parametrize("url", ["https://example.org", "https://example.org/", "https://example.org/about"])
def test_the_probe_of_a_page_at_the_root_asks_at_the_root(url):
    assert re.fullmatch(rf"https://example\.org/{PROBE_NAME}", probe_url(url))


def test_the_probe_of_a_folder_asks_inside_it():
    assert re.fullmatch(rf"https://example\.org/docs/{PROBE_NAME}", probe_url("https://example.org/docs/"))


def test_the_probe_leaves_out_the_query_and_the_fragment():
    assert re.fullmatch(rf"https://example\.org/{PROBE_NAME}\.asp", probe_url("https://example.org/view.asp?id=4#top"))


def test_the_probe_keeps_the_scheme_and_the_port():
    assert re.fullmatch(rf"http://intranet\.example\.org:8080/a/{PROBE_NAME}\.html",
                        probe_url("http://intranet.example.org:8080/a/b.html"))


def test_each_probe_asks_for_a_new_name():
    assert probe_url(URL) != probe_url(URL)


def test_one_probe_answers_for_every_page_of_a_host():
    assert probe_key("https://Example.ORG/reports/a.pdf?x=1") == probe_key(URL) == "https://example.org"


@pytest.mark.parametrize(
    "url",
    ["http://example.org/reports/a.pdf", "https://example.org:8443/reports/a.pdf", "https://www.example.org/a.pdf"],
    ids=["another-scheme", "another-port", "another-host"],
)
def test_another_scheme_port_or_host_is_probed_on_its_own(url):
    assert probe_key(url) != probe_key(URL)


def test_the_probe_key_names_the_port():
    assert probe_key("https://example.org:8443/a") == "https://example.org:8443"


# What a comparison shows


@pytest.mark.parametrize(
    ("comparison", "conclusive"),
    [
        (Comparison(), False),
        (Comparison(0.1, False, "similarity 0.10"), True),
        (Comparison(1.0, False, "the very same page", bare=True), False),
    ],
    ids=["not-compared", "compared", "bare"],
)
def test_a_comparison_is_conclusive_when_the_pages_were_compared_and_are_not_bare(comparison, conclusive):
    """Two bare pages say nothing of which page is the error page: only their own words can."""
    assert comparison.conclusive is conclusive


@pytest.mark.parametrize(
    ("comparison", "alike"),
    [
        (Comparison(None, True, "lands on the same page"), True),
        (Comparison(0.8, False, "similarity 0.80"), True),
        (Comparison(1.0, False, "similarity 1.00"), True),
        (Comparison(0.79, False, "similarity 0.79"), False),
        (Comparison(1.0, False, "the very same page", bare=True), False),
        (Comparison(), False),
    ],
    ids=["same-landing", "at-same-page", "identical", "below-same-page", "bare", "not-compared"],
)
def test_pages_are_alike_when_they_land_on_one_page_or_their_words_are_at_least_eighty_percent_alike(
    comparison, alike
):
    assert comparison.alike is alike


@pytest.mark.parametrize(
    ("comparison", "host_wide"),
    [
        (Comparison(None, True, "lands on the same page"), True),
        (Comparison(0.9, False, "similarity 0.90"), True),
        (Comparison(1.0, False, "the very same page", bare=True), True),
        (Comparison(0.5, False, "similarity 0.50"), False),
        (Comparison(), False),
    ],
    ids=["same-landing", "alike", "bare", "unlike", "not-compared"],
)
def test_the_host_answers_every_address_with_a_page_alike_or_bare(comparison, host_wide):
    assert comparison.host_wide is host_wide
    assert (similarity_evidence(comparison) is not None) is host_wide


def test_the_evidence_that_the_whole_host_answers_with_a_page_names_the_comparison():
    said = similarity_evidence(Comparison(0.9, False, "similarity 0.90 to the host's answer"))
    assert said == "the whole host answers with it (similarity 0.90 to the host's answer)"


# Comparing a page with the host's answer for a path that cannot exist


@pytest.mark.parametrize(
    "missing",
    [None, Fetch(url=probe_url(URL), error_class="timeout", error="took too long"), probe(status=None)],
    ids=["no-probe", "probe-failed", "probe-without-status"],
)
def test_a_page_is_not_compared_when_the_host_could_not_be_probed(missing):
    assert compare(fetched(html("Not Found", "<h1>Not Found</h1>")), missing) == Comparison()


@pytest.mark.parametrize("status", [401, 403, 429], ids=["401", "403", "429"])
def test_a_refusal_of_the_probe_is_no_answer_to_compare_with(status):
    """A host that turns the checker away turns away every address: that says nothing of the page."""
    page = html("Access denied", "<h1>Access denied</h1>")
    comparison = compare(fetched(page), probe(page, status))
    assert comparison == Comparison() and not comparison.host_wide


@pytest.mark.parametrize("status", [200, 404, 410, 500], ids=["200", "404", "410", "500"])
def test_any_other_answer_of_the_probe_is_compared(status):
    page = html("Oops", "<h1>We looked everywhere</h1>")
    assert compare(fetched(page), probe(page, status)).host_wide


def test_a_path_that_cannot_exist_landing_where_the_page_landed_is_the_same_page():
    missing = redirected("https://EXAMPLE.org/sorry?from=probe", url=probe_url(URL), page=html("Sorry", words(40)))
    comparison = compare(redirected("https://example.org/sorry"), missing)
    assert (comparison.same_landing, comparison.similarity, comparison.alike) == (True, 1.0, True)
    assert comparison.evidence == (
        "a path that cannot exist lands on the same page 'https://EXAMPLE.org/sorry?from=probe'"
    )


SORRY_PAGE = html("Sorry", "<p>Nothing to see here.</p>")


@pytest.mark.parametrize(
    ("page", "missing"),
    [
        (fetched(url="https://example.org/sorry"), redirected("https://example.org/sorry", probe_url(URL), SORRY_PAGE)),
        (redirected("https://example.org/sorry"), fetched(SORRY_PAGE, url=probe_url(URL))),
        (redirected("https://example.org/sorry"), redirected("https://example.org/help", probe_url(URL), SORRY_PAGE)),
        (redirected("https://example.org/sorry"),
         redirected("https://cdn.example.org/sorry", probe_url(URL), SORRY_PAGE)),
    ],
    ids=["page-not-redirected", "probe-not-redirected", "another-path", "another-host"],
)
def test_only_two_redirects_to_one_page_are_the_same_landing(page, missing):
    assert not compare(page, missing).same_landing


def test_two_identical_pages_of_almost_no_words_are_bare():
    shell = html("Portal", f"<div id='root'>{' '.join(REPORT.split()[:11])}</div><script src='/app.js'></script>")
    comparison = compare(fetched(shell), probe(shell, 200))
    assert (comparison.bare, comparison.similarity, comparison.host_wide, comparison.alike) == (True, 1.0, True, False)
    assert comparison.evidence == "a path that cannot exist gets the very same page"


def test_two_identical_pages_of_twelve_words_are_compared_by_their_words():
    page = html("Portal", f"<div id='root'>{' '.join(REPORT.split()[:12])}</div><script src='/app.js'></script>")
    comparison = compare(fetched(page), probe(page, 200))
    assert (comparison.bare, comparison.similarity, comparison.alike) == (False, 1.0, True)
    assert comparison.evidence.startswith("similarity 1.00 to the host's answer for a path that cannot exist")


def test_pages_of_almost_no_words_that_differ_are_not_bare():
    comparison = compare(fetched(html("Portal", "<p>Loading the portal</p>")), probe(html("Portal", "<p>Loading</p>")))
    assert not comparison.bare


def echoing(path: str) -> str:
    """An error page that repeats the address asked for, as Apache's and many others do."""
    return html(f"Not found: {path}", f"<h1>Not found: {path}</h1><p>The requested document {path} is not on"
                " this server. Check the address for typing errors, or start again from the home page.</p>")


def path_of(url: str) -> str:
    return url.split("example.org", 1)[1]


@pytest.mark.parametrize(
    "echo", [path_of, lambda url: url.rsplit("/", 1)[1], lambda url: url.rsplit("/", 1)[1].rsplit(".", 1)[0]],
    ids=["path", "file-name", "file-name-without-extension"],
)
def test_the_address_an_error_page_repeats_is_left_out_of_the_comparison(echo):
    missing = probe_url(URL)
    comparison = compare(fetched(echoing(echo(URL))), fetched(echoing(echo(missing)), url=missing, status=404))
    assert comparison.similarity == 1.0 and comparison.alike


def name_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("url", "echo"),
    [
        (URL, path_of),
        ("https://example.org/reports/egm-2019/", path_of),
        ("https://example.org/reports/egm-2019/", name_of),
        ("https://example.org/faq", name_of),
    ],
    ids=["file-path", "folder-path", "folder-name", "three-letter-name"],
)
def test_a_terse_error_page_is_bare_whatever_address_it_repeats(url, echo):
    """Error pages repeat the address as they got it: whole, or only its last name, even a folder's."""
    missing = probe_url(url)
    terse = "<!doctype html><html><body>No such page: {}</body></html>"
    comparison = compare(fetched(terse.format(echo(url)), url=url), fetched(terse.format(echo(missing)), url=missing))
    assert comparison.bare


def test_a_two_letter_name_is_no_echo_to_cut_out_of_the_words():
    """A language's folder (`/en/`) would cut every word that holds its two letters in two."""
    language = "https://example.org/en/"
    comparison = compare(fetched(html("Oops", f"<p>{WANTED}</p>"), url=language),
                         probe(html("Sorry", f"<p>{WANTED} Search content.</p>"), near=language))
    assert comparison.similarity == 0.8 and comparison.alike


# The same title, and the threshold of the same page


@pytest.mark.parametrize(
    ("text", "probe_text", "similarity"),
    [(SORRY, SORRY_SEARCH, 0.80), (WANTED, WANTED_ELSEWHERE, 0.80), (WANTED, WANTED_AGAIN, 0.80)],
    ids=["sixty-percent", "seventy-seven-percent", "eighty-percent"],
)
def test_pages_of_one_title_at_least_sixty_percent_alike_are_the_same_page(text, probe_text, similarity):
    comparison = compared(text, probe_text)
    assert comparison.alike and comparison.similarity == pytest.approx(similarity)
    assert comparison.evidence == (
        f"similarity {similarity:.2f} to the host's answer for a path that cannot exist (404 'Oops')"
    )


def test_a_shared_title_never_lowers_a_similarity():
    comparison = compared(REPORT, REPORT + " today")
    assert comparison.similarity == pytest.approx(12 / 13)


def test_pages_of_one_title_under_sixty_percent_alike_are_not_the_same_page():
    comparison = compared(SORRY_GONE, SORRY_GONE_LONG)
    assert not comparison.alike and comparison.similarity == pytest.approx(5 / 9)


@pytest.mark.parametrize(
    ("title", "probe_title"),
    [("Oops", "Sorry"), ("", ""), ("egm-2019.pdf", "{probe}")],
    ids=["other-titles", "untitled", "titles-that-only-repeat-the-address"],
)
def test_pages_sixty_percent_alike_without_one_title_are_not_the_same_page(title, probe_title):
    missing = probe_url(URL)
    page = fetched(html(title, f"<p>{SORRY}</p>"))
    answer = fetched(html(probe_title.format(probe=missing.rsplit("/", 1)[1]), f"<p>{SORRY_SEARCH}</p>"), url=missing,
                     status=404)
    comparison = compare(page, answer)
    assert not comparison.alike and comparison.similarity == 0.6


@pytest.mark.parametrize(
    ("text", "probe_text", "alike"),
    [(WANTED, WANTED_AGAIN, True), (WANTED, WANTED + " Search again or ask us.", False), (WANTED, WANTED, True)],
    ids=["eighty-percent", "below", "identical"],
)
def test_pages_of_other_titles_are_the_same_page_from_eighty_percent_alike(text, probe_text, alike):
    assert compared(text, probe_text, "Oops", "Sorry").alike is alike


def test_pages_that_share_only_their_sites_template_are_not_alike():
    """What the two pages say is compared, not the navigation and footer that every page of the site has."""
    template = "<nav>{}</nav><main><h1>{}</h1>{}</main><footer>{}</footer>"
    menu = " ".join(f"<a href='/{n}'>{n} services of the ministry</a>" for n in ("health", "schools", "roads", "tax"))
    footer = "Copyright the ministry of digital services, all rights reserved, published under an open licence"
    page = html("Ministry", template.format(menu, "Report", words(30), footer))
    missing = html("Ministry", template.format(menu, "Oops", "<p>That page is not here, sorry.</p>", footer))
    assert not compare(fetched(page), probe(missing)).alike


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (html("Page missing", "<h1>Oops</h1><p>Nothing at this address.</p>"), "404 'Page missing'"),
        (html("", "<h1>Oops</h1><p>Nothing at this address.</p>"), "404 'Oops'"),
        (html("", "<p>Nothing at this address.</p>"), "404 '(untitled)'"),
    ],
    ids=["title", "heading", "untitled"],
)
def test_the_evidence_names_the_hosts_answer_by_its_status_and_title(answer, named):
    comparison = compare(fetched(html("Report", words(40))), probe(answer))
    assert comparison.evidence.endswith(f"to the host's answer for a path that cannot exist ({named})")


# A refusal against the refusal of a path that cannot exist


def test_a_refusal_is_compared_with_the_same_refusal_of_a_path_that_cannot_exist():
    forbidden = html("403 Forbidden", "<h1>Forbidden</h1><hr><center>nginx</center>")
    assert same_answer(fetched(forbidden, status=403), probe(forbidden, 403)).host_wide


@pytest.mark.parametrize(
    "missing",
    [None, Fetch(url=probe_url(URL), error_class="timeout", error="took too long"),
     probe(html("403 Forbidden", "<h1>Forbidden</h1>"), 404)],
    ids=["no-probe", "probe-failed", "another-status"],
)
def test_a_refusal_is_not_compared_with_anything_but_the_same_status(missing):
    forbidden = fetched(html("403 Forbidden", "<h1>Forbidden</h1>"), status=403)
    assert same_answer(forbidden, missing) == Comparison()


# Redirects that say the page is gone


@pytest.mark.parametrize(
    "landed",
    [
        "https://example.org/404",
        "https://example.org/errors/404.html",
        "https://example.org/page-not-found/",
        "https://example.org/error.aspx?aspxerrorpath=/reports/egm-2019.pdf",
        "https://example.org/?error=404",
    ],
    ids=["404", "errors-404-html", "page-not-found", "aspx-error-path", "home-with-error-query"],
)
def test_a_redirect_to_a_not_found_address_is_a_soft_404(landed):
    found = soft_404(redirected(landed), probe())
    assert found.finding == "soft-404"
    assert found.detail.startswith("soft 404: redirected to the not-found page 'https://example.org/")


def test_a_not_found_address_reached_without_a_redirect_is_judged_by_its_page():
    page = fetched(html("Error codes", words(300)), url="https://example.org/errors/404.html")
    assert soft_404(page, probe()) is None


@pytest.mark.parametrize(
    "home", ["", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"],
    ids=["no-path", "slash", "index-html", "index-htm", "index-php", "default-aspx", "home"],
)
def test_a_deep_link_sent_to_the_home_page_is_a_home_redirect(home):
    found = soft_404(redirected(f"https://example.org{home}"), probe())
    assert found.finding == "home-redirect"
    assert found.detail == f"redirected to the home page https://example.org{home}"


def test_a_page_with_a_query_at_the_home_address_sent_home_is_a_home_redirect():
    """A Joomla or PHP site's articles live at `index.php?id=...`: sent to the bare home page, the article is gone."""
    assert deep_to_home(redirected(HOME, url="https://example.org/index.php?option=com_content&id=4"))


@pytest.mark.parametrize(
    "start", ["https://example.org", "https://example.org/index.php", "https://example.org/home"],
    ids=["no-path", "index-php", "home"],
)
def test_a_home_page_redirected_to_another_home_address_is_not_a_home_redirect(start):
    assert not deep_to_home(redirected(HOME, url=start))


@pytest.mark.parametrize(
    "landed", ["https://example.org/?s=egm-2019", "https://example.org/reports/"], ids=["home-search", "folder"]
)
def test_a_deep_link_sent_anywhere_but_the_bare_home_page_is_not_a_home_redirect(landed):
    assert not deep_to_home(redirected(landed))
    assert soft_404(redirected(landed), probe()) is None


def test_a_deep_link_that_was_not_redirected_is_not_a_home_redirect():
    assert not deep_to_home(fetched(html("Report", words(300)), final_url=HOME))


# A page that says it is an error page


def alerting(visible: int, message: str = "Sorry, the page you asked for was not found") -> str:
    return html("", f"{words(visible)}<script>alert('{message}'); location.href = '/';</script>")


def test_a_page_of_almost_no_words_whose_script_alerts_not_found_is_a_soft_404():
    found = soft_404(fetched(alerting(11)), probe())
    assert found.finding == "soft-404"
    assert found.detail == (
        "soft 404: the page's only message, a script's alert, says 'sorry, the page you asked for was not found'"
    )


def test_a_page_of_twelve_words_is_not_judged_by_its_scripts_alert():
    assert script_says_not_found(fetched(alerting(12))) is None


def test_an_alert_that_says_something_else_is_no_soft_404():
    assert script_says_not_found(fetched(alerting(3, "Please enable cookies"))) is None


def test_the_alert_that_says_not_found_is_found_among_others():
    page = html("", "<script>alert('Welcome'); if (!found) alert('Document not found');</script>")
    assert script_says_not_found(fetched(page)) == "document not found"


def test_a_redirect_says_more_than_the_script_of_the_page_it_lands_on():
    home = redirected(HOME, page=alerting(3))
    assert soft_404(home, probe()).finding == "home-redirect"
    missing = redirected("https://example.org/404.html", page=alerting(3))
    assert soft_404(missing, probe()).detail.startswith("soft 404: redirected to the not-found page")


def test_a_scripts_alert_outweighs_a_title_that_only_suggests_an_error():
    page = html("Page not found", f"{words(3)}<script>alert('Page not found');</script>")
    assert soft_404(fetched(page), probe()).finding == "soft-404"


def titled_not_found(count: int, where: str = "title") -> Fetch:
    """A page of `count` words that says it is not found in its title or its heading."""
    if where == "title":
        return fetched(html("Page not found", words(count)))
    return fetched(html("Ministry", f"<h1>Page not found</h1>{words(count - 3)}"))


@pytest.mark.parametrize("count", [99, 100], ids=["below", "at"])
def test_a_short_page_titled_not_found_is_suspect_though_the_host_answers_missing_paths_honestly(count):
    found = soft_404(titled_not_found(count), probe())
    assert found.finding == "suspect-404"
    assert found.detail.startswith(
        f"reads like an error page ('not found' in the title or a heading of a page of {count} words), though unlike"
        " this host's answer for a path that cannot exist (similarity 0.00 to the host's answer for a path that"
    )
    assert found.detail.endswith("; a person should look")


@pytest.mark.parametrize("status", [404, 410], ids=["404", "410"])
def test_a_page_that_says_more_than_a_hundred_words_is_not_suspect_when_the_host_answers_missing_paths_honestly(
    status,
):
    assert soft_404(titled_not_found(101), probe(status=status)) is None


@pytest.mark.parametrize("status", [200, 500], ids=["200", "500"])
def test_a_host_that_answers_missing_paths_without_a_404_confirms_nothing(status):
    assert soft_404(titled_not_found(101), probe(status=status)).finding == "suspect-404"


def test_a_404_for_the_probe_that_was_not_compared_confirms_nothing():
    fetch = titled_not_found(101)
    assert judge_soft_404(fetch, Comparison(), probe()).finding == "suspect-404"


def test_error_words_are_a_suspicion_when_the_host_could_not_be_probed():
    found = soft_404(titled_not_found(101))
    assert found.finding == "suspect-404"
    assert found.detail.endswith(
        "page of 101 words), but the host could not be probed to confirm it; a person should look"
    )


def test_error_words_in_a_heading_are_a_suspicion():
    assert soft_404(titled_not_found(50, where="heading")).finding == "suspect-404"


@pytest.mark.parametrize(("count", "suspect"), [(250, True), (251, False)], ids=["at-short-page", "above"])
def test_only_a_short_page_is_suspect_by_its_title(count, suspect):
    assert (soft_404(titled_not_found(count)) is not None) is suspect


def test_error_words_only_in_the_text_are_no_suspicion():
    page = html("Error codes", f"<p>A 404 means the page was not found.</p>{words(40)}")
    assert soft_404(fetched(page)) is None
