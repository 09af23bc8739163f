"""PDF reports: their text laid out in lines again, headings told by their larger type, addresses the
layout broke over two lines joined, and link annotations (the clickable areas) read with the words
under them.

The page is rebuilt as HTML and read by `import_html`, so a PDF follows the same rules as every format.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml.html import HtmlElement, tostring
from lxml.html import builder as E
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from linkkeeper.errors import InputError
from linkkeeper.importer.found import Extraction
from linkkeeper.importer.html import extract_html

HEADING_SCALE = 1.2
"""Type this much larger than the body's marks a heading."""
_URL_AT_END = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_CONTINUATION = re.compile(r"^[A-Za-z0-9\-._~%/?#=&+:;@!$*,()']+")
_URL_PUNCTUATION = re.compile(r"[/._=&?%#-]")
# pypdf logs what it repairs in a damaged file; the command's contract is one line on failure, and a
# repaired file needs no word at all.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Line:
    y: float
    size: float
    text: str = ""
    pieces: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, text, for link areas


def extract_pdf(data: bytes, where: str, everything: bool = False) -> Extraction:
    blocks = [block for page in page_blocks(data, where) for block in page]
    return extract_html(tostring(E.HTML(E.BODY(*blocks))), everything=everything)


def page_blocks(data: bytes, where: str) -> list[list[HtmlElement]]:
    """Each page's headings and paragraphs, links made: `repair` must say on which page a link is cited."""
    reader = _open(data, where)
    try:
        pages = [(_lines(page), _links(page)) for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{where}: a damaged PDF ({error})") from None
    body = _body_size([line for lines, _ in pages for line in lines])
    return [
        [
            E.H2(line.text) if line.size >= body * HEADING_SCALE and len(line.text) <= 200
            else E.P(*_linked(line, links))
            for line in _joined(lines)
        ]
        for lines, links in pages
    ]


def _open(data: bytes, where: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{where}: the PDF is encrypted; give linkkeeper a copy that opens without a password")
        return reader
    except (PdfReadError, PyPdfError, ValueError) as error:
        raise InputError(f"{where}: not a readable PDF ({error})") from None


def _lines(page) -> list[Line]:
    lines: list[Line] = []

    def visit(text: str, cm: list, tm: list, font: dict, size: float) -> None:
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
        for number, part in enumerate(text.split("\n")):
            if number or not lines or (part.strip() and abs(lines[-1].y - y) > 1 and lines[-1].text.strip()):
                lines.append(Line(y, 0.0))
            if part.strip():
                line = lines[-1]
                line.y, line.size = y, max(line.size, size * scale)
                line.text += part
                line.pieces.append((x, y, part))

    page.extract_text(visitor_text=visit)
    return [line for line in lines if line.text.strip()]


def _links(page) -> list[tuple[list[float], str]]:
    """Each link annotation's area and address."""
    found = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        action = annotation.get("/A") or {}
        if annotation.get("/Subtype") == "/Link" and action.get("/URI"):
            found.append(([float(value) for value in annotation["/Rect"]], str(action["/URI"])))
    return found


def _body_size(lines: list[Line]) -> float:
    sizes = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _joined(lines: list[Line]) -> list[Line]:
    """An address cut at the end of a line goes on at the start of the next: the next line's first word
    continues it when it looks like a piece of an address (a slash, a dot inside, an equals sign...)."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        first = _CONTINUATION.match(line.text.lstrip())
        if (
            previous
            and first
            and _URL_AT_END.search(previous.text.rstrip())
            and previous.text == previous.text.rstrip()
            and _URL_PUNCTUATION.search(first.group().rstrip(".,;:!?)"))
            and previous.size == line.size
        ):
            previous.text += line.text.lstrip()
            previous.pieces += line.pieces
        else:
            joined.append(line)
    return joined


def _linked(line: Line, links: list[tuple[list[float], str]]) -> list:
    """The line's text, with the words under a link area made a link to its address."""
    for (x1, y1, x2, y2), uri in links:
        if not min(y1, y2) - 2 <= line.y <= max(y1, y2) + 2:
            continue
        words = "".join(text for x, _, text in line.pieces if min(x1, x2) - 2 <= x <= max(x1, x2) + 2).strip()
        at = line.text.find(words) if words else -1
        if at >= 0:
            return [line.text[:at], E.A(words, href=uri), line.text[at + len(words) :]]
        return [line.text, " ", E.A(uri, href=uri)]
    return [line.text]
