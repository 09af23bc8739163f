"""A small client for the Wayback Machine's APIs: availability, CDX, Save Page Now (anonymous and SPN2).

Owned rather than taken from waybackpy 3.0.6, which sets no timeout (a stalled connection hangs a cron
run forever), misses a correct `Content-Location` answer and retries saves in a blocking loop, sleeps
5 s before availability calls, and has no SPN2 support. Every call here ends within its deadline
and reads a bounded answer (`transport.py`), every answer is validated before use (`answers.py`), one
base URL serves every endpoint (so tests reach a local Wayback Machine), and errors are classified
as rate-limited, temporary or permanent for the caller to schedule. Protocol: ../shared/WAYBACK.md,
https://archive.org/details/spn-2-public-api-page-docs
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

from archive import answers
from archive.answers import TEMPORARY_JOB_ERRORS, JobStatus
from archive.errors import Malformed, RateLimited, Refused, WaybackError
from archive.keys import Keys
from archive.transport import Answer, CallError, bounded_session, fetch
from linkkeeper.health.retry_after import retry_after_seconds
from linkkeeper.health.vocabulary import EXCLUDED

CDX_FIELDS = ("timestamp", "original", "statuscode")
_BLOCKED = "AdministrativeAccessControlException"  # how an excluded site's answer says so
_JOB_IN_PAGE = re.compile(rf"""watchJob\(["']({answers.JOB_ID})["']""")
_MEMENTO = re.compile(r"<([^>]+)>;\s*rel=\"memento\"")
_WEB_PATH = re.compile(r"/web/([0-9]{14})(?:id_)?/(.+)$")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
REPLAY_REDIRECTS = 3  # to the nearest capture, and perhaps from there to its `id_` form


@dataclass(frozen=True)
class Capture:
    """A capture of the page asked for, at a validated timestamp; `url` is built here, never taken from an answer."""

    timestamp: str
    url: str


@dataclass(frozen=True)
class Replayed:
    """A capture as the site served it that day, at the timestamp the archive replayed."""

    timestamp: str
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class SaveAnswer:
    """What an anonymous save said: a capture's timestamp, or a job to follow, or neither."""

    timestamp: str | None = None
    job_id: str | None = None


class WaybackClient:
    """Each call takes at most `timeout` seconds, or `time_left` when that is shorter (the step's budget)."""

    def __init__(self, base_url: str, timeout: float, user_agent: str, keys: Keys | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.keys = keys
        self.session = bounded_session(user_agent)

    def replay_url(self, timestamp: str, url: str) -> str:
        return f"{self.base_url}/web/{timestamp}/{url}"

    def newest_capture(
        self, url: str, since: str | None = None, before: str | None = None, *, time_left: float = math.inf
    ) -> Capture | None:
        """The newest HTTP 200 capture of `url`, optionally only from `since` and up to `before` (timestamps)."""
        found = self.captures(url, since, before, 1, time_left=time_left)
        return found[0] if found else None

    def captures(
        self, url: str, since: str | None, before: str | None, count: int, *, time_left: float = math.inf
    ) -> list[Capture]:
        """The `count` newest HTTP 200 captures of `url` from `since` up to `before` (timestamps), newest first."""
        params = {
            "url": url, "output": "json", "fl": ",".join(CDX_FIELDS), "filter": "statuscode:200", "limit": f"-{count}"
        }
        if since:
            params["from"] = since
        if before:
            params["to"] = before
        rows = self._json("GET", "/cdx/search/cdx", time_left, "the CDX answer", params=params)
        timestamps = answers.capture_timestamps(rows, url, CDX_FIELDS, since, before)
        return [Capture(timestamp, self.replay_url(timestamp, url)) for timestamp in timestamps[:count]]

    def raw_capture(self, capture: Capture, url: str, *, time_left: float = math.inf) -> Replayed | None:
        """The capture as the site served it (`/web/TSid_/URL`: its own status, headers and bytes), or None when
        the archive replays it as another page.

        The archive answers a timestamp it does not hold exactly with a redirect to the nearest capture: a few
        such redirects are followed while they stay on the archive and on this page, and the capture landed on
        is the one returned. The whole call, redirects included, ends within its deadline.
        """
        deadline = time.monotonic() + min(self.timeout, time_left)
        timestamp = capture.timestamp
        for _ in range(REPLAY_REDIRECTS + 1):
            path = f"/web/{timestamp}id_/{url}"
            answer = self._answer("GET", path, deadline - time.monotonic(), start_only=True, allow_redirects=False)
            if answer.status not in _REDIRECTS:
                if answer.status >= 500 and "Memento-Datetime" not in answer.headers:
                    raise WaybackError(f"/web/: HTTP {answer.status}")  # the archive's trouble, not the capture's
                return Replayed(timestamp, answer.status, answer.headers, answer.body)
            timestamp = self._nearest(answer.headers.get("Location", ""), path, url)
            if timestamp is None:
                return None
        raise WaybackError(f"/web/: more than {REPLAY_REDIRECTS} redirects replaying a capture")

    def _nearest(self, location: str, path: str, url: str) -> str | None:
        """The timestamp a replay's redirect leads to, or None when it leads to a capture of another page.
        A redirect off the archive, or to no capture at all, makes no sense."""
        target = urljoin(self.base_url + path, location)
        match = _WEB_PATH.match(target, len(self.base_url)) if target.startswith(self.base_url + "/") else None
        if not match:
            raise Malformed("the replay's redirect makes no sense: it leads to no capture")
        answers.moment(match.group(1), "the replay's redirect")
        return match.group(1) if answers.same_page(match.group(2), url) else None

    def closest(self, url: str, timestamp: str, *, time_left: float = math.inf) -> Capture | None:
        """The availability API's capture closest to `timestamp`, of any status."""
        params = {"url": url, "timestamp": timestamp}
        answer = self._json("GET", "/wayback/available", time_left, "the availability answer", params=params)
        found = answers.closest_timestamp(answer)
        return Capture(found, self.replay_url(found, url)) if found else None

    def save_anonymous(self, url: str, *, time_left: float = math.inf) -> SaveAnswer:
        """`GET /save/URL`; the answer's form has changed over the years, so each known one is read.

        An announced timestamp is only a claim (it is checked with the availability API); one that is
        not a real capture time is ignored, as if the answer had named none.
        """
        response = self._call("GET", f"/save/{url}", time_left)
        location = response.headers.get("Content-Location", "")
        match = _WEB_PATH.search(location) or _WEB_PATH.search(_memento(response.headers.get("Link", "")))
        if match:
            try:
                answers.moment(match.group(1))
                return SaveAnswer(timestamp=match.group(1))
            except Malformed:
                pass
        job = _JOB_IN_PAGE.search(response.text)
        return SaveAnswer(job_id=job.group(1) if job else None)

    def submit(self, url: str, if_not_archived_within_days: int, *, time_left: float = math.inf) -> str:
        """SPN2 `POST /save` with keys; returns the job id to follow."""
        answer = self._json(
            "POST",
            "/save",
            time_left,
            "the Save Page Now answer",
            data={
                "url": url,
                "capture_outlinks": "0",
                "skip_first_archive": "1",
                "if_not_archived_within": f"{if_not_archived_within_days}d",
            },
            headers={"Accept": "application/json", "Authorization": self.keys.authorization},
        )
        job = answers.submitted_job(answer)
        if job:
            return job
        reason = answers.refusal(answer)
        error = WaybackError(f"Save Page Now refused: {reason}")
        error.temporary = reason in TEMPORARY_JOB_ERRORS or not reason.startswith("error:")
        raise error

    def job_status(self, job_id: str, url: str, *, time_left: float = math.inf) -> JobStatus:
        headers = {"Authorization": self.keys.authorization} if self.keys else {}
        answer = self._json("GET", f"/save/status/{job_id}", time_left, "the job status", headers=headers)
        return answers.job_status(answer, url)

    def _json(self, method: str, path: str, time_left: float, what: str, **kwargs: Any) -> Any:
        return answers.json_answer(self._call(method, path, time_left, **kwargs).body, what)

    def _call(self, method: str, path: str, time_left: float, **kwargs: Any) -> Answer:
        response = self._answer(method, path, time_left, **kwargs)
        if response.status in (401, 403):
            raise Refused(f"{path}: HTTP {response.status} (keys or access refused)")
        if response.status >= 400:
            raise WaybackError(f"{path}: HTTP {response.status}")
        return response

    def _answer(self, method: str, path: str, time_left: float, **kwargs: Any) -> Answer:
        """Any answer but a rate limit or an excluded site's: a replay's status is the capture's, not an error."""
        quoted = path.startswith(("/save/", "/web/"))
        url = self.base_url + (quote(path, safe="/:?=&%~+@,;!$*'()") if quoted else path)
        try:
            response = fetch(self.session, method, url, min(self.timeout, time_left), **kwargs)
        except CallError as error:
            raise WaybackError(f"{path}: {error}") from None
        if response.status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise RateLimited(f"{path}: 429 Too Many Requests", wait)
        runtime_error = response.headers.get("X-Archive-Wayback-Runtime-Error", "")
        if _BLOCKED in runtime_error or _BLOCKED.encode() in response.body[:2000]:
            raise Refused("the Wayback Machine excludes this site", archive_status=EXCLUDED)
        return response


def _memento(link_header: str) -> str:
    match = _MEMENTO.search(link_header)
    return match.group(1) if match else ""
