"""Reading the Wayback Machine's answers: every field checked, nothing taken on trust.

An answer that makes no sense (not JSON, a JSON of the wrong shape, a field of the wrong type, a timestamp
that is not a real moment, a capture of another page or outside the range asked for) raises `Malformed`,
which leaves the work pending for the next run with a plain one-line reason. So a nonsense answer never
marks a page lost, never puts markup in a stored link, and never passes an old capture off as a recent one.
Only validated timestamps and job ids leave this module; archive URLs are built by the client from them.
Shapes: ../shared/WAYBACK.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from archive.errors import Malformed
from linkkeeper.clock import now
from linkkeeper.quote import clip

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"
FIRST_CAPTURES = datetime(1996, 1, 1, tzinfo=UTC)  # the Wayback Machine's oldest captures are from 1996
CLOCK_SLACK = timedelta(days=1)  # a capture "from the future" by more than this is nonsense, not skew
JOB_ID = r"spn2-[0-9a-f]{8,64}"
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
MESSAGE_CHARACTERS = 200  # of a message from the archive kept in an error

_TIMESTAMP = re.compile(r"[0-9]{14}")  # not \d, which also matches other scripts' digits
_STATUS_CODE = re.compile(r"[1-5][0-9]{2}")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_JOB_ID = re.compile(JOB_ID)
_ERROR_CODE = re.compile(r"error:[a-z0-9-]{1,64}")


@dataclass(frozen=True)
class JobStatus:
    state: str  # pending, success or error
    timestamp: str | None = None
    error: str | None = None

    @property
    def temporary(self) -> bool:
        return (self.error or "").split(" ")[0] in TEMPORARY_JOB_ERRORS


def moment(timestamp: object, what: str = "the answer") -> datetime:
    """The UTC moment of a capture timestamp: exactly 14 ASCII digits naming a real time, 1996 to now."""
    if not isinstance(timestamp, str) or not _TIMESTAMP.fullmatch(timestamp):
        raise Malformed(f"{what} makes no sense: a timestamp is not 14 digits")
    try:
        when = datetime.strptime(timestamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise Malformed(f"{what} makes no sense: a timestamp is not a real date and time") from None
    if when.strftime(TIMESTAMP_FORMAT) != timestamp or not FIRST_CAPTURES <= when <= now() + CLOCK_SLACK:
        raise Malformed(f"{what} makes no sense: a timestamp is not a real capture time")
    return when


def json_answer(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise Malformed(f"{what} makes no sense: it is not JSON") from None


def capture_timestamps(
    rows: object, url: str, fields: tuple[str, ...], since: str | None, before: str | None
) -> list[str]:
    """The timestamps of the HTTP 200 captures of `url` in a CDX JSON answer asked for `fields` (which include
    timestamp, original and statuscode) between `since` and `before`, newest first; every row is checked, so
    one row that makes no sense discards the whole answer."""
    what = "the CDX answer"
    if not isinstance(rows, list):
        raise Malformed(f"{what} makes no sense: it is not a list of rows")
    if not rows:
        return []
    if rows[0] != list(fields):
        raise Malformed(f"{what} makes no sense: its first row is not the fields asked for")
    found = set()
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != len(fields) or not all(isinstance(f, str) for f in row):
            raise Malformed(f"{what} makes no sense: a row is not {len(fields)} strings")
        capture = dict(zip(fields, row, strict=True))
        if capture["statuscode"] != "200":
            raise Malformed(f"{what} makes no sense: a row's status is not the 200 asked for")
        if not same_page(capture["original"], url):
            raise Malformed(f"{what} makes no sense: a row is a capture of another page")
        timestamp = capture["timestamp"]
        moment(timestamp, what)
        if (since and timestamp < since) or (before and timestamp > before):
            raise Malformed(f"{what} makes no sense: a row is outside the time range asked for")
        found.add(timestamp)
    return sorted(found, reverse=True)


def closest_timestamp(answer: object) -> str | None:
    """The timestamp of the availability API's closest capture, or None when it has none."""
    what = "the availability answer"
    snapshots = _object(answer, what).get("archived_snapshots")
    closest = _object(snapshots, what).get("closest")
    if closest is None:
        return None
    closest = _object(closest, what)
    if not isinstance(closest.get("available"), bool):
        raise Malformed(f"{what} makes no sense: `available` is not true or false")
    if "status" in closest and not _is_status_code(closest["status"]):
        raise Malformed(f"{what} makes no sense: its status is not a 3-digit code")
    if not closest["available"]:
        return None
    timestamp = closest.get("timestamp")
    moment(timestamp, what)
    return timestamp


def submitted_job(answer: object) -> str | None:
    """The job id of an SPN2 submission's answer, or None when the answer is a refusal (see `refusal`)."""
    answer = _object(answer, "the Save Page Now answer")
    return job_id(answer["job_id"]) if "job_id" in answer else None


def refusal(answer: object) -> str:
    """Why an SPN2 submission without a job id was refused: its error code, else its message."""
    answer = _object(answer, "the Save Page Now answer")
    return _error_code(answer, "the Save Page Now answer") or _message(answer) or "no job id in the answer"


def job_id(value: object) -> str:
    if not isinstance(value, str) or not _JOB_ID.fullmatch(value):
        raise Malformed("the Save Page Now answer makes no sense: its job id is not one")
    return value


def job_status(answer: object, url: str) -> JobStatus:
    """An SPN2 job's status: a success names a valid timestamp and (if it says) the page submitted."""
    what = "the job status"
    answer = _object(answer, what)
    state = answer.get("status")
    if state == "pending":
        return JobStatus("pending")
    if state == "success":
        timestamp = answer.get("timestamp")
        moment(timestamp, what)
        original = answer.get("original_url", url)
        if not isinstance(original, str) or not same_page(original, url):
            raise Malformed(f"{what} makes no sense: its success is a capture of another page")
        return JobStatus("success", timestamp=timestamp)
    if state == "error":
        detail, message = _error_code(answer, what) or "error", _message(answer)
        return JobStatus("error", error=f"{detail} ({message})" if message else detail)
    raise Malformed(f"{what} makes no sense: its status is not pending, success or error")


def same_page(first: str, second: str) -> bool:
    """Whether two URLs name one page as the Wayback Machine indexes it: scheme, `www.`, case, a default
    port, percent-encoding and the order of query parameters aside."""
    try:
        return _page_key(first) == _page_key(second)
    except ValueError:  # an unreadable URL (a bad port, a broken IPv6 host) is no page of ours
        return False


def plain(text: str, limit: int = MESSAGE_CHARACTERS) -> str:
    """Text from an answer as one printable line, shortened: it ends up in the database and on terminals."""
    return clip(" ".join("".join(c if c.isprintable() else " " for c in text).split()), limit)


def _page_key(url: str) -> tuple[str, int | None, str, tuple[str, ...]]:
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = re.sub(r"^www\d*\.", "", parts.hostname or "")
    port = None if parts.port in (80, 443) else parts.port
    query = tuple(sorted(unquote(item).lower() for item in parts.query.split("&") if item))
    return host, port, unquote(parts.path or "/").lower(), query


def _object(value: object, what: str) -> dict[str, Any]:
    """A JSON object whose keys are all plain ASCII names, as every Wayback Machine answer's are."""
    if not isinstance(value, dict):
        raise Malformed(f"{what} makes no sense: it is not a JSON object")
    if not all(_KEY.fullmatch(key) for key in value):
        raise Malformed(f"{what} makes no sense: it has a key that is not a plain name")
    return value


def _is_status_code(value: object) -> bool:
    return isinstance(value, str) and bool(_STATUS_CODE.fullmatch(value))


def _error_code(answer: dict[str, Any], what: str) -> str | None:
    code = answer.get("status_ext")
    if code is None:
        return None
    if not isinstance(code, str) or not _ERROR_CODE.fullmatch(code):
        raise Malformed(f"{what} makes no sense: its error code is not one")
    return code


def _message(answer: dict[str, Any]) -> str | None:
    message = answer.get("message")
    return plain(message) if isinstance(message, str) and message.strip() else None
