"""One message to one target through Apprise, within a deadline: a target that accepts the connection and never
answers cannot hold cron. What comes back is None (sent) or why not, in one line with the URL's secrets hidden;
nothing raises and Apprise's log reaches no handler (it can name the URL, token and all)."""

from __future__ import annotations

from typing import Any

from linkkeeper.config.targets import Target, apprise_silenced

SEND_SECONDS = 30.0
"""The deadline of one send, whatever the target (Apprise gives up waiting and reports a timeout)."""


def send(target: Target, title: str, body: str, markdown: str) -> str | None:
    """Send the Markdown body to a target that renders Markdown or HTML, the plain body to one that prefers text."""
    import apprise

    formats = target.plugin.notify_format
    preferred = formats[0] if isinstance(formats, tuple) else formats
    plain = preferred == apprise.NotifyFormat.TEXT
    _bound(target.plugin)
    sender = apprise.Apprise()
    sender.add(target.plugin)
    with apprise_silenced() as said:
        try:
            result = sender.notify(
                body=body if plain else markdown,
                title=title,
                body_format=apprise.NotifyFormat.TEXT if plain else apprise.NotifyFormat.MARKDOWN,
                timeout=SEND_SECONDS,
            )
        except Exception as error:  # a plugin's own failure is this target's, never the run's
            return _one_line(target, f"{type(error).__name__}: {error}")
    if result:
        return None
    words = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    return _one_line(target, "; ".join(dict.fromkeys(words or [r.getMessage() for r in said])) or "not sent")


def _bound(plugin: Any) -> None:
    """No socket of the send may wait longer than the deadline (a URL's own `rto=` or `cto=` included): Apprise
    stops waiting at the deadline, but the process would still wait for the thread it leaves sending."""
    for name in ("socket_connect_timeout", "socket_read_timeout"):
        setattr(plugin, name, min(getattr(plugin, name, None) or SEND_SECONDS, SEND_SECONDS))


def _one_line(target: Target, text: str) -> str:
    return " ".join(target.scrub(text).split())[:300]
