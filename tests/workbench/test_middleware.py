"""workbench.middleware: the API's JSON error for a path no route matches."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/claims/abc/", "/api/v1/nothing-here/", "/api/v2/claims/"])
def test_an_unrouted_api_path_is_the_api_s_json_404(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "No such API path.", "fields": {}}
    }


def test_a_missing_trailing_slash_is_still_redirected(client: Any) -> None:
    response = client.get("/api/v1/claims")
    assert response.status_code == 301 and response["Location"] == "/api/v1/claims/"


def test_a_page_path_keeps_the_html_404(client: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
