"""What `linkkeeper import` prints: the counts, then what needs a person (lost links first)."""

from __future__ import annotations

from pathlib import Path

from linkkeeper.importer.found import Extraction
from linkkeeper.importer.merge import Merge
from linkkeeper.quote import clean, clip


def import_text(source: str, config: Path, found: Extraction, result: Merge, dry_run: bool) -> str:
    skipped = ", ".join(f"{count} {label}" for label, count in sorted(found.skipped.items())) or "nothing"
    lines = [
        f"Found {len(found.links)} links in {clean(source)}: {len(result.new)} new,"
        f" {len(result.listed)} already listed, {len(result.unlistable)} not listable;"
        f" {len(found.lost)} lost; skipped {skipped}."
    ]
    if result.new:
        lines.append(f"New ({len(result.new)}):")
        lines += [f"  {link.url}\n      {_title(link.title)} ({_section(link.section)})" for link in result.new]
    if result.lost:
        waiting = sum(1 for _, given in result.lost if not given)
        lines.append(f"Lost links, for a person ({len(result.lost)}, {waiting} with no URL yet):")
        for lost, given in result.lost:
            cited = f'cited as "{lost.cited_as}"' if lost.cited_as else "named without a link"
            status = f"listed as {', '.join(given)}" if given else "no URL yet"
            lines.append(f"  {_title(lost.text)} ({_section(lost.section)}, {cited})\n      {status}")
        if waiting:
            lines.append(
                '  To list one, add an entry with its URL, `cited_as: "#"` (or "" when it was named without a link),'
                " a `note` on how it was found, and a title holding the words above."
            )
    if found.unread:
        lines.append(f"Pages not read ({len(found.unread)}):")
        lines += [f"  {clip(clean(url), 100)}\n      {problem}" for url, problem in found.unread]
    if result.unlistable:
        lines.append(f"Not listable ({len(result.unlistable)}):")
        lines += [f"  {clip(clean(link.url), 100)}\n      {problem}" for link, problem in result.unlistable]
    if result.gone:
        lines.append(f"Listed but no longer in the report ({len(result.gone)}; kept):")
        lines += [f"  {url}" for url in result.gone]
    if dry_run:
        lines.append(f"Dry run: {config} unchanged.")
        if result.after != result.before:
            lines.append(result.diff(config).rstrip("\n"))
    elif result.after != result.before:
        lines.append(f"Wrote {len(result.new)} new entries to {config}.")
    else:
        lines.append(f"{config} unchanged: nothing new.")
    return "\n".join(lines)


def _title(text: str) -> str:
    return f'"{clip(clean(text), 100)}"' if text else "(no title)"


def _section(section: str) -> str:
    return f"section: {clip(clean(section), 60)}" if section else "no section"
