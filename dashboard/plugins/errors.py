"""A Datasette plugin (loaded by `linkkeeper dashboard` through --plugins-dir): an error page stays the error it is.

Datasette 0.65.5 prints every error, a 404 included, with `rich` when that package can be imported, and
rich 14 and later refuse to print an exception that is not being handled: each 404 (and a refused write)
then became a 500 with a traceback in the server's log. rich is no dependency of ours, but comes with many
tools (mutmut's among them), so its presence must not decide what the dashboard answers.
"""

from __future__ import annotations

from datasette import handle_exception

handle_exception.rich = None
