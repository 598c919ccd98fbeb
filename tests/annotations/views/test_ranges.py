"""Byte ranges of a served file: one range answered with 206, past the end 416, anything else whole."""

import io

import pytest
from django.test import RequestFactory

from annotations.views.ranges import byte_range, ranged_file

DATA = bytes(range(256)) * 4  # 1,024 bytes


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-", (0, 1023)),
        ("bytes=10-19", (10, 19)),
        ("bytes=1000-5000", (1000, 1023)),
        ("bytes=-24", (1000, 1023)),
        ("bytes=-5000", (0, 1023)),
        ("bytes=1024-", False),
        ("bytes=20-10", False),
        ("bytes=-0", False),
        ("bytes=0-1,5-9", None),
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_byte_range(header, expected):
    assert byte_range(header, len(DATA)) == expected


def answer(range_header: str | None):
    headers = {"HTTP_RANGE": range_header} if range_header else {}
    request = RequestFactory().get("/archive.wacz", **headers)
    return ranged_file(request, io.BytesIO(DATA), size=len(DATA), content_type="application/wacz", filename="a.wacz")


def test_one_range_is_answered_with_its_bytes_and_the_rest_whole():
    partial = answer("bytes=-22")
    assert partial.status_code == 206 and partial["Content-Range"] == "bytes 1002-1023/1024"
    assert b"".join(partial.streaming_content) == DATA[1002:] and partial["Content-Length"] == "22"
    whole = answer(None)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == DATA
    past = answer("bytes=2000-")
    assert past.status_code == 416 and past["Content-Range"] == "bytes */1024"
