"""Which reader a report needs, from its file name or, failing that, from its first bytes; and the one
line that says why a file is not a report that can be read.
"""

from __future__ import annotations

from pathlib import Path

from linkkeeper.errors import InputError
from linkkeeper.importer.docx import extract_docx
from linkkeeper.importer.found import Extraction
from linkkeeper.importer.html import extract_html
from linkkeeper.importer.markdown import extract_markdown, extract_text
from linkkeeper.importer.pdf import extract_pdf

SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
    ".docx": "docx",
}
_MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/plain": "text",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def read_file(path: Path, everything: bool = False) -> Extraction:
    data = report_bytes(path)
    return read_document(data, SUFFIXES.get(path.suffix.lower()) or sniff(data), str(path), None, everything)


def report_bytes(path: Path) -> bytes:
    """A report file's bytes, or the one line that says why it cannot be read (import and repair alike)."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the report ({error.strerror or error})") from None


def read_document(data: bytes, form: str | None, where: str, page_url: str | None, everything: bool) -> Extraction:
    """`form` is the reader's name (`html`, `pdf`...), None when nothing says what the bytes are."""
    form = form or sniff(data)
    if form == "pdf":
        return extract_pdf(data, where, everything)
    if form == "docx":
        return extract_docx(data, where, everything)
    if form == "html":
        return extract_html(data, page_url, everything)
    text = _text(data, where)
    return extract_markdown(text, everything) if form == "markdown" else extract_text(text, everything)


def form_of_media_type(content_type: str | None) -> str | None:
    return _MEDIA_TYPES.get((content_type or "").split(";")[0].strip().lower())


def sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def _text(data: bytes, where: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: not a report (binary data, not HTML, Markdown, PDF, DOCX or text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")

