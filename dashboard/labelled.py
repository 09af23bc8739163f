"""Labels for the form controls of Datasette's own pages (a table's filters, the SQL box), which it writes
without one: a screen reader would announce "combo box" and nothing else (WCAG 1.3.1, 4.1.2)."""

from __future__ import annotations

import re

from markupsafe import Markup

CONTROL_LABELS = {
    "_filter_column": "Column to filter by",
    "_filter_op": "How to compare",
    "_filter_value": "Value to compare with",
    "_sort": "Sort by",
}
# A control by its name (the filters already applied are numbered: _filter_column_1), not yet labelled.
_CONTROL = re.compile(r'<(select|input) ([^>]*?)name="(_filter_column|_filter_op|_filter_value|_sort)(?:_\d+)?"')


def labelled(page: str) -> Markup:
    """`page` (markup Datasette wrote) with each unlabelled filter control named by its aria-label."""
    return Markup(
        _CONTROL.sub(lambda found: f'{found.group(0)} aria-label="{CONTROL_LABELS[found.group(3)]}"', str(page))
    )
