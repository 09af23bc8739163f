"""Plain-text tables for `linkkeeper status` and `linkkeeper history`: readable in a terminal and in mail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from linkkeeper.vocabulary import STATES, UNKNOWN


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], colour: bool = False) -> str:
    """Columns padded to their widest cell; a `state` column is coloured when `colour`."""
    cells = [[_text(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)]
    lines = ["  ".join(column.upper().ljust(width) for column, width in zip(columns, widths, strict=True)).rstrip()]
    for row, line in zip(rows, cells, strict=True):
        padded = []
        for column, cell, width in zip(columns, line, widths, strict=True):
            text = cell.ljust(width)
            if colour and column == "state":
                state = STATES.get(row.get("state")) or STATES[UNKNOWN]
                text = click.style(text, fg=state.terminal)
            padded.append(text)
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
