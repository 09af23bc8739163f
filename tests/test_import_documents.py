"""`linkkeeper import` on PDF and Word files written by the tests: headings, link areas and hyperlinks,
addresses broken over two lines, and the files it must refuse (encrypted, damaged, not what they say)."""

from __future__ import annotations

import docx
from fpdf import FPDF
from word_files import hyperlink

from importing import entries, run_import


def write_pdf(path, encrypt: bool = False) -> None:
    pdf = FPDF()
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()

    def heading(text):
        pdf.set_font("Helvetica", "B", 18)
        pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)

    def line(text, **link):
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT", **link)

    heading("Tools for governments")
    line("The implementation toolkit is at https://toolkit.example.org/docs/2019/")
    line("implementation-guide.html for every reader.")
    line("See also http://www.centre.example.org/")
    line("The centre trains officials.")
    pdf.cell(pdf.get_string_width("Read the "), 6, "Read the ")
    pdf.cell(0, 6, "knowledge base", link="https://kb.example.org/egov", new_x="LMARGIN", new_y="NEXT")
    heading("Contacts")
    line("Write to the desk: desk@example.org.")
    path.write_bytes(bytes(pdf.output()))


def test_a_pdf_gives_its_headings_link_areas_and_addresses_broken_over_two_lines(tmp_path):
    report, config = tmp_path / "report.pdf", tmp_path / "resources.yml"
    write_pdf(report)
    done = run_import(report, "--config", config)
    assert done.exit_code == 0, done.output
    assert entries(config) == [
        {
            "url": "https://toolkit.example.org/docs/2019/implementation-guide.html",
            "title": "The implementation toolkit is",
            "kind": "toolkit",
            "section": "Tools for governments",
            "cited_as": "https://toolkit.example.org/docs/2019/implementation-guide.html",
        },
        {
            "url": "http://www.centre.example.org/",
            "title": "See also",  # the next line, prose, is not taken for the rest of the address
            "section": "Tools for governments",
            "cited_as": "http://www.centre.example.org/",
        },
        {
            "url": "https://kb.example.org/egov",
            "title": "knowledge base",
            "kind": "knowledge-base",
            "section": "Tools for governments",
            "cited_as": "https://kb.example.org/egov",
        },
        {
            "url": "mailto:desk@example.org",
            "title": "Write to the desk",
            "kind": "contact",
            "section": "Contacts",
            "cited_as": "desk@example.org",
        },
    ]


def test_an_encrypted_pdf_is_refused_with_one_line_and_the_list_untouched(tmp_path):
    report, config = tmp_path / "locked.pdf", tmp_path / "resources.yml"
    write_pdf(report, encrypt=True)
    config.write_text("resources:\n  - url: https://kept.example.org/\n")
    done = run_import(report, "--config", config)
    assert (done.exit_code, done.output) == (
        2,
        f"Error: {report}: the PDF is encrypted; give linkkeeper a copy that opens without a password\n",
    )
    assert config.read_text() == "resources:\n  - url: https://kept.example.org/\n"


def test_a_damaged_pdf_is_bad_input(tmp_path):
    whole, report = tmp_path / "whole.pdf", tmp_path / "cut.pdf"
    write_pdf(whole)
    report.write_bytes(whole.read_bytes()[:300])
    done = run_import(report, "--config", tmp_path / "resources.yml")
    assert done.exit_code == 2
    assert done.output.startswith(f"Error: {report}: not a readable PDF (") and done.output.count("\n") == 1


def write_docx(path) -> None:
    document = docx.Document()
    document.add_heading("Tools", level=1)
    paragraph = document.add_paragraph("Read the ")
    hyperlink(paragraph, "https://kit.example.org/", "Digital toolkit")
    paragraph.add_run(" first; the annex is ")
    hyperlink(paragraph, None, "below", anchor="annex")
    for name, url in (("Training centre", "https://centre.example.org/"), ("Open data", "https://data.example.org/")):
        hyperlink(document.add_paragraph(style="List Bullet"), url, name)
    document.add_paragraph("Cloud services deck", style="List Bullet")
    document.add_heading("Annex", level=2)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Programme: https://programme.example.org/2019"
    hyperlink(table.cell(0, 1).paragraphs[0], "mailto:desk@example.org", "the desk")
    document.save(path)


def test_a_word_file_gives_hyperlinks_headings_tables_and_lost_list_items(tmp_path):
    report, config = tmp_path / "report.docx", tmp_path / "resources.yml"
    write_docx(report)
    done = run_import(report, "--config", config)
    assert done.exit_code == 0, done.output
    assert entries(config) == [
        {
            "url": "https://kit.example.org/",
            "title": "Digital toolkit",
            "kind": "toolkit",
            "section": "Tools",
            "cited_as": "https://kit.example.org/",
        },
        {
            "url": "https://centre.example.org/",
            "title": "Training centre",
            "section": "Tools",
            "cited_as": "https://centre.example.org/",
        },
        {"url": "https://data.example.org/", "title": "Open data", "section": "Tools", "cited_as": "https://data.example.org/"},
        {
            "url": "https://programme.example.org/2019",
            "title": "Programme",
            "kind": "programme",
            "section": "Annex",
            "cited_as": "https://programme.example.org/2019",
        },
        {
            "url": "mailto:desk@example.org",
            "title": "the desk",
            "kind": "contact",
            "section": "Annex",
            "cited_as": "mailto:desk@example.org",
        },
    ]
    assert '"Cloud services deck" (section: Tools, named without a link)' in done.output
    assert "skipped 1 same-page anchors." in done.output.splitlines()[0]


def test_a_file_named_docx_that_is_not_one_is_bad_input(tmp_path):
    report = tmp_path / "report.docx"
    report.write_text("plain words")
    done = run_import(report, "--config", tmp_path / "resources.yml")
    assert (done.exit_code, done.output) == (
        2,
        f"Error: {report}: not a readable Word (DOCX) file (File is not a zip file)\n",
    )
