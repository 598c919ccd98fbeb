"""WACZ packages of real fetches' WARCs: `wacz validate` (py-wacz) passes, and the index finds every response."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from annotations.archiving.wacz import ArchivedSource, write_wacz
from annotations.archiving.warc import snapshot_warc_name, warc_index, write_warc
from annotations.fetching import FetchPolicy, fetch
from tests.annotations.sources_server import SourceServer, serving

FETCHED_AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


def archived(server: SourceServer, path: str, snapshot_id: int) -> ArchivedSource:
    policy = FetchPolicy(allowed_ports=frozenset({server.port}), allow_private_hosts=frozenset({"127.0.0.1"}))
    result = fetch(server.loopback(path), policy=policy)
    out = io.BytesIO()
    write_warc(out, result.exchanges, filename=snapshot_warc_name(snapshot_id), info={})
    result.close_redirects()
    warc = out.getvalue()
    return ArchivedSource(
        name=snapshot_warc_name(snapshot_id),
        open=lambda: io.BytesIO(warc),
        index=warc_index(io.BytesIO(warc), filename=snapshot_warc_name(snapshot_id)),
        url=result.final_url,
        fetched_at=FETCHED_AT,
        title=f"Page {snapshot_id}",
    )


def validate(path: Path) -> int:
    return int(wacz_main(["validate", "-f", str(path)]))


@pytest.fixture(scope="module")
def package(server: SourceServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = [archived(server, "/report", 1), archived(server, "/redirect/1", 2), archived(server, "/doc.pdf", 3)]
    path = tmp_path_factory.mktemp("wacz") / "sources.wacz"
    with path.open("wb") as out:
        write_wacz(out, [*sources, sources[0]], title="Sources of claim 9", software="tests")
    return path


def test_the_package_passes_wacz_validate(package: Path) -> None:
    assert validate(package) == 0


def test_a_tampered_warc_fails_validation(package: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "archive/snapshot-2.warc.gz":
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.writestr(info, data)
    assert validate(tampered) == 1


def test_the_layout_and_the_datapackage(package: Path) -> None:
    with zipfile.ZipFile(package) as wacz:
        names = wacz.namelist()
        assert names == [
            "archive/snapshot-1.warc.gz",
            "archive/snapshot-2.warc.gz",
            "archive/snapshot-3.warc.gz",
            "indexes/index.cdx",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        ], "each WARC once, even when two sources share it"
        assert all(info.compress_type == zipfile.ZIP_STORED for info in wacz.infolist())
        datapackage = json.loads(wacz.read("datapackage.json"))
        assert datapackage["profile"] == "data-package" and datapackage["wacz_version"] == "1.1.1"
        assert datapackage["title"] == "Sources of claim 9"
        assert [r["path"] for r in datapackage["resources"]] == names[:5]
        assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in datapackage["resources"])
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()]
        assert pages[0] == {"format": "json-pages-1.0", "id": "pages", "title": "Sources of claim 9"}
        assert [(p["title"], p["ts"]) for p in pages[1:]] == [(f"Page {n}", "2026-11-30T09:15:00Z") for n in (1, 2, 3)]
        assert pages[2]["url"].endswith("/article"), "a redirected source's page is where it landed"


def test_every_index_line_finds_its_response_in_the_archive(package: Path) -> None:
    with zipfile.ZipFile(package) as wacz:
        lines = wacz.read("indexes/index.cdx").decode().splitlines()
        assert lines == sorted(lines) and len(lines) == 1 + 2 + 1 + 1
        for line in lines:
            entry = json.loads(line.split(" ", 2)[2])
            warc = wacz.read(f"archive/{entry['filename']}")
            start = int(entry["offset"])
            [record] = ArchiveIterator(io.BytesIO(warc[start : start + int(entry["length"])]))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
