"""Spacing calls to the Wayback Machine: at most N a minute, pushed back after a 429, within a deadline.

Waiting happens here and only here, on an injectable clock and sleep, so one rate-limited endpoint
holds back only the tasks that need it while the others carry on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

FIRST_BACKOFF = 60.0
MAX_BACKOFF = 900.0


class OutOfTime(Exception):
    """The next turn would come after the step's deadline: leave the work for the next run."""


class Pace:
    def __init__(
        self,
        per_minute: float,
        deadline: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.interval = 60.0 / per_minute
        self.deadline = deadline
        self.clock = clock
        self.sleep = sleep
        self.next_at = clock()
        self.backoff = FIRST_BACKOFF

    async def turn(self) -> None:
        """Wait for the next free turn and take it."""
        while True:
            now = self.clock()
            if max(now, self.next_at) > self.deadline:
                raise OutOfTime(f"next turn in {max(0, self.next_at - now):.0f} s, after this run's time budget")
            if now >= self.next_at:
                self.next_at = now + self.interval
                return
            await self.sleep(self.next_at - now)

    def rate_limited(self, retry_after: float | None) -> float:
        """A 429: honour its Retry-After, else back off exponentially (the archive often sends none)."""
        wait = retry_after if retry_after is not None else self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)
        self.next_at = max(self.next_at, self.clock() + wait)
        return wait

    def succeeded(self) -> None:
        self.backoff = FIRST_BACKOFF
