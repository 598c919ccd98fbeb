"""The agents of an annotation: a person (its creator, a body's creator) and the workbench (its generator).

Each is an Agent whose IRI the app serves (`/ns/agents/<key>`, annotations.views.ns)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import metadata
from typing import Any

from django.core import signing
from django.urls import reverse

from annotations.api.w3c.values import AnyRequest

SOFTWARE_AGENT = "workbench"  # the key of the generator's IRI; a person's key is signed (see agent_key)
_AGENT_SALT = "annotations.webannotation.agent"


def agent_key(user_id: int) -> str:
    """A person's agent key: the user id, signed, so agent IRIs cannot be guessed or enumerated."""
    return signing.Signer(salt=_AGENT_SALT, sep=".").sign(str(user_id))


def agent_user_id(key: str) -> int | None:
    try:
        value = signing.Signer(salt=_AGENT_SALT, sep=".").unsign(key)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def agent_iri(request: AnyRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("ns-agent", args=[key]))


def person_json(request: AnyRequest, user: Mapping[str, Any]) -> dict[str, Any]:
    """A user ({"id", "username"}) as a Person. The workbench shows users by their username."""
    return {
        "id": agent_iri(request, agent_key(user["id"])),
        "type": "Person",
        "name": user["username"],
        "nickname": user["username"],
    }


def software_json(request: AnyRequest) -> dict[str, Any]:
    """The workbench as the Software that generates every annotation's serialization."""
    return {
        "id": agent_iri(request, SOFTWARE_AGENT),
        "type": "Software",
        "name": f"Fact-check workbench {_version()}".strip(),
        "nickname": "factcheck-workbench",
    }


@cache
def _version() -> str:
    try:
        return metadata.version("factcheck-workbench")
    except metadata.PackageNotFoundError:
        return ""
