"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): every table and query shows
times, states, listed URLs and archived copies as `dashboard/cells.py` does on linkkeeper's own pages, with
linkkeeper's stylesheet on every page; and every template gets the words people read (dashboard/words.py):
the list's time zone, which every page names in the reports' words, and each column's header."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from dashboard import cells, style, words
from dashboard.labelled import labelled
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, LOST, STATES
from linkkeeper.output import reader
from linkkeeper.output.reports import zone_words


async def stylesheet(request) -> Response:
    return Response(style.stylesheet(), content_type="text/css; charset=utf-8")


@hookimpl
def register_routes():
    return [(f"^{style.STYLESHEET}$", stylesheet)]


@hookimpl
def extra_css_urls():
    return [style.STYLESHEET]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return cells.render(column, value, dict(zip(row.keys(), row, strict=True)), cells.zone_of(datasette), cells.now())


@hookimpl
def startup(datasette):
    """The list's zone, as the reports name it ("Dates are in Pacific/Fiji time (UTC+12:00)."), for every page's
    footer: a global, because Datasette draws its error pages without plugins' variables; a function, because
    the offset changes with daylight saving while the dashboard runs."""
    datasette.jinja_env.globals["zone_words"] = lambda: zone_words(cells.zone_of(datasette), cells.now())


@hookimpl
def extra_template_vars(datasette):
    where, at = cells.zone_of(datasette), cells.now()
    return {
        "column_words": words.column,
        "parameter_words": lambda name: words.PARAMETER_LABELS.get(name) or words.column(name),
        "facet_value_words": words.facet_value,
        "titled_link": cells.titled_link,
        "badge": cells.badge,
        "when": lambda iso: cells.when(iso, where, at),
        "copy": cells.copy,
        "lost": ARCHIVE_STATUSES[LOST],
        "states": STATES,
        "reader_sentence": lambda row: reader.sentence(row, where),
        "labelled": labelled,
        # A row of a Datasette table page as its stored values, for pages that lay a row out themselves.
        "raw_row": lambda row: {cell["column"]: cell["raw"] for cell in row},
    }
