"""A WACZ package (Web Archive Collection Zipped, 1.1.1) of preserved sources, written as a stream.

The ZIP holds `archive/*.warc.gz` (each source's WARC, stored uncompressed in the ZIP so a replayer
can read records by range), `indexes/index.cdx` (the CDXJ lines of every WARC, sorted),
`pages/pages.jsonl` (one page per source), `datapackage.json` (every file with its SHA-256 and
size) and `datapackage-digest.json` (the SHA-256 of `datapackage.json`). WARCs are copied in
chunks, hashed on the way: memory stays flat whatever their size.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

WACZ_VERSION = "1.1.1"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchivedSource:
    """One preserved source: its WARC (opened on demand), the WARC's CDXJ lines, and its page."""

    name: str
    """The WARC's file name inside `archive/`, as its index lines name it."""
    open: Callable[[], AbstractContextManager[IO[bytes]]]
    index: list[str]
    url: str
    fetched_at: datetime
    title: str


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Package:
    def __init__(self, out: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        self.resources: list[dict[str, Any]] = []

    def add(self, path: str, chunks: Iterable[bytes], *, size: int, listed: bool = True) -> str:
        """Store a member of `size` bytes. The size is given up front so that the member's local header
        and its central directory entry agree (a ZIP64 field in one and not the other misleads readers
        that take a member's offset from the directory, as ReplayWeb.page does)."""
        info = zipfile.ZipInfo(path, date_time=_now_tuple())
        info.file_size = size
        digest, size = hashlib.sha256(), 0
        with self.zip.open(info, "w") as member:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                member.write(chunk)
        hashed = f"sha256:{digest.hexdigest()}"
        if listed:
            self.resources.append({"name": path.rsplit("/", 1)[-1], "path": path, "hash": hashed, "bytes": size})
        return hashed


def _add_bytes(package: _Package, path: str, data: bytes, *, listed: bool = True) -> str:
    return package.add(path, [data], size=len(data), listed=listed)


def _now_tuple() -> tuple[int, int, int, int, int, int]:
    now = datetime.now(UTC)
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def _read(stream: IO[bytes]) -> Iterable[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def write_wacz(out: IO[bytes], sources: Iterable[ArchivedSource], *, title: str, software: str) -> None:
    """Write the WACZ of `sources` (each WARC once) to `out`, a binary file."""
    package = _Package(out)
    index: list[str] = []
    pages = [{"format": "json-pages-1.0", "id": "pages", "title": title}]
    seen: set[str] = set()
    with package.zip:
        for source in sources:
            if source.name in seen:
                continue
            seen.add(source.name)
            with source.open() as warc:
                length = warc.seek(0, os.SEEK_END)
                warc.seek(0)
                package.add(f"archive/{source.name}", _read(warc), size=length)
            index.extend(source.index)
            page = {"id": source.name, "url": source.url, "ts": _iso(source.fetched_at)}
            pages.append(page | {"title": source.title or source.url})
        _add_bytes(package, "indexes/index.cdx", "".join(f"{line}\n" for line in sorted(index)).encode())
        _add_bytes(package, "pages/pages.jsonl", "".join(f"{json.dumps(page)}\n" for page in pages).encode())
        datapackage = {
            "profile": "data-package",
            "resources": package.resources,
            "created": _iso(datetime.now(UTC)),
            "wacz_version": WACZ_VERSION,
            "software": software,
            "title": title,
        }
        hashed = _add_bytes(package, "datapackage.json", json.dumps(datapackage, indent=2).encode(), listed=False)
        digest = {"path": "datapackage.json", "hash": hashed}
        _add_bytes(package, "datapackage-digest.json", json.dumps(digest, indent=2).encode(), listed=False)
