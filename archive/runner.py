"""Carry out the archive step's snapshots concurrently, within the Wayback Machine's limits.

Each snapshot row is already `pending` in the database before any call is made (`storage.queue_snapshots`);
here it moves to `archived`, `lost` or `failed`, or stays `pending` with its error for the next run.
Every outcome is written in one transaction with the resource's archive columns, so a kill leaves
no half-recorded snapshot. Calls run in threads of the step's own (`Threads`), each given the time left of the
budget when it starts; waiting happens only in `pacing` and between polls, and every wait ends with the budget.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from archive import answers
from archive.errors import Malformed, RateLimited, WaybackError
from archive.pacing import OutOfTime, Pace, Threads, threads_for
from archive.policy import LOOKUP
from archive.verify import in_brief, judge_capture
from archive.wayback import Capture, Replayed, SaveAnswer, WaybackClient
from crawler.rules.fetched import Verdict
from linkkeeper.clock import now, now_iso
from linkkeeper.config.settings import ArchivePolicy
from linkkeeper.health.drift import Baseline
from linkkeeper.health.vocabulary import ARCHIVED, FAILED, LOST, PENDING, REFUSED
from linkkeeper.store import queries as storage


@dataclass
class Task:
    snapshot: dict[str, Any]
    failing_since: str | None
    forced: bool = False

    @property
    def url(self) -> str:
        return self.snapshot["url"]


@dataclass(frozen=True)
class Outcome:
    url: str
    action: str
    status: str  # one of vocabulary.SNAPSHOT_STATUSES
    archive_url: str | None = None
    note: str | None = None


def wayback_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def iso_from_wayback(timestamp: str) -> str:
    return answers.moment(timestamp).isoformat()


def _second_before(timestamp: str) -> str:
    return wayback_timestamp(answers.moment(timestamp) - timedelta(seconds=1))


def _passed_note(passed: list[dict[str, Any]], which: str = "") -> str:
    return f"{len(passed)} {which}passed over ({'; '.join(in_brief(row) for row in passed)})"


def _chosen_note(chosen: Capture, passed: list[dict[str, Any]]) -> str:
    """Which capture readers are sent to, and what newer ones were not shown to them."""
    said = f"the capture of {iso_from_wayback(chosen.timestamp)[:10]} shows the page"
    return f"{said}; {_passed_note(passed, 'newer ')}" if passed else said


class Archiver:
    def __init__(
        self,
        db,
        client: WaybackClient,
        policy: ArchivePolicy,
        on_submit: Callable[[Task], None] = lambda task: None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.db = db
        self.client = client
        self.policy = policy
        self.on_submit = on_submit
        self.clock = clock
        self.sleep = sleep
        self.deadline = clock() + policy.time_budget
        self.saves = Pace(policy.saves_per_minute, self.deadline, clock, sleep)
        self.lookups = Pace(policy.cdx_per_minute, self.deadline, clock, sleep)
        per_minute = policy.saves_per_minute + policy.cdx_per_minute
        call_seconds = min(policy.request_timeout, policy.time_budget)
        self.threads = Threads(threads_for(per_minute, call_seconds, policy.max_jobs), self.deadline, clock)
        day_ago = (now() - timedelta(days=1)).isoformat()
        self.saves_left = policy.saves_per_day - storage.saves_since(db, day_ago)

    def run(self, tasks: list[Task]) -> list[Outcome]:
        return asyncio.run(self._run_all(tasks))

    async def _run_all(self, tasks: list[Task]) -> list[Outcome]:
        self.jobs = asyncio.Semaphore(self.policy.max_jobs)
        return list(await asyncio.gather(*(self._perform(task) for task in tasks)))

    async def _perform(self, task: Task) -> Outcome:
        self._record(task, {"attempts": (task.snapshot["attempts"] or 0) + 1})
        try:
            if task.snapshot["action"] == LOOKUP:
                return await self._lookup(task)
            return await self._save(task)
        except OutOfTime as error:
            return self._pending(task, f"left for the next run: {error}")
        except WaybackError as error:
            if error.temporary:
                return self._pending(task, str(error))
            return self._failed(task, str(error), getattr(error, "archive_status", None))

    async def _lookup(self, task: Task) -> Outcome:
        """The newest capture from before the failing began that shows the page: a bounded number are fetched
        and judged, newest first; each passed over is kept with why, and the next run goes on below them."""
        before = wayback_timestamp(datetime.fromisoformat(task.failing_since)) if task.failing_since else None
        passed = storage.passed_over(self.db, [task.snapshot["id"]])
        below = _second_before(passed[-1]["timestamp"]) if passed else before
        count = self.policy.captures_per_lookup
        captures = await self._call(self.lookups, self.client.captures, task.url, None, below, count)
        resource_id = task.snapshot["resource_id"]
        baseline = storage.baselines_of(self.db, [resource_id]).get(resource_id, Baseline()).content
        for capture in captures:
            replayed = await self._call(self.lookups, self.client.raw_capture, capture, task.url)
            verdict = judge_capture(replayed, task.url, baseline, now())
            if replayed and before and replayed.timestamp > before:
                landed = f"the archive replays its capture of {replayed.timestamp}, after the failing began"
                verdict = Verdict("moved", landed)
            if verdict.finding == "ok":
                chosen = Capture(replayed.timestamp, self.client.replay_url(replayed.timestamp, task.url))
                return self._archived(task, chosen, _chosen_note(chosen, passed), verified=True)
            passed.append(self._pass_over(task, capture.timestamp, replayed, verdict))
        if len(captures) == count:
            note = f"{len(passed)} captures passed over so far; older ones are judged next run"
            self._record(task, {"error": None, "note": note})
            return Outcome(task.url, task.snapshot["action"], PENDING, note=note)
        until = f" before {task.failing_since[:10]}" if task.failing_since else ""
        note = f"no good capture{until}" + (f": {_passed_note(passed)}" if passed else "")
        self._record(
            task,
            {"status": LOST, "completed_at": now_iso(), "error": None, "note": note},
            {
                "archive_url": None, "archive_status": LOST, "archived_at": None, "archive_checked_at": now_iso(),
                "archive_verified_at": None,
            },
        )
        return Outcome(task.url, task.snapshot["action"], LOST, note=note)

    def _pass_over(self, task: Task, timestamp: str, replayed: Replayed | None, verdict: Verdict) -> dict[str, Any]:
        passed = {
            "timestamp": timestamp, "status": replayed.status if replayed else None, "finding": verdict.finding,
            "reason": verdict.detail, "judged_at": now_iso(),
        }
        storage.pass_over(self.db, task.snapshot, passed)
        return passed

    async def _save(self, task: Task) -> Outcome:
        snapshot = task.snapshot
        if snapshot["job_id"]:
            return await self._follow(task, snapshot["job_id"])
        if snapshot["submitted_at"]:
            found = await self._newest_since(task.url, snapshot["submitted_at"])
            if found:
                return self._archived(task, found)
        if not task.forced:
            window = now() - timedelta(days=self.policy.resave_after_days)
            recent = await self._newest_since(task.url, window.isoformat())
            if recent:
                return self._archived(task, recent, note="captured recently; not submitted again")
        async with self._job_slot():
            return await self._submit(task)

    @asynccontextmanager
    async def _job_slot(self) -> AsyncIterator[None]:
        """One of `max_jobs` places for a job in progress, waited for no later than the end of the budget."""
        time_left = self.deadline - self.clock()
        if time_left <= 0:
            raise OutOfTime("no time left of this run's time budget for a save")
        try:
            await asyncio.wait_for(self.jobs.acquire(), time_left)
        except TimeoutError:
            jobs = self.policy.max_jobs
            raise OutOfTime(f"{jobs} Save Page Now jobs in progress until the end of this run's time budget") from None
        try:
            yield
        finally:
            self.jobs.release()

    async def _submit(self, task: Task) -> Outcome:
        if self.saves_left <= 0:
            return self._pending(task, f"daily limit of {self.policy.saves_per_day} saves reached")
        self.saves_left -= 1

        def submitting() -> None:
            self._record(task, {"submitted_at": now_iso()})
            self.on_submit(task)

        if self.client.keys:
            days = self._resave_days()
            job_id = await self._call(self.saves, self.client.submit, task.url, days, on_turn=submitting)
            answer = SaveAnswer(job_id=job_id)
        else:
            answer = await self._call(self.saves, self.client.save_anonymous, task.url, on_turn=submitting)
        if answer.job_id:
            self._record(task, {"job_id": answer.job_id})
            return await self._follow(task, answer.job_id)
        found = await self._verify(task.url, answer.timestamp, task.snapshot["submitted_at"])
        if found:
            return self._archived(task, found)
        return self._pending(task, "submitted; the capture is not visible yet")

    async def _verify(self, url: str, timestamp: str | None, submitted_at: str) -> Capture | None:
        """The capture a save announced, confirmed by the availability API, else any CDX capture since."""
        if timestamp and self._fresh(timestamp):
            capture = await self._call(self.lookups, self.client.closest, url, timestamp)
            if capture and capture.timestamp == timestamp:
                return capture
        return await self._newest_since(url, submitted_at)

    async def _follow(self, task: Task, job_id: str) -> Outcome:
        """Poll a Save Page Now job until it ends, or leave it pending (job id kept) for the next run."""
        until = min(self.deadline, self.clock() + self.policy.job_timeout)
        while True:
            still = f"job {job_id} still capturing; followed up next run"
            if self.deadline - self.clock() <= 0:
                return self._pending(task, still)
            try:
                status = await self.threads.call(functools.partial(self.client.job_status, job_id, task.url))
                if status.state == "success" and not self._fresh(status.timestamp):
                    raise Malformed("its success names a capture older than the resave window")
            except RateLimited as error:  # the job goes on at the archive: followed up, not submitted again
                return self._pending(task, f"{still} ({error})")
            except WaybackError as error:
                self._record(task, {"job_id": None})
                return self._pending(task, f"job {job_id} could not be followed ({error}); submitted again next run")
            if status.state == "success":
                replay = self.client.replay_url(status.timestamp, task.url)
                return self._archived(task, Capture(status.timestamp, replay))
            if status.state == "error":
                if status.temporary:
                    self._record(task, {"job_id": None})
                    return self._pending(task, f"Save Page Now: {status.error}")
                return self._failed(task, f"Save Page Now: {status.error}", archive_status=REFUSED)
            if self.clock() + self.policy.poll_interval > until:
                return self._pending(task, still)
            await self.sleep(self.policy.poll_interval)

    async def _newest_since(self, url: str, since_iso: str) -> Capture | None:
        since = wayback_timestamp(datetime.fromisoformat(since_iso))
        return await self._call(self.lookups, self.client.newest_capture, url, since, None)

    async def _call(
        self, pace: Pace, function: Callable, *args: Any, on_turn: Callable[[], None] = lambda: None
    ) -> Any:
        """One call in its turn and in a free thread, given no more time than is left of the budget when it
        starts; a 429 pushes this endpoint back and the call waits for its next turn.

        `on_turn` runs when the call is about to start. If its turn or a free thread would come only after the
        time budget, `OutOfTime` leaves the work pending, saying why.
        """
        limited = None
        while True:
            try:
                await pace.turn()
                result = await self.threads.call(functools.partial(function, *args), on_start=on_turn)
            except OutOfTime as error:
                raise OutOfTime(f"{limited}; {error}" if limited else str(error)) from None
            except RateLimited as error:
                wait = pace.rate_limited(error.retry_after)
                limited = f"rate limited by the Wayback Machine (backing off {wait:.0f} s)"
                continue
            pace.succeeded()
            return result

    def _resave_days(self) -> int:
        """The resave window in whole days, as SPN2's `if_not_archived_within` takes it."""
        return max(1, round(self.policy.resave_after_days))

    def _fresh(self, timestamp: str) -> bool:
        """Whether a capture a save announced is recent enough to be that save's: an answer naming an older
        one is not taken as "captured recently"."""
        return answers.moment(timestamp) >= now() - timedelta(days=self._resave_days())

    def _archived(self, task: Task, capture: Capture, note: str | None = None, verified: bool = False) -> Outcome:
        """`verified`: the capture was fetched and judged to show the page; a save's copy was not."""
        captured_at = iso_from_wayback(capture.timestamp)
        self._record(
            task,
            {
                "status": ARCHIVED, "completed_at": now_iso(), "archive_url": capture.url,
                "captured_at": captured_at, "error": None, "note": note,
            },
            {
                "archive_url": capture.url, "archive_status": ARCHIVED, "archived_at": captured_at,
                "archive_checked_at": now_iso(), "archive_verified_at": now_iso() if verified else None,
            },
        )
        return Outcome(task.url, task.snapshot["action"], ARCHIVED, capture.url, note)

    def _pending(self, task: Task, error: str) -> Outcome:
        self._record(task, {"error": self._scrub(error)})
        return Outcome(task.url, task.snapshot["action"], PENDING, note=self._scrub(error))

    def _failed(self, task: Task, error: str, archive_status: str | None = None) -> Outcome:
        resource = {"archive_status": archive_status, "archive_checked_at": now_iso()} if archive_status else None
        self._record(task, {"status": FAILED, "completed_at": now_iso(), "error": self._scrub(error)}, resource)
        return Outcome(task.url, task.snapshot["action"], FAILED, note=self._scrub(error))

    def _record(self, task: Task, fields: dict[str, Any], resource: dict[str, Any] | None = None) -> None:
        storage.update_snapshot(self.db, task.snapshot, fields, resource)
        task.snapshot.update(fields)

    def _scrub(self, text: str) -> str:
        return self.client.keys.scrub(text) if self.client.keys else text
