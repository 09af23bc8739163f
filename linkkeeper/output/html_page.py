"""The shell of every HTML page linkkeeper writes (the report, a PDF's errata sheet): one place for what a
phone needs to lay a page out (its viewport) and for the character set."""

from __future__ import annotations

_SHELL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{style}</style>
</head>
<body>
{body}</body>
</html>
"""


def html_page(title: str, style: str, body: str) -> str:
    """Each part is written as it is: the caller escapes the title and the body's text."""
    return _SHELL.format(title=title, style=style, body=body)
