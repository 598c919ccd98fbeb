"""The orjson renderer writes what DRF's JSONRenderer writes, byte for byte, for the API's types."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from annotations.api.renderers import FastJSONRenderer

UTC = datetime.UTC
PAYLOADS: list[Any] = [
    {"created_at": datetime.datetime(2026, 11, 24, 9, 30, 1, 123456, tzinfo=UTC)},
    {"created_at": datetime.datetime(2026, 11, 24, 9, 30, tzinfo=UTC)},
    {"at": datetime.datetime(2026, 3, 1, 8, 0, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))},
    {"claim_date": datetime.date(2026, 2, 29 - 1), "none": None, "flag": True, "score": 0.5, "n": -3},
    {"exact": 'Zürich – 東京 👩🏽‍🔬 مرحبا "quoted" \\ back\nslash\t', "empty": "", "list": []},
    {"nested": [{"a": [1, 2, {"b": None}]}, {"c": {"d": "e"}}], "big": 2**53 + 1},
    {"label": gettext_lazy("New"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"amount": decimal.Decimal("48.50")},
    {1: "int keys become strings"},
    [],
    "a bare string",
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_the_same_bytes_as_drf(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_nothing_is_silently_dropped() -> None:
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"thing": object()})


def test_no_body_for_none_and_indented_output_when_asked() -> None:
    renderer = FastJSONRenderer()
    assert renderer.render(None) == b""
    indented = renderer.render({"a": [1]}, "application/json; indent=2", {})
    assert indented == JSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert b"\n" in indented


@pytest.mark.django_db
def test_api_responses_are_rendered_with_it(api: Any, claim: Any) -> None:
    response = api.get(f"/api/v1/claims/{claim.pk}/")
    body = response.json()
    assert response.content == JSONRenderer().render(
        body | {"created_at": claim.created_at, "updated_at": claim.updated_at}
    )
    assert body["created_at"].endswith("Z") and b": " not in response.content


def test_json_written_by_the_database_is_written_as_it_is() -> None:
    from annotations.api.serializers.sql_json import RawJSON

    data = {"next": None, "results": RawJSON('[{"id":1,"at":"2026-11-24T09:30:00Z","score":1.0}]')}
    assert (
        FastJSONRenderer().render(data) == b'{"next":null,"results":[{"id":1,"at":"2026-11-24T09:30:00Z","score":1.0}]}'
    )
    indented = FastJSONRenderer().render(data, "application/json; indent=2", {})
    expected = {"next": None, "results": [{"id": 1, "at": "2026-11-24T09:30:00Z", "score": 1.0}]}
    assert indented == JSONRenderer().render(expected, "application/json; indent=2", {})
