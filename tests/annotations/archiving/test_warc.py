"""WARC records of real fetches from the loopback server, read back with warcio (digests checked)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tempfile
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_datetime

from annotations.archiving.warc import payload_digest, snapshot_warc_name, warc_index, write_warc
from annotations.fetching import Exchange, FetchPolicy, FetchResult, fetch
from tests.annotations.sources_server import ARTICLE_HTML, MINIMAL_PDF, SourceServer, serving


@pytest.fixture(scope="module")
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture
def policy(server: SourceServer) -> FetchPolicy:
    return FetchPolicy(allowed_ports=frozenset({server.port}), allow_private_hosts=frozenset({"127.0.0.1"}))


def warc_of(result: FetchResult) -> bytes:
    out = io.BytesIO()
    write_warc(out, result.exchanges, filename="snapshot-1.warc.gz", info={"operator": "a test"})
    result.close_redirects()
    return out.getvalue()


def records(warc: bytes) -> list[dict[str, Any]]:
    """Every record with its headers and payload, after warcio checked its block and payload digests."""
    found = []
    for record in ArchiveIterator(io.BytesIO(warc), check_digests="raise"):
        payload = record.content_stream().read()
        assert record.digest_checker.passed is not False, record.digest_checker.problems
        found.append(
            {
                "type": record.rec_type,
                "warc": dict(record.rec_headers.headers),
                "http": record.http_headers,
                "payload": payload,
            }
        )
    return found


def gzip_members(data: bytes) -> int:
    count = 0
    while data:
        inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
        inflater.decompress(data)
        assert inflater.eof
        data = inflater.unused_data
        count += 1
    return count


def test_an_html_page_is_a_warcinfo_a_response_as_received_and_its_request(server, policy):
    before = datetime.now(UTC) - timedelta(seconds=1)
    result = fetch(server.loopback("/report"), policy=policy)
    warc = warc_of(result)

    info, response, request = records(warc)
    assert [info["type"], response["type"], request["type"]] == ["warcinfo", "response", "request"]
    assert info["warc"]["WARC-Filename"] == "snapshot-1.warc.gz"
    assert b"software: FactCheckWorkbench" in info["payload"] and b"operator: a test" in info["payload"]

    result.body.seek(0)
    body = result.body.read()
    assert response["payload"] == body and body.startswith(b"<!doctype html>")
    assert response["warc"]["WARC-Target-URI"] == server.loopback("/report")
    assert response["warc"]["WARC-Payload-Digest"] == payload_digest(result.sha256)
    assert response["warc"]["WARC-Payload-Digest"] == payload_digest(hashlib.sha256(body).hexdigest())
    assert response["warc"]["WARC-Block-Digest"].startswith("sha256:")
    assert response["warc"]["WARC-IP-Address"] == "127.0.0.1"
    assert before <= iso_date_to_datetime(response["warc"]["WARC-Date"]).replace(tzinfo=UTC) <= datetime.now(UTC)
    assert response["http"].get_statuscode() == "200" and response["http"].protocol == "HTTP/1.1"
    assert response["http"].get_header("Content-Type") == "text/html; charset=utf-8"
    assert response["http"].get_header("Content-Length") == str(len(body))

    assert request["warc"]["WARC-Concurrent-To"] == response["warc"]["WARC-Record-ID"]
    assert request["warc"]["WARC-Target-URI"] == response["warc"]["WARC-Target-URI"]
    assert request["warc"]["WARC-IP-Address"] == "127.0.0.1"
    assert request["http"].protocol == "GET" and request["http"].statusline == "/report HTTP/1.1"
    assert request["http"].get_header("Host") == f"127.0.0.1:{server.port}"
    assert request["http"].get_header("Accept-Encoding") == "identity"
    assert request["http"].get_header("User-Agent") == policy.user_agent
    assert gzip_members(warc) == 3, "each record is a gzip member of its own"


def test_every_redirect_hop_is_recorded_in_order(server, policy):
    result = fetch(server.loopback("/redirect/2"), policy=policy)
    found = records(warc_of(result))

    responses = [r for r in found if r["type"] == "response"]
    assert [r["warc"]["WARC-Target-URI"] for r in responses] == [
        server.loopback(path) for path in ("/redirect/2", "/redirect/1", "/redirect/0", "/article")
    ]
    assert [r["http"].get_statuscode() for r in responses] == ["302", "302", "302", "200"]
    assert [r["http"].get_header("Location") for r in responses[:3]] == ["/redirect/1", "/redirect/0", "/article"]
    assert responses[-1]["payload"] == ARTICLE_HTML
    assert responses[-1]["warc"]["WARC-Payload-Digest"] == payload_digest(result.sha256)
    requests = [r for r in found if r["type"] == "request"]
    assert [r["warc"]["WARC-Concurrent-To"] for r in requests] == [r["warc"]["WARC-Record-ID"] for r in responses]
    assert [r["http"].statusline.split()[0] for r in requests] == [
        "/redirect/2",
        "/redirect/1",
        "/redirect/0",
        "/article",
    ]


def test_a_pdf_is_kept_byte_for_byte(server, policy):
    result = fetch(server.loopback("/doc.pdf"), policy=policy)
    [_, response, _] = records(warc_of(result))
    assert response["payload"] == MINIMAL_PDF
    assert response["http"].get_header("Content-Type") == "application/pdf"
    assert response["warc"]["WARC-Payload-Digest"] == payload_digest(hashlib.sha256(MINIMAL_PDF).hexdigest())


def test_a_body_coded_despite_identity_is_kept_decoded_with_the_coding_named(server, policy):
    result = fetch(server.loopback("/gzip"), policy=policy)
    [_, response, _] = records(warc_of(result))
    assert response["payload"] == ARTICLE_HTML
    assert response["http"].get_header("Content-Encoding") is None
    assert response["http"].get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert response["http"].get_header("X-Archive-Orig-Content-Length") == str(len(gzip.compress(ARTICLE_HTML)))
    assert response["warc"]["WARC-Payload-Digest"] == payload_digest(result.sha256)


def test_the_index_points_at_each_response_record(server, policy):
    warc = warc_of(fetch(server.loopback("/redirect/1"), policy=policy))
    lines = warc_index(io.BytesIO(warc), filename=snapshot_warc_name(7))

    assert lines == sorted(lines) and len(lines) == 3
    for line in lines:
        key, timestamp, fields = line.split(" ", 2)
        entry = json.loads(fields)
        assert key.startswith("1,0,0,127:") and len(timestamp) == 14
        assert entry["filename"] == "snapshot-7.warc.gz"
        start, length = int(entry["offset"]), int(entry["length"])
        [record] = list(ArchiveIterator(io.BytesIO(warc[start : start + length])))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == entry["digest"]


def test_writing_the_warc_of_a_20_mb_body_keeps_memory_flat() -> None:
    size = 20 * 1024 * 1024
    with tempfile.TemporaryFile() as body, tempfile.TemporaryFile() as out:
        digest = hashlib.sha256()
        for start in range(0, size, 1 << 20):
            chunk = hashlib.sha256(str(start).encode()).digest() * (1 << 15)
            digest.update(chunk)
            body.write(chunk)
        body.seek(0)
        exchange = Exchange(
            url="https://example.org/big.bin",
            ip="203.0.113.5",
            requested_at=datetime.now(UTC),
            request_target="/big.bin",
            request_headers=[("Host", "example.org")],
            http_version="HTTP/1.1",
            status=200,
            reason="OK",
            response_headers=[("Content-Type", "application/octet-stream"), ("Content-Length", str(size))],
            body=body,
            body_size=size,
            body_sha256=digest.hexdigest(),
        )
        tracemalloc.start()
        try:
            write_warc(out, [exchange], filename="big.warc.gz", info={})
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 4 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB while writing a 20 MB body"
        out.seek(0)
        [_, response, _] = list(_payload_sizes(out))
        assert response == (size, payload_digest(digest.hexdigest()))


def _payload_sizes(warc: Any) -> Iterator[tuple[int, str | None]]:
    for record in ArchiveIterator(warc, check_digests="raise"):
        stream, total = record.content_stream(), 0
        while chunk := stream.read(1 << 20):
            total += len(chunk)
        yield total, record.rec_headers.get_header("WARC-Payload-Digest")
