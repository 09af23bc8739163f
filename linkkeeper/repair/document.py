"""One repair from start to end: which report, what form it is in, where the result goes, and the log.

The report's form comes from its name, as `import` tells it, and the bytes must agree: a report named
`.docx` that is not a Word file, or a `.md` that is a PDF, is refused rather than repaired as something
it is not. The result is written to a new file beside the report unless `--output` says otherwise, and
never over an existing file without `--force`; it is written whole or not at all.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from linkkeeper.config.resources import Config
from linkkeeper.errors import InputError
from linkkeeper.files import write_atomically
from linkkeeper.importer.source import SUFFIXES, report_bytes, sniff
from linkkeeper.repair.changes import ARCHIVED, FILLED, LOST, MOVED, Change, Repaired
from linkkeeper.repair.html import repair_html
from linkkeeper.repair.markdown import repair_markdown, repair_text
from linkkeeper.repair.plan import Plan

TEXT_FORMS = ("markdown", "html", "text")
_BINARY = {"pdf": "a PDF file", "docx": "a Word (DOCX) or other zip file"}
_NAMED = {"markdown": "Markdown", "html": "HTML", "text": "plain text", "pdf": "PDF", "docx": "Word (DOCX)"}


@dataclass(frozen=True)
class Job:
    source: Path
    data: bytes  # the report as read, once
    form: str
    output: Path
    errata_form: str | None = None  # for a PDF: markdown or html


def report_path(source: str | None, config: Config) -> Path:
    """The report named on the command line, else the one the list was imported from."""
    named = source or config.source
    if not named:
        raise InputError(
            f"{config.path}: no report to repair: name it (linkkeeper repair REPORT), or import it first"
            " (linkkeeper import REPORT remembers it)"
        )
    if named.lower().startswith(("http://", "https://")):
        raise InputError(f"{named}: a web page cannot be repaired in place; save it and repair the file")
    return Path(named) if source else config.path.parent / named


def plan_job(source: Path, output: Path | None, force: bool, dry_run: bool) -> Job:
    if not source.is_file():
        raise InputError(f"{source}: no such report")
    data = report_bytes(source)
    form = SUFFIXES.get(source.suffix.lower()) or sniff(data)
    errata = None
    if form == "pdf":
        errata = "html" if output and output.suffix.lower() in (".html", ".htm") else "markdown"
        default = source.with_name(f"{source.stem}.errata.{'html' if errata == 'html' else 'md'}")
    else:
        default = source.with_name(f"{source.stem}.repaired{source.suffix}")
    output = output or default
    if not dry_run:
        _check_output(output, force)
    return Job(source, data, form, output, errata)


def repair(job: Job, plan: Plan) -> tuple[bytes, Repaired]:
    """The report's bytes as they were, and as repaired (for a PDF, its errata sheet)."""
    data = job.data
    _check_form(job, data)
    where = str(job.source)
    if job.form == "docx":  # python-docx and pypdf are loaded only for the report that needs them
        from linkkeeper.repair.docx import repair_docx

        return data, repair_docx(data, where, plan)
    if job.form == "pdf":
        from linkkeeper.repair.pdf import errata_pdf

        return data, errata_pdf(data, where, plan, job.errata_form or "markdown")
    if job.form == "html":
        return data, repair_html(data, plan)
    return data, (repair_markdown if job.form == "markdown" else repair_text)(data, plan)


def write(job: Job, repaired: Repaired) -> None:
    try:
        write_atomically(job.output, repaired.data)
    except OSError as error:
        raise InputError(f"{job.output}: cannot write the repaired report ({error.strerror or error})") from None


def diff(job: Job, before: bytes, repaired: Repaired) -> str:
    """A unified diff for a text report; a Word file or a PDF's errata has none, its change log says it all."""
    if job.form not in TEXT_FORMS:
        return ""
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = repaired.data.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, str(job.source), str(job.output)))


def change_log(job: Job, repaired: Repaired, written: bool) -> str:
    changes = repaired.changes
    done = [change for change in changes if change.new is not None]
    left = [change for change in changes if change.new is None]
    counts = _counts(changes)
    into = f"into {job.output}" if written else f"(dry run: {job.output} not written)"
    head = f"Repaired {job.source} {into}: {counts}." if changes else (
        f"Nothing to repair in {job.source}: none of its listed links is dead or confirmed moved"
        + (f"; an unchanged copy is in {job.output}." if written else ".")
    )
    lines = [head]
    for change in done:
        lines += [f"  {change.where}: {change.fix.kind}", f"      {change.old}", f"   -> {change.new}",
                  f"      {change.fix.why}"]
    if left:
        lines.append(f"Left for a person ({len(left)}): dead, with no verified copy to send readers to:")
        lines += [f"  {change.where}: {change.old}\n      {change.fix.why}" for change in left]
    return "\n".join(lines)


def to_json(job: Job, repaired: Repaired, written: bool) -> dict:
    return {
        "source": str(job.source), "output": str(job.output), "written": written,
        "changes": [change.to_json() for change in repaired.changes],
    }


def _counts(changes: list[Change]) -> str:
    words = {
        ARCHIVED: ("link now leads to its archived copy", "links now lead to their archived copies"),
        MOVED: ("moved link now leads to its new address", "moved links now lead to their new addresses"),
        FILLED: ("lost link filled in", "lost links filled in"),
        LOST: ("dead link has no archived copy (left for a person)",
               "dead links have no archived copy (left for a person)"),
    }
    said = []
    for kind, (one, many) in words.items():
        count = sum(change.fix.kind == kind for change in changes)
        if count:
            said.append(f"{count} {one if count == 1 else many}")
    return "; ".join(said)


def _check_form(job: Job, data: bytes) -> None:
    """The bytes must be what the name says: a Word file is a zip, a PDF starts `%PDF-`, text is no binary."""
    found = sniff(data)
    named = _NAMED[job.form]
    if job.form in _BINARY and found != job.form:
        raise InputError(f"{job.source}: not a {named} file (its content is not one)")
    if job.form in TEXT_FORMS and (found in _BINARY or b"\x00" in data[:8192]):
        what = _BINARY.get(found, "binary data")
        raise InputError(f"{job.source}: not {named}: it is {what}")


def _check_output(output: Path, force: bool) -> None:
    if output.exists() and not force:
        raise InputError(f"{output}: already exists; give another --output, or --force to replace it")
    if output.is_dir():
        raise InputError(f"{output}: is a folder; --output names a file")
    if not output.parent.is_dir():
        raise InputError(f"{output.parent}: no such folder for the repaired report")
