"""Bad input is a 4xx with a field message, never a 500: the JSON parser's bounds, text PostgreSQL
cannot store, date-times outside its range, and error bodies that cannot break the renderer."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotations.api import parsers
from annotations.api.errors import safe_message
from annotations.api.renderers import to_json
from annotations.validation import (
    InvalidDateTime,
    database_datetime,
    parse_database_datetime,
    replace_unpaired_surrogates,
    text_problem,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(team: Any) -> APIClient:
    client = APIClient()
    client.force_login(MembershipFactory(team=team, user=UserFactory(), role="admin").user)
    return client


@pytest.fixture
def claim(team: Any) -> Any:
    return ClaimFactory(article=ArticleFactory(team=team))


def post(api: APIClient, path: str, body: str | bytes) -> Any:
    data = body if isinstance(body, bytes) else body.encode()
    return api.generic("POST", path, data, content_type="application/json")


def test_json_nested_a_thousand_deep_is_a_400(api: APIClient, claim: Any) -> None:
    for depth in (40, 1000, 100_000):
        response = post(api, f"/api/v1/claims/{claim.pk}/comments/", "[" * depth + "]" * depth)
        assert response.status_code == 400, depth
        assert response.json()["error"]["code"] == "parse_error"


def test_a_body_over_the_limit_is_a_413_without_being_read_whole(api: APIClient, claim: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(parsers, "MAX_BODY_BYTES", 1000)
    body = json.dumps({"body": "x" * 2000})
    response = post(api, f"/api/v1/claims/{claim.pk}/comments/", body)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"url": "https://example.org/", "stance": "\\ud800"}', None),  # refused by the parser itself
        ('{"url": "https://example.org/", "stance": "supports", "note": "a\\u0000b"}', "note"),
        ('{"url": "https://example.org/", "stance": ["\\u0000"]}', "stance.0"),
        ('{"url": "https://example.org/", "\\u0000": 1}', "\ufffd"),
    ],
)
def test_nul_and_unpaired_surrogates_are_400s_and_never_echoed(
    api: APIClient, claim: Any, body: str, field: str | None
) -> None:
    response = post(api, f"/api/v1/claims/{claim.pk}/sources/", body)
    assert response.status_code == 400
    text = response.content.decode("utf-8")  # valid UTF-8, so the renderer did not fail
    assert "\\ud800" not in text and "\\u0000" not in text
    if field is not None:
        assert response.json()["error"]["fields"][field] == ["Null characters are not allowed."]


def test_a_rejected_choice_is_not_repeated_in_the_error(api: APIClient, claim: Any) -> None:
    stance = "<b>" + "x" * 5000
    response = api.post(
        f"/api/v1/claims/{claim.pk}/sources/", {"url": "https://example.org/", "stance": stance}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["stance"] == ["Not one of the allowed choices."]
    assert "xxxx" not in response.content.decode()


@pytest.mark.parametrize(
    "value", ["2025-04-01T00:00:00+19:17", "2025-04-01T00:00:00-16:00", "0001-01-01T00:00:00+01:00"]
)
def test_date_times_postgresql_cannot_compare_are_refused(value: str) -> None:
    with pytest.raises(InvalidDateTime):
        parse_database_datetime(value)


def test_date_times_are_taken_to_utc_within_range() -> None:
    assert parse_database_datetime("2025-04-01T00:00:00+15:59") == datetime.datetime(
        2025, 3, 31, 8, 1, tzinfo=datetime.UTC
    )
    assert parse_database_datetime("2025-04-01T12:00:00") == datetime.datetime(2025, 4, 1, 12, tzinfo=datetime.UTC)
    with pytest.raises(InvalidDateTime, match="ISO 8601"):
        parse_database_datetime("2025-13-01T00:00:00Z")
    with pytest.raises(InvalidDateTime, match="out of range"):
        database_datetime(datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.timezone(datetime.timedelta(hours=-2))))


@given(st.datetimes(timezones=st.timezones()) | st.datetimes())
def test_every_accepted_date_time_is_one_postgresql_takes(value: datetime.datetime) -> None:
    try:
        checked = database_datetime(value)
    except InvalidDateTime:
        return
    offset = value.utcoffset() or datetime.timedelta(0)  # a naive value is taken as UTC
    # The same instant in UTC (compared as wall times: an aware time in a zone's gap compares unequal).
    assert checked.utcoffset() == datetime.timedelta(0)
    assert checked.replace(tzinfo=None) == value.replace(tzinfo=None) - offset


@given(st.text())
def test_text_problems_and_surrogate_replacement(text: str) -> None:
    cleaned = replace_unpaired_surrogates(text)
    cleaned.encode("utf-8")
    assert (text_problem(text) is None) == ("\x00" not in text and cleaned == text)
    assert to_json({"message": text, text: 1})  # never raises
    assert len(safe_message(text * 100)) <= 500


def test_the_renderer_writes_unpaired_surrogates_as_replacement_characters() -> None:
    assert to_json({"a\ud800": "b\udfff", "pair": "\ud83d\ude00"}) == '{"a\ufffd":"b\ufffd","pair":"😀"}'.encode()
