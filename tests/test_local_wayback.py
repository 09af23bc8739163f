"""The local Wayback Machine answers as the real one does; checked with plain urllib, no project code."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from local_wayback import CDX_ASKED, OLD, PAGE_BODY, TRICKLE_INTERVAL, LocalWayback

PAGE = "http://example.com/page"
KEYS = {"Authorization": "LOW test-access-key:test-secret-key", "Accept": "application/json"}
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy from the environment


@pytest.fixture
def wayback():
    with LocalWayback() as local_wayback:
        yield local_wayback


def call(url: str, form: dict | None = None, headers: dict | None = None, timeout: float = 5):
    """(status, headers, body) of a GET, or of a form POST when `form` is given; HTTP errors are answers too."""
    data = urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_ONCE = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def call_once(url: str, timeout: float = 5):
    """(status, headers, body) of a GET whose redirect is the answer, not followed."""
    try:
        with _ONCE.open(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_json(url: str, **kwargs):
    status, headers, body = call(url, **kwargs)
    assert headers["Content-Type"] == "application/json"
    return status, json.loads(body)


def cdx(wayback: LocalWayback, **params) -> list:
    return get_json(f"{wayback.base_url}/cdx/search/cdx?{urlencode({'output': 'json', **params})}")[1]


def submit(wayback: LocalWayback, url: str = PAGE, headers: dict | None = None, **options):
    return get_json(
        f"{wayback.base_url}/save", form={"url": url, **options}, headers=KEYS if headers is None else headers
    )


def poll(wayback: LocalWayback, job_id: str) -> dict:
    return get_json(f"{wayback.base_url}/save/status/{job_id}")[1]


def test_availability_gives_the_capture_closest_to_the_timestamp(wayback):
    for timestamp in ("20190101000000", "20200605120000", "20230101000000"):
        wayback.add_capture(PAGE, timestamp, status=404 if timestamp.startswith("2020") else 200)
    status, answer = get_json(f"{wayback.base_url}/wayback/available?url={PAGE}&timestamp=20200701")
    assert status == 200
    assert answer == {
        "url": PAGE,
        "archived_snapshots": {
            "closest": {
                "status": "404",
                "available": True,
                "url": f"{wayback.base_url}/web/20200605120000/{PAGE}",
                "timestamp": "20200605120000",
            }
        },
    }


def test_availability_without_a_timestamp_gives_the_newest_capture(wayback):
    wayback.add_capture(PAGE, "20230101000000")
    wayback.add_capture(PAGE, "20190101000000")
    answer = get_json(f"{wayback.base_url}/wayback/available?url={PAGE}")[1]
    assert answer["archived_snapshots"]["closest"]["timestamp"] == "20230101000000"


def test_availability_of_an_unarchived_url_is_empty(wayback):
    assert get_json(f"{wayback.base_url}/wayback/available?url={PAGE}")[1] == {"url": PAGE, "archived_snapshots": {}}


def test_availability_of_a_blocked_site_is_empty(wayback):
    wayback.add_capture(PAGE, "20190101000000")
    wayback.block_site("http://example.com/")
    assert get_json(f"{wayback.base_url}/wayback/available?url={PAGE}")[1] == {"url": PAGE, "archived_snapshots": {}}


def test_cdx_json_has_a_header_row_then_captures_oldest_first(wayback):
    wayback.add_capture(PAGE, "20230101000000")
    wayback.add_capture(PAGE, "20190101000000", mimetype="text/plain", body=b"old")
    rows = cdx(wayback, url=PAGE, fl="timestamp,original,mimetype,statuscode,length")
    assert rows == [
        ["timestamp", "original", "mimetype", "statuscode", "length"],
        ["20190101000000", PAGE, "text/plain", "200", "3"],
        ["20230101000000", PAGE, "text/html", "200", str(len(PAGE_BODY))],
    ]


def test_cdx_json_without_captures_is_an_empty_list(wayback):
    assert cdx(wayback, url=PAGE) == []


def test_cdx_plain_text_has_one_line_of_the_seven_default_fields_per_capture(wayback):
    wayback.add_capture("https://www.example.com/a?b=1", "20190101000000")
    status, headers, body = call(f"{wayback.base_url}/cdx/search/cdx?url=https://www.example.com/a%3Fb%3D1")
    assert status == 200
    assert headers["Content-Type"] == "text/plain"
    urlkey, timestamp, original, mimetype, statuscode, digest, length = body.decode().splitlines()[0].split(" ")
    assert (urlkey, timestamp, original, mimetype, statuscode) == (
        "com,example)/a?b=1",
        "20190101000000",
        "https://www.example.com/a?b=1",
        "text/html",
        "200",
    )
    assert re.fullmatch(r"[A-Z2-7]{32}", digest)
    assert length == str(len(PAGE_BODY))


def test_cdx_filters_on_the_status_code_and_its_negation(wayback):
    wayback.add_capture(PAGE, "20190101000000", status=200)
    wayback.add_capture(PAGE, "20200101000000", status=404)
    assert cdx(wayback, url=PAGE, fl="timestamp", filter="statuscode:200")[1:] == [["20190101000000"]]
    assert cdx(wayback, url=PAGE, fl="timestamp", filter="!statuscode:200")[1:] == [["20200101000000"]]


def test_cdx_from_and_to_compare_on_their_own_length(wayback):
    for timestamp in ("20181231235959", "20190101000000", "20191231235959", "20200101000000"):
        wayback.add_capture(PAGE, timestamp)
    rows = cdx(wayback, url=PAGE, fl="timestamp", **{"from": "2019", "to": "2019"})
    assert rows[1:] == [["20190101000000"], ["20191231235959"]]


def test_cdx_limit_counts_from_the_oldest_or_with_a_minus_from_the_newest(wayback):
    for year in (2019, 2020, 2021):
        wayback.add_capture(PAGE, f"{year}0101000000")
    assert cdx(wayback, url=PAGE, fl="timestamp", limit="2")[1:] == [["20190101000000"], ["20200101000000"]]
    assert cdx(wayback, url=PAGE, fl="timestamp", limit="-1")[1:] == [["20210101000000"]]


def test_cdx_collapse_digest_drops_adjacent_identical_captures(wayback):
    for year, body in ((2019, b"a"), (2020, b"a"), (2021, b"b"), (2022, b"a")):
        wayback.add_capture(PAGE, f"{year}0101000000", body=body)
    rows = cdx(wayback, url=PAGE, fl="timestamp", collapse="digest")
    assert rows[1:] == [["20190101000000"], ["20210101000000"], ["20220101000000"]]


def test_cdx_matches_a_url_on_its_key_whatever_its_scheme_www_or_case(wayback):
    wayback.add_capture(PAGE, "20190101000000")
    wayback.add_capture("https://www.Example.com/page", "20200101000000")
    wayback.add_capture("http://example.com/other", "20210101000000")
    for query in ("example.com/page", PAGE, "https://www.example.com/page"):
        assert [row[1] for row in cdx(wayback, url=query, fl="timestamp,original")[1:]] == [
            PAGE,
            "https://www.Example.com/page",
        ]


def test_cdx_of_a_blocked_site_is_403_with_the_exception_in_body_and_header(wayback):
    wayback.block_site("http://example.com/")
    status, headers, body = call(f"{wayback.base_url}/cdx/search/cdx?url={PAGE}&output=json")
    assert status == 403
    assert "AdministrativeAccessControlException: Blocked Site Error" in body.decode()
    assert headers["X-Archive-Wayback-Runtime-Error"] == "AdministrativeAccessControlException: Blocked Site Error"


def test_anonymous_save_answers_a_content_location_and_records_the_capture(wayback):
    status, headers, _ = call(f"{wayback.base_url}/save/{PAGE}")
    assert status == 200
    timestamp = re.fullmatch(rf"/web/(\d{{14}})/{re.escape(PAGE)}", headers["Content-Location"]).group(1)
    assert [c.timestamp for c in wayback.captures(PAGE)] == [timestamp]
    assert abs(datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC) - datetime.now(UTC)).seconds < 5


def test_anonymous_save_link_memento_style_names_the_memento_in_a_link_header(wayback):
    wayback.anonymous_style = "link-memento"
    status, headers, _ = call(f"{wayback.base_url}/save/{PAGE}")
    assert status == 200
    assert "Content-Location" not in headers
    memento = re.search(r'<([^>]+)>; rel="memento"', headers["Link"]).group(1)
    assert memento == f"{wayback.base_url}/web/{wayback.captures(PAGE)[0].timestamp}/{PAGE}"
    assert f'<{PAGE}>; rel="original"' in headers["Link"]


def test_anonymous_save_job_html_style_gives_a_job_followed_on_the_status_endpoint(wayback):
    wayback.anonymous_style = "job-html"
    wayback.pending_polls = 2
    status, headers, body = call(f"{wayback.base_url}/save/{PAGE}")
    assert status == 200
    assert "Content-Location" not in headers
    assert 'rel="memento"' not in headers["Link"]
    assert 'rel="timegate"' in headers["Link"]
    job_id = re.search(r'spn\.watchJob\("(spn2-[0-9a-f]+)"', body.decode()).group(1)
    assert [poll(wayback, job_id)["status"] for _ in range(2)] == ["pending", "pending"]
    final = poll(wayback, job_id)
    assert final["status"] == "success"
    assert final["original_url"] == PAGE
    assert final["timestamp"] == wayback.captures(PAGE)[0].timestamp


def test_anonymous_save_keeps_the_saved_url_query_string(wayback):
    url = "http://example.com/search?q=a&page=2"
    status, headers, _ = call(f"{wayback.base_url}/save/{url}")
    assert status == 200
    assert headers["Content-Location"].endswith(f"/{url}")
    assert wayback.submissions() == [url]


def test_anonymous_save_of_a_blocked_site_is_403(wayback):
    wayback.block_site("http://example.com/")
    status, _, body = call(f"{wayback.base_url}/save/{PAGE}")
    assert status == 403
    assert b"excluded" in body
    assert wayback.captures(PAGE) == []


@pytest.mark.parametrize(
    ("behaviour", "status_ext"), [("blocked", "error:blocked-url"), ("job-error", "error:not-found")]
)
def test_anonymous_job_html_failure_ends_its_job_in_an_error(wayback, behaviour, status_ext):
    wayback.anonymous_style = "job-html"
    wayback.pending_polls = 0
    wayback.set_save_behaviour(PAGE, behaviour)
    body = call(f"{wayback.base_url}/save/{PAGE}")[2]
    job_id = re.search(r'watchJob\("(spn2-[0-9a-f]+)"', body.decode()).group(1)
    answer = poll(wayback, job_id)
    assert (answer["status"], answer["status_ext"]) == ("error", status_ext)
    assert answer["message"]


@pytest.mark.parametrize(("behaviour", "status"), [("job-error", 520), ("never", 523)])
def test_anonymous_failure_without_a_job_is_an_http_error(wayback, behaviour, status):
    wayback.set_save_behaviour(PAGE, behaviour)
    assert call(f"{wayback.base_url}/save/{PAGE}")[0] == status
    assert wayback.captures(PAGE) == []


def test_a_slow_save_has_the_capture_even_when_the_caller_gives_up(wayback):
    wayback.set_save_behaviour(PAGE, "slow")
    with pytest.raises(TimeoutError):
        call(f"{wayback.base_url}/save/{PAGE}", timeout=0.3)
    assert len(wayback.captures(PAGE)) == 1


def test_stopping_is_quick_while_a_slow_save_is_being_answered():
    with LocalWayback() as wayback:
        wayback.set_save_behaviour(PAGE, "slow")
        with pytest.raises(TimeoutError):
            call(f"{wayback.base_url}/save/{PAGE}", timeout=0.2)
        started = time.monotonic()
    assert time.monotonic() - started < 0.5


def test_a_fault_replaces_only_its_endpoints_answer_until_cleared(wayback):
    wayback.add_capture(PAGE, "20190101000000")
    wayback.misbehave("cdx-short-row")
    assert cdx(wayback, url=PAGE, fl="timestamp,original,statuscode") == [CDX_ASKED, [OLD]]
    closest = get_json(f"{wayback.base_url}/wayback/available?url={PAGE}")[1]["archived_snapshots"]["closest"]
    assert closest["timestamp"] == "20190101000000"
    wayback.misbehave(None)
    assert cdx(wayback, url=PAGE, fl="timestamp")[1:] == [["20190101000000"]]


def test_an_unknown_fault_is_refused(wayback):
    with pytest.raises(ValueError, match="unknown fault"):
        wayback.misbehave("cdx-typo")


def test_a_trickled_answer_sends_a_byte_at_a_time_and_stops_with_the_stand_in():
    with LocalWayback() as wayback:
        wayback.misbehave("trickle-body")
        host, port = wayback.server.server_address
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.sendall(b"GET /cdx/search/cdx?url=x HTTP/1.1\r\nHost: x\r\n\r\n")
            received, until = b"", time.monotonic() + 0.5
            while time.monotonic() < until:
                received += connection.recv(1024)
            started = time.monotonic()
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 1000000" in head
    assert 3 <= len(body) <= 0.5 / TRICKLE_INTERVAL + 2
    assert time.monotonic() - started < 0.5


def test_rate_limited_saves_answer_429_with_retry_after_and_still_count_as_submissions(wayback):
    wayback.rate_limit_next(2, retry_after="120")
    status, headers, _ = call(f"{wayback.base_url}/save/{PAGE}")
    assert (status, headers["Retry-After"]) == (429, "120")
    assert submit(wayback)[0] == 429
    assert call(f"{wayback.base_url}/save/{PAGE}")[0] == 200
    assert wayback.submissions() == [PAGE, PAGE, PAGE]


def test_a_429_has_no_retry_after_unless_given(wayback):
    wayback.rate_limit_next(1)
    status, headers, _ = call(f"{wayback.base_url}/save/{PAGE}")
    assert status == 429
    assert "Retry-After" not in headers


def test_spn2_with_wrong_keys_is_401_json(wayback):
    status, answer = submit(wayback, headers={**KEYS, "Authorization": "LOW test-access-key:wrong"})
    assert status == 401
    assert answer["message"]


def test_spn2_without_accept_json_gets_no_json(wayback):
    status, headers, _ = call(
        f"{wayback.base_url}/save", form={"url": PAGE}, headers={"Authorization": KEYS["Authorization"]}
    )
    assert status == 400
    assert headers["Content-Type"].startswith("text/html")


def test_spn2_job_is_pending_for_pending_polls_then_succeeds_and_records_the_capture(wayback):
    status, answer = submit(wayback, capture_outlinks="0", skip_first_archive="1")
    assert status == 200
    assert answer["url"] == PAGE
    assert re.fullmatch(r"spn2-[0-9a-f]{40}", answer["job_id"])
    assert poll(wayback, answer["job_id"]) == {"status": "pending", "job_id": answer["job_id"]}
    final = poll(wayback, answer["job_id"])
    assert final["status"] == "success"
    assert [c.timestamp for c in wayback.captures(PAGE)] == [final["timestamp"]]
    assert poll(wayback, answer["job_id"]) == final


def test_spn2_refused_for_the_day_answers_200_without_a_job(wayback):
    wayback.set_save_behaviour(PAGE, "refuse-daily")
    status, answer = submit(wayback)
    assert status == 200
    assert answer["status_ext"] == "error:too-many-daily-captures"
    assert "job_id" not in answer


def test_spn2_repeat_within_if_not_archived_within_returns_the_existing_capture(wayback):
    recent = datetime.now(UTC).strftime("%Y%m%d") + "000000"
    wayback.add_capture(PAGE, recent)
    status, answer = submit(wayback, if_not_archived_within="30d")
    assert status == 200
    assert answer["message"].startswith("The same snapshot had been made")
    final = poll(wayback, answer["job_id"])
    assert (final["status"], final["timestamp"]) == ("success", recent)
    assert len(wayback.captures(PAGE)) == 1


def test_spn2_capture_older_than_if_not_archived_within_is_saved_again(wayback):
    wayback.add_capture(PAGE, "20190101000000")
    wayback.pending_polls = 0
    answer = submit(wayback, if_not_archived_within="30d")[1]
    assert "message" not in answer
    assert poll(wayback, answer["job_id"])["timestamp"] != "20190101000000"


@pytest.mark.parametrize(
    ("behaviour", "status_ext"), [("blocked", "error:blocked-url"), ("job-error", "error:not-found")]
)
def test_spn2_failing_job_ends_in_its_error(wayback, behaviour, status_ext):
    wayback.set_save_behaviour(PAGE, behaviour)
    job_id = submit(wayback)[1]["job_id"]
    assert poll(wayback, job_id)["status"] == "pending"
    answer = poll(wayback, job_id)
    assert (answer["status"], answer["status_ext"]) == ("error", status_ext)
    assert wayback.captures(PAGE) == []


def test_spn2_job_that_never_finishes_stays_pending(wayback):
    wayback.set_save_behaviour(PAGE, "never")
    job_id = submit(wayback)[1]["job_id"]
    assert {poll(wayback, job_id)["status"] for _ in range(5)} == {"pending"}


def test_an_unknown_job_is_404_json(wayback):
    status, answer = get_json(f"{wayback.base_url}/save/status/spn2-{'0' * 40}")
    assert (status, answer) == (404, {"status": "error", "message": "Job not found"})


def test_status_user_counts_the_jobs_still_processing(wayback):
    wayback.set_save_behaviour(PAGE, "never")
    submit(wayback)
    assert get_json(f"{wayback.base_url}/save/status/user")[1] == {"available": 5, "processing": 1}


def test_replay_serves_a_capture_at_its_exact_timestamp_with_or_without_id(wayback):
    wayback.add_capture(PAGE, "20190101000000", mimetype="text/plain", body=b"then")
    for path in (f"/web/20190101000000/{PAGE}", f"/web/20190101000000id_/{PAGE}"):
        status, headers, body = call(wayback.base_url + path)
        assert (status, headers["Content-Type"], body) == (200, "text/plain", b"then")
        assert headers["Memento-Datetime"] == "Tue, 01 Jan 2019 00:00:00 GMT"


def test_replay_of_a_capture_of_an_error_answers_with_the_captures_own_status(wayback):
    wayback.add_capture(PAGE, "20240101000000", status=404, body=b"<title>Not Found</title>")
    status, headers, body = call(f"{wayback.base_url}/web/20240101000000id_/{PAGE}")
    assert (status, body) == (404, b"<title>Not Found</title>")
    assert "Memento-Datetime" in headers


@pytest.mark.parametrize("raw", ["", "id_"])
def test_replay_of_a_timestamp_not_held_redirects_to_the_nearest_capture(wayback, raw):
    wayback.add_capture(PAGE, "20190101000000")
    wayback.add_capture(PAGE, "20220301000000")
    status, headers, _ = call_once(f"{wayback.base_url}/web/20210601000000{raw}/{PAGE}")
    assert (status, headers["Location"]) == (302, f"/web/20220301000000{raw}/{PAGE}")
    status, headers, _ = call_once(f"{wayback.base_url}/web/2019{raw}/{PAGE}")
    assert (status, headers["Location"]) == (302, f"/web/20190101000000{raw}/{PAGE}")


def test_replay_of_a_url_never_captured_is_a_404(wayback):
    wayback.add_capture(PAGE, "20190101000000")
    assert call_once(f"{wayback.base_url}/web/20190101000000id_/http://example.com/other")[0] == 404


def test_cdx_gives_the_newest_n_good_captures_in_the_range_asked(wayback):
    for timestamp, status in (("2018", 200), ("2019", 200), ("2020", 404), ("2021", 200), ("2022", 200)):
        wayback.add_capture(PAGE, f"{timestamp}0101000000", status=status)
    rows = cdx(wayback, url=PAGE, fl="timestamp,statuscode", filter="statuscode:200", to="2021", limit="-2")
    assert rows == [["timestamp", "statuscode"], ["20190101000000", "200"], ["20210101000000", "200"]]
    rows = cdx(wayback, url=PAGE, fl="timestamp", filter="statuscode:200", to="20181231235959", limit="-5")
    assert rows == [["timestamp"], ["20180101000000"]]


def test_every_request_is_recorded_with_its_query_headers_and_form(wayback):
    call(f"{wayback.base_url}/wayback/available?url={PAGE}")
    submit(wayback, capture_outlinks="0")
    first, second = wayback.requests
    assert (first.method, first.path, first.query) == ("GET", "/wayback/available", {"url": PAGE})
    assert (second.method, second.path, second.form) == ("POST", "/save", {"url": PAGE, "capture_outlinks": "0"})
    assert second.headers["Authorization"] == KEYS["Authorization"]
    assert first.at <= second.at
