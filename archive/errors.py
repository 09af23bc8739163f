"""What can go wrong in a Wayback Machine call, classified for the runner to schedule.

A `temporary` error leaves the work pending for the next run; any other is final for that work.
"""

from __future__ import annotations


class WaybackError(Exception):
    """A call that did not succeed; `temporary` ones are retried later, the others are final."""

    temporary = True


class RateLimited(WaybackError):
    def __init__(self, message: str, retry_after: float | None):
        super().__init__(message)
        self.retry_after = retry_after


class Refused(WaybackError):
    """Permanent: the archive will not do this. `archive_status` says so of the page itself, if it is about it."""

    temporary = False

    def __init__(self, message: str, archive_status: str | None = None):
        super().__init__(message)
        self.archive_status = archive_status


class Malformed(WaybackError):
    """An answer that makes no sense: temporary, so the work stays pending and nothing of it is stored."""
