"""`linkkeeper import URL`: a report published over several pages of a loopback site, fetched by the
crawler's `report` spider as politely as a check, never beyond the report's site."""

from __future__ import annotations

from importing import entries, run_import
from linkkeeper.config import resources
from local_web import closed_port_url, slow_page

USER_AGENT = "linkkeeper-test/1 (+https://example.org/contact)"
LISTED = "resources:\n  - url: https://listed.example.org/\n"


def publish(web) -> str:
    """A report on host a: pages two and three (and the guide) are one and two links away, the guide's
    own link three; it cites a page of host b."""
    a, b = web.a, web.b
    b.route("/elsewhere.html", title="Another site", body='<a href="https://never.example.org/">never</a>')
    a.route(
        "/report/index.html",
        title="Report",
        body=(
            '<h1>The report</h1><p>Read <a href="part2.html">part two</a>. See the'
            f' <a href="{b.url}/elsewhere.html">partner site</a> and <a href="#">a lost toolkit</a>.</p>'
        ),
    )
    a.route(
        "/report/part2.html",
        body=(
            '<html><head><base href="/docs/"></head><body><h2>Tools</h2>'
            '<p><a href="guide.html">The guide</a>, <a href="/report/part3.html">part three</a>,'
            ' and <a href="https://kit.example.org/">Digital toolkit</a>.</p></body></html>'
        ),
    )
    a.route("/report/part3.html", title="3", body='<h2>Annex</h2><a href="https://annex.example.org/">Annex data</a>')
    a.route("/docs/guide.html", title="Guide", body='<h2>Guide</h2><a href="/docs/deeper.html">Deeper</a>')
    return a.url + "/report/index.html"


def test_depth_0_reads_the_page_alone_and_lists_its_links(web, tmp_path):
    start, config = publish(web), tmp_path / "resources.yml"
    done = run_import(start, "--config", config)
    assert done.exit_code == 0, done.output
    assert entries(config) == [
        {
            "url": web.a.url + "/report/part2.html",
            "title": "part two",
            "section": "The report",
            "cited_as": "part2.html",
        },
        {
            "url": web.b.url + "/elsewhere.html",
            "title": "partner site",
            "section": "The report",
            "cited_as": web.b.url + "/elsewhere.html",
        },
    ]
    assert '"a lost toolkit" (section: The report, cited as "#")' in done.output
    assert web.a.hits("/report/part2.html") == [] and web.b.seen == []


def test_depth_follows_the_same_site_only_and_lists_what_the_pages_cite(web, tmp_path):
    start, config = publish(web), tmp_path / "resources.yml"
    done = run_import(start, "--config", config, "--depth", "2")
    assert done.exit_code == 0, done.output
    assert [(entry["url"], entry["section"], entry["cited_as"]) for entry in entries(config)] == [
        (web.b.url + "/elsewhere.html", "The report", web.b.url + "/elsewhere.html"),
        ("https://kit.example.org/", "Tools", "https://kit.example.org/"),
        (web.a.url + "/docs/deeper.html", "Guide", "/docs/deeper.html"),
        ("https://annex.example.org/", "Annex", "https://annex.example.org/"),
    ]
    assert "skipped 3 links between the report's pages." in done.output.splitlines()[0]
    assert web.b.seen == []  # another site is listed, never crawled
    pages = ("/report/index.html", "/report/part2.html", "/report/part3.html", "/docs/guide.html")
    assert [len(web.a.hits(page)) for page in pages] == [1, 1, 1, 1]
    assert web.a.hits("/docs/deeper.html") == []  # three links away


def test_depth_1_stops_one_link_away(web, tmp_path):
    start, config = publish(web), tmp_path / "resources.yml"
    run_import(start, "--config", config, "--depth", "1")
    assert web.a.hits("/report/part3.html") == []
    assert web.a.url + "/report/part3.html" in [entry["url"] for entry in entries(config)]


def test_the_fetch_sends_the_lists_user_agent(web, tmp_path):
    start, config = publish(web), tmp_path / "resources.yml"
    config.write_text(f'settings:\n  user_agent: "{USER_AGENT}"\n{LISTED}')
    assert run_import(start, "--config", config, "--depth", "1").exit_code == 0
    assert {seen.headers["User-Agent"] for seen in web.a.seen} == {USER_AGENT}


def test_the_list_is_parsed_once(web, tmp_path, monkeypatch):
    """One parse of the list gives the fetch its settings and checks the list before the merge; the merge edits
    the file's text in a round trip, and the merged list is checked in a file of its own before it is written."""
    start, config = publish(web), tmp_path / "resources.yml"
    config.write_text(f'settings:\n  user_agent: "{USER_AGENT}"\n{LISTED}')
    parsed, read = [], resources.read_yaml
    monkeypatch.setattr(resources, "read_yaml", lambda path: parsed.append(path) or read(path))
    assert run_import(start, "--config", config).exit_code == 0
    assert parsed.count(config) == 1 and {seen.headers["User-Agent"] for seen in web.a.seen} == {USER_AGENT}


def test_the_site_sees_no_more_requests_at_once_than_per_host_concurrency(web, tmp_path):
    config = tmp_path / "resources.yml"
    config.write_text(f"settings:\n  per_host_concurrency: 2\n{LISTED}")
    parts = [web.a.route(f"/r/part{number}.html", slow_page(0.2)) for number in range(8)]
    web.a.route("/r/index.html", title="R", body="".join(f'<a href="{part}">part</a>' for part in parts))
    assert run_import(web.a.url + "/r/index.html", "--config", config, "--depth", "1").exit_code == 0
    assert len(web.a.seen) == 9 and web.a.max_in_flight == 2


def test_a_second_import_from_the_web_changes_nothing(web, tmp_path):
    start, config = publish(web), tmp_path / "resources.yml"
    run_import(start, "--config", config, "--depth", "2")
    once = config.read_text()
    assert "0 new, 4 already listed" in run_import(start, "--config", config, "--depth", "2").output
    assert config.read_text() == once


def test_a_report_that_answers_404_is_bad_input_and_the_list_is_untouched(web, tmp_path):
    config = tmp_path / "resources.yml"
    config.write_text(LISTED)
    missing = web.a.url + "/report/missing.html"
    done = run_import(missing, "--config", config)
    assert (done.exit_code, done.output) == (2, f"Error: {missing}: the report could not be fetched (HTTP 404)\n")
    assert config.read_text() == LISTED


def test_a_report_on_a_closed_port_is_bad_input(tmp_path):
    config, url = tmp_path / "resources.yml", closed_port_url()
    config.write_text(f"settings:\n  retries: 0\n{LISTED}")
    done = run_import(url, "--config", config)
    assert done.exit_code == 2
    assert done.output.startswith(f"Error: {url}: the report could not be fetched (refused: ")


def test_a_linked_page_that_fails_is_named_listed_for_checking_and_the_rest_is_read(web, tmp_path):
    config = tmp_path / "resources.yml"
    web.a.route("/r/gone.html", status=500, body="down")
    web.a.route("/r/index.html", title="R", body='<a href="gone.html">Gone part</a> <a href="https://x.example.org/">X</a>')
    config.write_text(f"settings:\n  retries: 0\n{LISTED}")
    done = run_import(web.a.url + "/r/index.html", "--config", config, "--depth", "1")
    assert done.exit_code == 0, done.output
    assert f"Pages not read (1):\n  {web.a.url}/r/gone.html\n      HTTP 500" in done.output
    listed = [entry["url"] for entry in entries(config)]
    assert listed == ["https://listed.example.org/", web.a.url + "/r/gone.html", "https://x.example.org/"]
