"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): every table and query shows
times, states, listed URLs and archived copies as `dashboard/cells.py` does on linkkeeper's own pages, with
linkkeeper's stylesheet on every page."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from dashboard import cells, style


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
