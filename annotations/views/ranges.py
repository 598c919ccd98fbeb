"""Files served in byte ranges (RFC 9110, section 14), as web-archive players read a WACZ or a WARC.

ReplayWeb.page reads a WACZ's ZIP directory, index and records with Range requests rather than
downloading the whole file. One range is answered with 206 and its bytes, streamed from the file;
a range that starts past the end with 416; anything else (no Range, several ranges, another unit,
a malformed header) with the whole file, and `Accept-Ranges: bytes` says ranges may be asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

_CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The inclusive (first, last) byte of a single range within `size` bytes; None when the header
    asks for no single range this module serves (the whole file answers); False when it cannot be met."""
    found = _RANGE.match(header.strip())
    if found is None or found.group(1) == found.group(2) == "":
        return None
    first, last = found.group(1), found.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _bytes(handle: IO[bytes], first: int, last: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file(
    request: HttpRequest, handle: IO[bytes], *, size: int, content_type: str, filename: str
) -> HttpResponseBase:
    """`handle` (rewound, `size` bytes) as a download, or the byte range the request asks for."""
    response: HttpResponseBase
    wanted = byte_range(request.headers.get("Range", ""), size) if request.headers.get("Range") else None
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    else:
        assert isinstance(wanted, tuple)
        first, last = wanted
        response = StreamingHttpResponse(_bytes(handle, first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Accept-Ranges"] = "bytes"
    return response
