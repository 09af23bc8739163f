"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): every HTML page says its
language (`<html lang="en">`), which screen readers need to pronounce it (WCAG 3.1.1).

Datasette's base template writes a bare `<html>` outside any block a template could override, and so do the
pages of datasette-dashboards; so the first `<html>` of each HTML answer is rewritten on its way out.
"""

from __future__ import annotations

from datasette import hookimpl

BARE, WITH_LANGUAGE = b"<html>", b'<html lang="en">'


def _is_html(headers: list) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _add_language(app):
    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        held = {}

        async def sending(message):
            if message["type"] == "http.response.start" and _is_html(message.get("headers", [])):
                held["start"] = message  # sent with the first part of the body, its length corrected
                return None
            if message["type"] == "http.response.body" and "start" in held:
                start, body = held.pop("start"), message.get("body", b"")
                changed = body.replace(BARE, WITH_LANGUAGE, 1)
                grown = len(changed) - len(body)
                start["headers"] = [
                    (name, str(int(value) + grown).encode() if name.lower() == b"content-length" else value)
                    for name, value in start["headers"]
                ]
                await send(start)
                return await send({**message, "body": changed})
            return await send(message)

        return await app(scope, receive, sending)

    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    return _add_language
