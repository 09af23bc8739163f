"""The detection corpus: it loads, covers what it must, and every host answers as declared."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid
from collections import Counter
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from detection_corpus import CORPUS, ERROR_LIKE, EXPECTATIONS, CorpusWeb, Scenario, address, load_scenarios, render

SCARY = re.compile(
    r"404|not found|for sale|coming soon|log ?in|sign ?in|suspended|access denied|under construction", re.IGNORECASE
)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return load_scenarios()


class _VisibleText(HTMLParser):
    """The title and the text a reader sees: everything outside script, style, template and noscript."""

    hidden = frozenset({"script", "style", "template", "noscript"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.hidden:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.hidden and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(scenario: Scenario) -> str:
    path, response = scenario.final()
    parser = _VisibleText()
    parser.feed(render(response, path).decode(response.charset))
    return " ".join(" ".join(parser.parts).split())


def test_the_corpus_loads_with_enough_scenarios(scenarios):
    assert len(scenarios) >= 85
    assert len({scenario.name for scenario in scenarios}) == len(scenarios)


def test_every_expectation_is_used(scenarios):
    counts = Counter(scenario.expect for scenario in scenarios)
    assert set(counts) == set(EXPECTATIONS), counts
    minimum = {"live": 24, "soft-404": 16, "parked": 6, "for-sale": 5, "suspended": 5, "default-page": 9,
               "placeholder": 5, "wall": 15, "http-error": 4}  # fmt: skip
    assert all(counts[expect] >= floor for expect, floor in minimum.items()), counts


def test_error_like_pages_span_at_least_five_languages(scenarios):
    languages = {scenario.lang for scenario in scenarios if scenario.expect in ERROR_LIKE}
    assert len(languages) >= 5, languages
    soft = {scenario.lang for scenario in scenarios if scenario.expect == "soft-404"}
    assert {"en", "de", "nl", "fr", "es", "pt", "zh", "ja"} <= soft


def test_live_pages_include_at_least_twenty_scary_ones(scenarios):
    live = [scenario for scenario in scenarios if scenario.expect == "live"]
    assert len(live) >= 22
    scary = [scenario.name for scenario in live if SCARY.search(visible_text(scenario))]
    assert len(scary) >= 20, sorted(set(s.name for s in live) - set(scary))
    assert all(scenario.final()[1].status == 200 for scenario in live)


def test_every_page_file_is_used(scenarios):
    used = {
        response.page
        for scenario in scenarios
        for response in [*scenario.routes.values(), scenario.otherwise]
        if response.page
    }
    assert used == {path.name for path in (CORPUS / "pages").glob("*.html")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(colour="blue"), "unknown keys"),
        (lambda s: s.pop("otherwise"), "missing keys"),
        (lambda s: s.update(expect="broken"), "unknown expect"),
        (lambda s: s["otherwise"].update(page="no-such-page.html"), "page file no-such-page.html not found"),
        (lambda s: s["otherwise"].update(status=302), "needs a 'location'"),
        (lambda s: s["otherwise"].update(size=3), "unknown keys"),
    ],
)
def test_load_rejects_a_bad_scenario_by_name(tmp_path: Path, change, message):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "page.html").write_text("<title>x</title>")
    scenario = {"name": "bad-one", "expect": "live", "lang": "en", "note": "n", "url": "/", "routes": {},
                "otherwise": {"status": 200, "page": "page.html"}}  # fmt: skip
    change(scenario)
    (tmp_path / "scenarios.yml").write_text(yaml.safe_dump([scenario]))
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        load_scenarios(tmp_path)
    assert "bad-one" in str(raised.value)


def test_addresses_move_to_the_next_block_after_254():
    assert [address(0), address(253), address(254)] == ["127.0.3.1", "127.0.3.254", "127.0.4.1"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str) -> tuple[int, dict[str, list[str]], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=5) as answer:
            return answer.status, _headers(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _headers(error.headers), error.read()


def _headers(message) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for name, value in message.items():
        merged.setdefault(name.lower(), []).append(value)
    return merged


def test_every_host_answers_as_declared(scenarios):
    with CorpusWeb(scenarios) as web:
        assert len({host.address for host in web.hosts.values()}) == len(scenarios)
        for scenario in scenarios:
            random_path = f"/{uuid.uuid4().hex[:10]}/{uuid.uuid4().hex[:8]}.html"
            for path in (scenario.url, random_path):
                declared = scenario.answer(path)
                status, headers, body = _get(web.url(scenario.name, path))
                assert status == declared.status, (scenario.name, path)
                assert body == render(declared, path), (scenario.name, path)
                assert headers["content-length"] == [str(len(body))]
                for name, value in declared.headers:
                    assert value in headers[name.lower()], (scenario.name, name)
                if declared.location is not None:
                    assert headers["location"] == [declared.location]
                if declared.page and "{path}" in (CORPUS / "pages" / declared.page).read_text():
                    assert escape(path).encode() in body
            assert web.urls[scenario.name] == web.hosts[scenario.name].url + scenario.url
            assert len(web.hosts[scenario.name].seen) == 2
        threads = [host.thread for host in web.hosts.values()]
    assert not any(thread.is_alive() for thread in threads)
