"""A fetch as WARC records (ISO 28500, WARC/1.1), gzip-compressed one record at a time.

A warcinfo record opens the file; then, for every hop of the fetch (each redirect, then the final
response), a response record (status line, headers and body, as received) and the request record
that asked for it (`WARC-Concurrent-To`), both naming the address the fetcher connected to
(`WARC-IP-Address`) and the time the request went out (`WARC-Date`). Digests are SHA-256 in the
`sha256:<base32>` form (warcio's own form, which the WARC and WACZ tools read), so the final
response's `WARC-Payload-Digest` is the snapshot's SHA-256.

The fetcher asks for bodies without content coding and keeps them without transfer coding; when a
server coded a body anyway, the body here is the decoded one and the headers that described the
coding on the wire keep their values under `X-Archive-Orig-` names (pywb's prefix for them), so the
record stays consistent. Bodies are streamed from their files: memory stays flat however large.
"""

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import version
from typing import IO

from cdxj_indexer.main import CDXJIndexer
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from annotations.fetching import Exchange

WARC_VERSION = "1.1"
COMPRESS_LEVEL = 6
"""zlib's default: warcio's 9 costs about three times the CPU for a few per cent."""
_CODING_HEADERS = frozenset({"transfer-encoding", "content-encoding"})
_ORIGINAL = "X-Archive-Orig-"


def payload_digest(sha256_hex: str) -> str:
    """A SHA-256 in hexadecimal (a snapshot's) as a WARC digest: `sha256:<base32>`."""
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def snapshot_warc_name(snapshot_id: int) -> str:
    """A snapshot's WARC file name, as its index lines and the WACZ packages that hold it name it."""
    return f"snapshot-{snapshot_id}.warc.gz"


def software() -> str:
    return f"FactCheckWorkbench (warcio {version('warcio')})"


class _GzipMembers:
    """Compresses what is written into one gzip member per record: warcio flushes after each."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self._compressor = self._new()

    @staticmethod
    def _new() -> zlib._Compress:
        return zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self._compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self._compressor.flush())
        self._compressor = self._new()


class _Sha256WARCWriter(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def _response_headers(exchange: Exchange) -> list[tuple[str, str]]:
    """The response's headers, with the coding ones renamed where the kept body is decoded."""
    decoded = any(
        name.lower() in _CODING_HEADERS and value.strip().lower() != "identity"
        for name, value in exchange.response_headers
    )
    if not decoded:
        return list(exchange.response_headers)
    renamed = _CODING_HEADERS | {"content-length"}
    return [(_ORIGINAL + name if name.lower() in renamed else name, value) for name, value in exchange.response_headers]


def _warc_date(at: datetime) -> str:
    return str(datetime_to_iso_date(at.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def write_warc(out: IO[bytes], exchanges: Iterable[Exchange], *, filename: str, info: Mapping[str, str]) -> None:
    """Write the fetch's records to `out` (a binary file): warcinfo, then each hop's response and request.

    Each hop's body is read from its file's current position (the start, as the fetcher leaves it)."""
    writer = _Sha256WARCWriter(_GzipMembers(out), gzip=False, warc_version=WARC_VERSION)
    fields = {"software": software(), "format": f"WARC File Format {WARC_VERSION}", **info}
    writer.write_record(writer.create_warcinfo_record(filename, fields))
    for exchange in exchanges:
        common = {"WARC-Date": _warc_date(exchange.requested_at), "WARC-IP-Address": exchange.ip}
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=exchange.body,
            length=exchange.body_size,
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(),
                _response_headers(exchange),
                protocol=exchange.http_version,
            ),
            warc_headers_dict={**common, "WARC-Payload-Digest": payload_digest(exchange.body_sha256)},
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {exchange.request_target} HTTP/1.1", exchange.request_headers, is_http_request=True
            ),
            warc_headers_dict=common,
        )
        writer.write_request_response_pair(request, response)


def warc_index(warc: IO[bytes], *, filename: str) -> list[str]:
    """The CDXJ lines of a WARC's response records (cdxj-indexer's), naming it `filename`, sorted."""
    out = io.StringIO()
    indexer = CDXJIndexer(out, [], filename=filename, records="response,revisit")
    indexer.process_one(warc, out, filename)
    return sorted(line for line in out.getvalue().splitlines() if line)
