"""A small client for the Wayback Machine's APIs: availability, CDX, Save Page Now (anonymous and SPN2).

Owned rather than taken from waybackpy 3.0.6, which sets no timeout (a stalled connection hangs a cron
run forever), misses a correct `Content-Location` answer and retries saves in a blocking loop, sleeps
5 s before availability calls, and has no SPN2 support. Every call here has an explicit timeout, one
base URL serves every endpoint (so tests reach a local Wayback Machine), and errors are classified
as rate-limited, temporary or permanent for the caller to schedule. Protocol: ../shared/WAYBACK.md,
https://archive.org/details/spn-2-public-api-page-docs
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from archive.keys import Keys
from linkkeeper.retry_after import retry_after_seconds

TEMPORARY_JOB_ERRORS = frozenset(
    {
        "error:too-many-daily-captures",
        "error:user-session-limit",
        "error:too-many-requests",
        "error:service-unavailable",
        "error:internal-server-error",
        "error:gateway-timeout",
        "error:proxy-error",
        "error:browsing-timeout",
        "error:capture-location-error",
        "error:celery",
        "error:soft-time-limit-exceeded",
    }
)
_JOB_ID = re.compile(r"""watchJob\(["'](spn2-[0-9a-f]+)["']""")
_MEMENTO = re.compile(r"<([^>]+)>;\s*rel=\"memento\"")
_WEB_PATH = re.compile(r"/web/(\d{14})(?:id_)?/(.+)$")


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


@dataclass(frozen=True)
class Capture:
    timestamp: str
    original: str
    url: str


@dataclass(frozen=True)
class SaveAnswer:
    """What an anonymous save said: a capture's timestamp, or a job to follow, or neither."""

    timestamp: str | None = None
    job_id: str | None = None


@dataclass(frozen=True)
class JobStatus:
    state: str  # pending, success or error
    timestamp: str | None = None
    error: str | None = None

    @property
    def temporary(self) -> bool:
        return (self.error or "").split(" ")[0] in TEMPORARY_JOB_ERRORS


class WaybackClient:
    def __init__(
        self,
        base_url: str,
        timeout: float,
        user_agent: str,
        keys: Keys | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.keys = keys
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def replay_url(self, timestamp: str, url: str) -> str:
        return f"{self.base_url}/web/{timestamp}/{url}"

    def newest_capture(self, url: str, since: str | None = None, before: str | None = None) -> Capture | None:
        """The newest HTTP 200 capture of `url`, optionally only from `since` and up to `before` (timestamps)."""
        params = {
            "url": url,
            "output": "json",
            "fl": "timestamp,original,statuscode",
            "filter": "statuscode:200",
            "limit": "-1",
        }
        if since:
            params["from"] = since
        if before:
            params["to"] = before
        rows = self._json("GET", "/cdx/search/cdx", params=params) or []
        if len(rows) < 2:
            return None
        timestamp, original = rows[-1][0], rows[-1][1]
        return Capture(timestamp, original, self.replay_url(timestamp, original))

    def closest(self, url: str, timestamp: str) -> Capture | None:
        """The availability API's capture closest to `timestamp`, of any status."""
        answer = self._json("GET", "/wayback/available", params={"url": url, "timestamp": timestamp})
        closest = (answer or {}).get("archived_snapshots", {}).get("closest")
        if not closest or not closest.get("available"):
            return None
        return Capture(closest["timestamp"], url, self.replay_url(closest["timestamp"], url))

    def save_anonymous(self, url: str) -> SaveAnswer:
        """`GET /save/URL`; the answer's form has changed over the years, so each known one is read."""
        response = self._call("GET", f"/save/{url}")
        location = response.headers.get("Content-Location", "")
        match = _WEB_PATH.search(location) or _WEB_PATH.search(_memento(response.headers.get("Link", "")))
        if match:
            return SaveAnswer(timestamp=match.group(1))
        job = _JOB_ID.search(response.text[:200000])
        return SaveAnswer(job_id=job.group(1) if job else None)

    def submit(self, url: str, if_not_archived_within_days: float) -> str:
        """SPN2 `POST /save` with keys; returns the job id to follow."""
        answer = self._json(
            "POST",
            "/save",
            data={
                "url": url,
                "capture_outlinks": "0",
                "skip_first_archive": "1",
                "if_not_archived_within": f"{max(1, round(if_not_archived_within_days))}d",
            },
            headers={"Accept": "application/json", "Authorization": self.keys.authorization},
        )
        if isinstance(answer, dict) and answer.get("job_id"):
            return answer["job_id"]
        reason = (answer or {}).get("status_ext") or (answer or {}).get("message") or "no job id in the answer"
        error = WaybackError(f"Save Page Now refused: {reason}")
        error.temporary = reason in TEMPORARY_JOB_ERRORS or not reason.startswith("error:")
        raise error

    def job_status(self, job_id: str) -> JobStatus:
        headers = {"Authorization": self.keys.authorization} if self.keys else {}
        answer = self._json("GET", f"/save/status/{job_id}", headers=headers) or {}
        state = answer.get("status", "pending")
        if state == "success":
            return JobStatus("success", timestamp=answer.get("timestamp"))
        if state == "error":
            detail = answer.get("status_ext") or "error"
            message = answer.get("message")
            return JobStatus("error", error=f"{detail} ({message})" if message else detail)
        return JobStatus("pending")

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._call(method, path, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise WaybackError(f"{path}: the answer is not JSON (HTTP {response.status_code})") from None

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = self.base_url + (quote(path, safe="/:?=&%~+@,;!$*'()") if path.startswith("/save/") else path)
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise WaybackError(f"{path}: no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise WaybackError(f"{path}: {type(error).__name__}") from None
        if response.status_code == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise RateLimited(f"{path}: 429 Too Many Requests", wait)
        blocked = "AdministrativeAccessControlException" in (
            response.headers.get("X-Archive-Wayback-Runtime-Error", "") + response.text[:2000]
        )
        if blocked:
            raise Refused("the Wayback Machine excludes this site", archive_status="excluded")
        if response.status_code in (401, 403):
            raise Refused(f"{path}: HTTP {response.status_code} (keys or access refused)")
        if response.status_code >= 400:
            raise WaybackError(f"{path}: HTTP {response.status_code}")
        return response


def _memento(link_header: str) -> str:
    match = _MEMENTO.search(link_header)
    return match.group(1) if match else ""
