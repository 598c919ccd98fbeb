"""WACZ packages, built once and kept: a player reads one in many byte ranges, and each must not build it again.

A package is named after what it holds (the snapshots, their WARCs and index lines, its title and
the writing software), so it is built the first time it is asked for and served from storage after
that; a new citation, a new fetch or a new title is another name, hence another package. Snapshots'
WARCs never change once written, so a kept package never goes stale. Packages live under
WACZ_DIRECTORY in the snapshots' storage (S3 when configured).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from annotations.archiving.warc import software
from annotations.models import Snapshot
from annotations.selectors.archives import wacz_file

WACZ_DIRECTORY = "wacz"


def wacz_name(snapshots: Iterable[Snapshot], *, title: str) -> str:
    """The storage name of the WACZ of these snapshots under this title."""
    held = [(snapshot.pk, snapshot.warc.name, snapshot.warc_index) for snapshot in snapshots]
    key = hashlib.sha256(json.dumps([title, software(), held]).encode()).hexdigest()
    return f"{WACZ_DIRECTORY}/{key}.wacz"


def wacz_kept(snapshots: Iterable[Snapshot], *, title: str) -> tuple[IO[bytes], int] | None:
    """The WACZ of these snapshots (an open file and its size), built and stored the first time;
    None when none of them has a WARC. Raises FileNotFoundError when a WARC is missing from storage."""
    snapshots = list(snapshots)
    if not snapshots:
        return None
    name = wacz_name(snapshots, title=title)
    if default_storage.exists(name):
        return default_storage.open(name, "rb"), default_storage.size(name)
    package = wacz_file(snapshots, title=title)
    if package is None:
        return None
    size = package.seek(0, 2)
    package.seek(0)
    # Two first requests at once both build it; storage keeps the second under a free name, unused.
    default_storage.save(name, File(package))
    package.seek(0)
    return package, size
