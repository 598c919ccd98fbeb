"""Building the bookmarklet and the browser extension a workbench serves, from frontend/.

Pure functions over the source files: the bookmarklet is capture-page.js and bookmarklet.js in one
`javascript:` URL with the workbench's address filled in; the extension is frontend/extension/ with
capture-page.js beside it, a manifest allowed to reach this workbench, and its address and team as
defaults in config.json.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n\s*\n+")
FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def _strip_comments(source: str) -> str:
    return _BLANK_LINES.sub("\n", _LINE_COMMENT.sub("", source)).strip()


def bookmarklet_source(*, capture_js: str, bookmarklet_js: str, origin: str, window_url: str, max_bytes: int) -> str:
    """The bookmarklet's script: both files in one function scope, so nothing is left in the page's globals."""
    body = (
        _strip_comments(bookmarklet_js)
        .replace("__WORKBENCH_ORIGIN__", origin)
        .replace("__WINDOW_URL__", window_url)
        .replace("__MAX_BYTES__", str(int(max_bytes)))
    )
    return f"(function(){{{_strip_comments(capture_js)}\n{body}\n}})();void 0;"


def bookmarklet_url(source: str) -> str:
    return "javascript:" + quote(source, safe="(){}[];,=+-*/!?:.'\"_&|<>$ ")


def host_pattern(origin: str) -> str:
    """The match pattern that lets the extension reach the workbench (every port of its host)."""
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.hostname}/*"


def extension_files(*, extension_dir: Path, capture_js: Path, origin: str, team_id: int) -> dict[str, bytes]:
    """Every file of the extension for this workbench and team, by name."""
    files = {
        path.name: path.read_bytes()
        for path in sorted(extension_dir.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }
    manifest = json.loads(files["manifest.json"])
    manifest["host_permissions"] = [host_pattern(origin)]
    files["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    files["capture-page.js"] = capture_js.read_bytes()
    files["config.json"] = (json.dumps({"workbench": origin, "team": team_id}, indent=2) + "\n").encode()
    return files


def extension_zip(files: dict[str, bytes]) -> bytes:
    """The files as a zip (fixed times, so one workbench always serves the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), files[name])
    return buffer.getvalue()


def write_extension(files: dict[str, bytes], directory: Path) -> Path:
    """Write the files into `directory` (to load the extension unpacked)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory
