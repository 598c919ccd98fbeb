"""The workbench's own JSON-LD documents: its context and the agents its annotations name.

`/ns/workbench.jsonld` defines the properties the Web Annotations carry that the W3C context does
not (a verdict's `rating`, a source's `description`); it is static and cacheable by anyone.

`/ns/agents/<key>` is an annotation's creator (a Person: the display name only) or generator
(`workbench`, the Software). A person's key is the user id signed with the server's secret, so the
IRIs are public and dereferenceable without credentials, as agent IRIs are meant to be, yet cannot
be enumerated to list another team's members: only someone who was shown an annotation knows them,
and the document says no more than the annotation did. Both are public (`api.describe`) and may be
read from any origin.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified

from annotations.api.renderers import to_json
from annotations.api.w3c.agents import SOFTWARE_AGENT, agent_user_id, person_json, software_json
from annotations.api.w3c.contexts import ANNO_CONTEXT, ANNO_PROFILE, WORKBENCH_CONTEXT_FILE, context_file
from annotations.policy import performs

CONTEXT_MAX_AGE = 24 * 3600
AGENT_MAX_AGE = 3600


def _document(request: HttpRequest, body: bytes, *, content_type: str, max_age: int) -> HttpResponse:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    tags = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    response: HttpResponse = (
        HttpResponseNotModified() if etag in tags else HttpResponse(body, content_type=content_type)
    )
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@performs(GET="api.describe")
def workbench_context(request: HttpRequest) -> HttpResponse:
    return _document(
        request, context_file(WORKBENCH_CONTEXT_FILE), content_type="application/ld+json", max_age=CONTEXT_MAX_AGE
    )


@performs(GET="api.describe")
def agent(request: HttpRequest, key: str) -> HttpResponse:
    if key == SOFTWARE_AGENT:
        description = software_json(request)
    else:
        user_id = agent_user_id(key)
        username = User.objects.filter(pk=user_id).values_list("username", flat=True).first() if user_id else None
        if username is None:
            raise Http404("No such agent.")
        person = person_json(request, {"id": user_id, "username": username})
        description = {name: person[name] for name in ("id", "type", "name")}
    body = to_json({"@context": ANNO_CONTEXT, **description})
    return _document(request, body, content_type=ANNO_PROFILE, max_age=AGENT_MAX_AGE)
