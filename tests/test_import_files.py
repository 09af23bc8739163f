"""`linkkeeper import` on HTML, Markdown and text files: every field of the entries it writes, the lost
links it lists instead of inventing, and what it leaves out."""

from __future__ import annotations

import textwrap

from click.testing import CliRunner

from cli import cli
from importing import entries, run_import
from linkkeeper.config.resources import load_config

HTML_REPORT = """<!doctype html>
<html><head><title>Report</title><base href="https://reports.example.org/2019/">
<link rel="stylesheet" href="style.css"><script src="app.js"></script></head>
<body>
<h1>A report</h1>
<p>Read <a href="#methods">the methods</a> first, then <a href="tools/kit.html">the Digital Toolkit</a>.</p>
<h2>Partners</h2>
<ul>
  <li><a href="https://partner.example.net">Partner Network</a></li>
  <li><a href="#">A lost toolkit</a></li>
  <li><a href="javascript:void(0)">Scripted link</a></li>
  <li>Write to <a href="mailto:desk@example.org">the desk</a>.</li>
</ul>
<h2 id="methods">Methods</h2>
<p>Data from the survey site - https://survey.example.org/data. <img src="chart.png" alt="a chart"></p>
<p><a href="/annex.pdf#page=3">Annex, page 3</a> and <a href="https://reports.example.org/2019/intro.html#top">the
intro</a>.</p>
</body></html>
"""


def test_an_html_report_gives_every_field_of_each_entry(tmp_path):
    report, config = tmp_path / "report.html", tmp_path / "resources.yml"
    report.write_text(HTML_REPORT)
    done = run_import(report, "--config", config)
    assert done.exit_code == 0, done.output
    assert entries(config) == [
        {
            "url": "https://reports.example.org/2019/tools/kit.html",
            "title": "the Digital Toolkit",
            "kind": "toolkit",
            "section": "A report",
            "cited_as": "tools/kit.html",
        },
        {
            "url": "https://partner.example.net",
            "title": "Partner Network",
            "section": "Partners",
            "cited_as": "https://partner.example.net",
        },
        {
            "url": "mailto:desk@example.org",
            "title": "the desk",
            "kind": "contact",
            "section": "Partners",
            "cited_as": "mailto:desk@example.org",
        },
        {
            "url": "https://survey.example.org/data",
            "title": "Data from the survey site",
            "kind": "report",
            "section": "Methods",
            "cited_as": "https://survey.example.org/data",
        },
        {
            "url": "https://reports.example.org/annex.pdf#page=3",
            "title": "Annex, page 3",
            "section": "Methods",
            "cited_as": "/annex.pdf#page=3",
        },
        {
            "url": "https://reports.example.org/2019/intro.html",
            "title": "the intro",
            "section": "Methods",
            "cited_as": "https://reports.example.org/2019/intro.html#top",
        },
    ]
    assert load_config(config).resources  # the list written is one check-links accepts


def test_the_counts_name_what_was_found_new_lost_and_skipped(tmp_path):
    report, config = tmp_path / "report.html", tmp_path / "resources.yml"
    report.write_text(HTML_REPORT)
    first_line = run_import(report, "--config", config).output.splitlines()[0]
    assert first_line == (
        f"Found 6 links in {report}: 6 new, 0 already listed, 0 not listable; 2 lost;"
        " skipped 1 images, 1 same-page anchors, 1 scripts, 1 stylesheets."
    )


def test_lost_anchors_are_listed_for_a_person_and_never_written(tmp_path):
    report, config = tmp_path / "report.html", tmp_path / "resources.yml"
    report.write_text(HTML_REPORT)
    output = run_import(report, "--config", config).output
    assert 'Lost links, for a person (2, 2 with no URL yet):' in output
    assert '  "A lost toolkit" (section: Partners, cited as "#")\n      no URL yet' in output
    assert '  "Scripted link" (section: Partners, cited as "javascript:void(0)")\n      no URL yet' in output
    assert "lost" not in config.read_text().lower()


def test_all_lists_images_stylesheets_scripts_and_same_page_anchors_too(tmp_path):
    report, config = tmp_path / "report.html", tmp_path / "resources.yml"
    report.write_text(HTML_REPORT)
    run_import(report, "--config", config, "--all")
    urls = [entry["url"] for entry in entries(config)]
    base = "https://reports.example.org/2019/"
    assert {base + "style.css", base + "app.js", base + "chart.png", base + "#methods"} <= set(urls)


def test_a_file_without_a_base_cannot_make_its_relative_links_absolute(tmp_path):
    report, config = tmp_path / "page.html", tmp_path / "resources.yml"
    report.write_text('<p><a href="other.html">Other</a> <a href="https://x.example.org/">X site</a></p>')
    done = run_import(report, "--config", config)
    assert [entry["url"] for entry in entries(config)] == ["https://x.example.org/"]
    assert "skipped 1 relative links with no page address." in done.output


MARKDOWN_REPORT = """\
# Digital government

Intro naming the [Knowledge Base](https://kb.example.org/egov) and [a lost one](#).

## Tools

1. [Implementation toolkit](https://toolkit.example.org/) - for SIDS
2. Link: <https://www.training.example.org/>
3. ![diagram](https://img.example.org/d.png)
4. Named here without a link: Cloud Services deck

Contact: someone@example.org.
"""


def test_a_markdown_report_gives_links_autolinks_contacts_and_lost_links(tmp_path):
    report, config = tmp_path / "report.md", tmp_path / "resources.yml"
    report.write_text(MARKDOWN_REPORT)
    done = run_import(report, "--config", config)
    assert entries(config) == [
        {
            "url": "https://kb.example.org/egov",
            "title": "Knowledge Base",
            "kind": "knowledge-base",
            "section": "Digital government",
            "cited_as": "https://kb.example.org/egov",
        },
        {
            "url": "https://toolkit.example.org/",
            "title": "Implementation toolkit",
            "kind": "toolkit",
            "section": "Tools",
            "cited_as": "https://toolkit.example.org/",
        },
        {"url": "https://www.training.example.org/", "section": "Tools", "cited_as": "https://www.training.example.org/"},
        {
            "url": "mailto:someone@example.org",
            "title": "Contact",
            "kind": "contact",
            "section": "Tools",
            "cited_as": "someone@example.org",
        },
    ]
    assert '"a lost one" (section: Digital government, cited as "#")' in done.output
    assert '"Named here without a link: Cloud Services deck" (section: Tools, named without a link)' in done.output
    assert "skipped 1 images." in done.output.splitlines()[0]


TEXT_REPORT = """\
A short report

Presentations and tools:

1. The training centre, focussing on capacity. Link: <http://www.centre.example.org/>
2. [The toolkit](#) - for governments
3. Smart Cities for All - http://cities.example.org/

Way forward

Write to the authors \u2013 first@example.org and second@example.net
"""


def test_a_text_report_reads_short_lines_as_headings_and_titles_bare_addresses_from_their_words(tmp_path):
    report, config = tmp_path / "report.txt", tmp_path / "resources.yml"
    report.write_text(TEXT_REPORT)
    run_import(report, "--config", config)
    assert [(e["url"], e.get("title"), e["section"], e["cited_as"]) for e in entries(config)] == [
        (
            "http://www.centre.example.org/",
            "The training centre, focussing on capacity.",
            "Presentations and tools",
            "http://www.centre.example.org/",
        ),
        ("http://cities.example.org/", "Smart Cities for All", "Presentations and tools", "http://cities.example.org/"),
        ("mailto:first@example.org", "Write to the authors", "Way forward", "first@example.org"),
        ("mailto:second@example.net", "Write to the authors", "Way forward", "second@example.net"),
    ]


def test_a_file_that_is_no_report_is_refused_with_one_line_and_exit_2(tmp_path):
    report, config = tmp_path / "image.bin", tmp_path / "resources.yml"
    report.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    config.write_text("resources:\n  - url: https://kept.example.org/\n")
    before = config.read_text()
    done = run_import(report, "--config", config)
    assert done.exit_code == 2
    assert done.output.strip() == f"Error: {report}: not a report (binary data, not HTML, Markdown, PDF, DOCX or text)"
    assert config.read_text() == before


def test_a_report_with_no_links_creates_no_list(tmp_path):
    report, config = tmp_path / "empty.html", tmp_path / "resources.yml"
    report.write_text("<!-- nothing here -->\n")
    done = run_import(report, "--config", config)
    assert done.exit_code == 0 and done.output.startswith(f"Found 0 links in {report}: 0 new,")
    assert not config.exists()


def test_a_missing_report_is_bad_input(tmp_path):
    done = run_import(tmp_path / "missing.md", "--config", tmp_path / "resources.yml")
    assert done.exit_code == 2 and "cannot read the report" in done.output
    assert not (tmp_path / "resources.yml").exists()


def test_an_invalid_list_is_reported_as_check_links_would_and_left_alone(tmp_path):
    report, config = tmp_path / "report.md", tmp_path / "resources.yml"
    report.write_text(MARKDOWN_REPORT)
    config.write_text("resources:\n  - url: ftp://old.example.org/\n")
    done = run_import(report, "--config", config)
    assert done.exit_code == 2
    assert done.output == f"Error: {config}:2: unsupported scheme 'ftp:' (linkkeeper checks http, https, mailto)\n"
    assert config.read_text() == "resources:\n  - url: ftp://old.example.org/\n"


def test_depth_applies_to_web_pages_only(tmp_path):
    report = tmp_path / "report.md"
    report.write_text(MARKDOWN_REPORT)
    done = run_import(report, "--config", tmp_path / "resources.yml", "--depth", "1")
    assert done.exit_code == 2 and "--depth" in done.output


def test_the_help_names_the_command_and_its_options():
    output = CliRunner().invoke(cli, ["import", "--help"]).output
    assert all(option in output for option in ("--config", "--dry-run", "--depth", "--all"))
    assert textwrap.dedent("Build or refresh the list from a report") in output
