"""The README's reference tables, rendered from the code that defines them.

The README embeds them with cog (`cog -r README.md` rewrites them, `cog --check README.md` in CI fails
when one is stale), so a setting, an exit status or a finding cannot be added or changed without the
README saying so, and the two can never disagree.
"""

from __future__ import annotations

import signal

from linkkeeper.config.settings import SETTINGS, Setting
from linkkeeper.errors import EXIT_STATUSES, STOPPED
from linkkeeper.health.findings import FINDINGS
from linkkeeper.store.schema import COLUMNS, RUN_JSON, TABLES
from linkkeeper.store.views import VIEWS


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def settings_table() -> str:
    return table(
        ("setting", "default", "range", "meaning"),
        [(f"`{name}`", _default(spec), spec.range if spec.minimum is not None else "", spec.help)
         for name, spec in SETTINGS.items()],
    )


def _default(spec: Setting) -> str:
    value = spec.default
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value) if value else "`[]`"
    return f"`{value}`" if value else '`""`'


def exit_status_table() -> str:
    stopped = ", ".join(str(128 + s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
    return table(
        ("status", "meaning"),
        [(str(code), meaning) for code, meaning in EXIT_STATUSES.items()] + [(stopped, STOPPED)],
    )


def findings_table() -> str:
    return table(
        ("finding", "outcome", "category", "meaning"),
        [(f"`{f.name}`", f.outcome, f.category, f.label) for f in FINDINGS.values()],
    )


def schema_tables() -> str:
    """Each table and view with every column's meaning, as the dashboard describes them."""
    parts = []
    for name, about in TABLES.items():
        kind = " (view)" if name in VIEWS else ""
        parts.append(f"**`{name}`**{kind}: {about}\n")
        parts.append(table(("column", "meaning"), [(f"`{column}`", words) for column, words in COLUMNS[name].items()]))
        parts.append("")
    return "\n".join(parts).rstrip("\n")


def run_json_table() -> str:
    return table(
        ("key", "what it holds"),
        [(f"`{key}`", about + (f": {', '.join(f'`{k}`' for k in keys)}" if keys else ""))
         for key, (about, keys) in RUN_JSON.items()],
    )
