"""Reading `Retry-After`: what a server may send, including what it should not."""

from __future__ import annotations

import pytest

from linkkeeper.health.retry_after import retry_after_seconds


def test_delta_seconds_are_read_as_seconds():
    assert retry_after_seconds(" 120 ") == 120.0


def test_an_http_date_in_the_past_means_no_wait():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "¹²", "١٢", "-5", "1e9", "Wed, 99 Oct 2015 07:28:00 GMT"])
def test_an_unreadable_value_is_ignored_not_a_traceback(value):
    assert retry_after_seconds(value) is None
