from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import unquote

from annotations.capture.browser import (
    bookmarklet_source,
    bookmarklet_url,
    extension_files,
    extension_zip,
    host_pattern,
)
from annotations.views.capture import BOOKMARKLET_JS, CAPTURE_JS, EXTENSION_DIR


def test_the_bookmarklet_is_one_self_contained_script() -> None:
    source = bookmarklet_source(
        capture_js=CAPTURE_JS.read_text(),
        bookmarklet_js=BOOKMARKLET_JS.read_text(),
        origin="https://wb.example",
        window_url="https://wb.example/t/desk/capture/window/",
        max_bytes=1024,
    )
    assert "__WORKBENCH_ORIGIN__" not in source and "__MAX_BYTES__" not in source
    assert '"https://wb.example"' in source and "> 1024" in source
    assert source.startswith("(function(){") and source.endswith("void 0;")
    assert "<script" not in source and "import(" not in source  # nothing is loaded into the page
    url = bookmarklet_url(source)
    assert url.startswith("javascript:") and unquote(url[len("javascript:") :]) == source


def test_the_extension_is_built_for_the_workbench() -> None:
    files = extension_files(
        extension_dir=EXTENSION_DIR, capture_js=CAPTURE_JS, origin="http://127.0.0.1:8123", team_id=7
    )
    manifest = json.loads(files["manifest.json"])
    assert manifest["manifest_version"] == 3
    assert manifest["host_permissions"] == ["http://127.0.0.1/*"]
    assert set(manifest["permissions"]) == {"activeTab", "scripting", "storage"}
    assert json.loads(files["config.json"]) == {"workbench": "http://127.0.0.1:8123", "team": 7}
    assert {"background.js", "capture-page.js", "options.html", "options.js"} <= set(files)
    archive = zipfile.ZipFile(io.BytesIO(extension_zip(files)))
    assert sorted(archive.namelist()) == sorted(files)
    assert extension_zip(files) == extension_zip(files)


def test_host_pattern() -> None:
    assert host_pattern("https://wb.example:8443") == "https://wb.example/*"
