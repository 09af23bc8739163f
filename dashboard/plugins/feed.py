"""A Datasette plugin (loaded only by `linkkeeper dashboard`): the feed of changes at a stable address,
`/-/changes.atom`, the same feed as `linkkeeper report --format atom` (linkkeeper/output/feed.py)."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from linkkeeper.clock import now_iso
from linkkeeper.output.feed import MEDIA_TYPE, atom
from linkkeeper.store.changes import FEED_ENTRIES, FIRST_RUN, STATE_CHANGES, since

FEED_PATH = "/-/changes.atom"


async def changes(datasette, request) -> Response:
    database, now = datasette.get_database(), now_iso()
    rows = await database.execute(STATE_CHANGES, {"since": since(now), "limit": FEED_ENTRIES})
    began = (await database.execute(FIRST_RUN)).rows[0][0]
    title = datasette.metadata("title") or "linkkeeper"
    text = atom(title, [dict(row) for row in rows.rows], began, now, datasette.absolute_url(request, FEED_PATH))
    return Response(text, content_type=f"{MEDIA_TYPE}; charset=utf-8")


@hookimpl
def register_routes():
    return [(r"^/-/changes\.atom$", changes)]
