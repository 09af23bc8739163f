"""`errata_pdf` on a PDF written by the test: link areas and printed addresses on two pages, repaired
against a plan made by hand, written as a Markdown and as an HTML errata sheet."""

from __future__ import annotations

import lxml.html
import pytest
from fpdf import FPDF
from markdown_it import MarkdownIt

from linkkeeper.errors import InputError
from linkkeeper.importer.found import key
from linkkeeper.repair.changes import ARCHIVED, LOST, MOVED, Fix
from linkkeeper.repair.pdf import NO_COPY, errata_pdf
from linkkeeper.repair.plan import Plan

KB, KB_COPY = "https://kb.example.org/egov", "https://web.archive.org/web/20190801000000/https://kb.example.org/egov"
CENTRE, CENTRE_NEW = "http://www.centre.example.org/", "https://centre.example.org/"
HOSTILE = 'https://gone.example/a|b?q="x"'
HOSTILE_WORDS = "<script>alert(1)</script> | [click](javascript:evil)"
LIVE = "https://live.example/"
PLAN = Plan(
    fixes={
        key(KB): Fix(ARCHIVED, KB, KB_COPY, "the page is gone (404); archived copy of 1 August 2019",
                     "2019-08-01T00:00:00+00:00"),
        key(CENTRE): Fix(MOVED, CENTRE, CENTRE_NEW, f"the page moved permanently to {CENTRE_NEW}"),
        key(HOSTILE): Fix(LOST, HOSTILE, None, "the page is gone (<b>410</b> | gone); no archived copy found"),
    }
)


def report() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(pdf.get_string_width("Read the "), 6, "Read the ")
    pdf.cell(0, 6, "knowledge base", link=KB, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Training centre: {CENTRE}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "A live page", link=LIVE, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 6, HOSTILE_WORDS, link=HOSTILE, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Knowledge base snapshot", link=KB_COPY, new_x="LMARGIN", new_y="NEXT")  # repaired already
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def original() -> bytes:
    return report()


def rows(html: str) -> list[list[str]]:
    return [[cell.text_content() for cell in row] for row in lxml.html.fromstring(html).iter("tr")][1:]


EXPECTED = [
    ["1", "knowledge base", KB, KB_COPY, "the page is gone (404); archived copy of 1 August 2019"],
    ["1", "Training centre", CENTRE, CENTRE_NEW, f"the page moved permanently to {CENTRE_NEW}"],
    ["2", HOSTILE_WORDS, HOSTILE, NO_COPY, "the page is gone (<b>410</b> | gone); no archived copy found"],
]


def test_the_changes_say_on_which_page_each_link_is(original):
    done = errata_pdf(original, "report.pdf", PLAN, "markdown")
    assert [(change.where, change.old, change.new) for change in done.changes] == [
        ("page 1", KB, KB_COPY), ("page 1", CENTRE, CENTRE_NEW), ("page 2", HOSTILE, None),
    ]


def test_the_html_sheet_lists_page_cited_text_old_link_and_replacement(original):
    sheet = errata_pdf(original, "/srv/reports/report.pdf", PLAN, "html").data.decode()
    page = lxml.html.fromstring(sheet)
    assert page.findtext(".//title") == page.findtext(".//h1") == "Errata: the links of report.pdf"
    assert rows(sheet) == EXPECTED
    assert [a.get("href") for a in page.iter("a")] == [KB_COPY, CENTRE_NEW]  # a replacement is a link
    assert LIVE not in sheet


def test_a_link_that_already_cites_an_archived_copy_is_not_listed(original):
    for form in ("html", "markdown"):
        assert "snapshot" not in errata_pdf(original, "report.pdf", PLAN, form).data.decode()


def test_the_markdown_sheet_lists_the_same_rows(original):
    sheet = errata_pdf(original, "report.pdf", PLAN, "markdown").data.decode()
    assert sheet.startswith("# Errata: the links of report.pdf\n")
    html = MarkdownIt("commonmark").enable("table").render(sheet)
    assert rows(html) == EXPECTED
    assert LIVE not in sheet


def test_hostile_text_stays_text_in_both_forms(original):
    for form in ("html", "markdown"):
        sheet = errata_pdf(original, "report.pdf", PLAN, form).data.decode()
        html = sheet if form == "html" else MarkdownIt("commonmark").enable("table").render(sheet)
        page = lxml.html.fromstring(html)
        assert not page.findall(".//script") and not page.findall(".//b"), form
        assert all(not a.get("href").startswith("javascript") for a in page.iter("a")), form
        assert all(len(row) == 5 for row in rows(html)), form  # no `|` split a cell


def test_a_report_with_nothing_to_correct_says_so(original):
    sheet = errata_pdf(original, "report.pdf", Plan(), "markdown")
    assert sheet.changes == [] and "No link of this report needs correcting." in sheet.data.decode()


def test_a_damaged_pdf_is_one_line_of_bad_input(original):
    with pytest.raises(InputError, match=r"^report\.pdf: not a readable PDF \("):
        errata_pdf(original[:300], "report.pdf", PLAN, "html")
