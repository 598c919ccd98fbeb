"""What the OpenAPI schema says about every operation besides its own `extend_schema`: its errors.

`document_errors` (a drf-spectacular postprocessing hook, see SPECTACULAR_SETTINGS) adds to each
operation the errors it can answer, all in the one error shape (ErrorOut), so that no operation
can forget one. Each comes from what decides it in the code:

- 400 when the operation reads query parameters, headers or a body;
- 401, with `WWW-Authenticate`, without valid credentials (every API operation needs some);
- 403 when the route's declared action (annotations.policy) refuses some role or a team's
  read-only key, and on every write (a team key never writes; a session needs its CSRF token);
- 404 when the path names an object (another team's is missing too);
- 406 when Accept asks for a type the operation does not write;
- 409 and 428 for the writes that carry the version they read (annotations.api.versions.VERSIONED),
  the 409 with the object as it is now where a stale version is the cause;
- 413 and 415 when there is a body: larger than the parser takes, or not JSON;
- 429, with `Retry-After`, when a token or key exceeds API_TOKEN_RATE_LIMIT;
- 503, with `Retry-After`, when the database is not available.

A view documents the answers only it gives (a 409 of its own, a 304) in its `extend_schema`;
those are kept as they are. `ETAG` marks the operations whose success answers carry an ETag
(`DIGEST_ETAG` those whose ETag is a digest of the body).
Path parameters named `…_id` are row ids: 1 up to PostgreSQL's bigint. Every documented request body
is required (none of them is all optional; a oneOf body looks optional to drf-spectacular).

No 405 is documented: a documented method never answers it. A method the resource does not answer
at all is a 405 with `Allow`, whoever asks (annotations.api.permissions.PolicyPermission).
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.settings import api_settings

from annotations import policy
from annotations.access import ROLE_RANK
from annotations.api.serializers.common import MAX_ID, ErrorOut
from annotations.api.versions import IF_MATCH_FORMAT, VERSIONED
from annotations.models import Role

ETAG = {"x-workbench-etag": "version"}
"""`extend_schema(extensions=ETAG)`: the operation's 2xx and 304 answers carry the object's ETag."""
DIGEST_ETAG = {"x-workbench-etag": "digest"}
"""`extend_schema(extensions=DIGEST_ETAG)`: the 2xx and 304 answers carry a digest of the body as ETag."""

ETAG_HEADER = {
    "description": "The version of the object (a claim's `version`, an article's `revision`), e.g. `\"3\"`.",
    "required": True,
    "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
}
ETAG_HEADERS = {
    "version": ETAG_HEADER,
    "digest": {
        "description": "A digest of the answer's body: send it as If-None-Match to be answered 304 while it holds.",
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9a-f]{32}"$'},
    },
}
RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
WWW_AUTHENTICATE = {
    "description": 'How to authenticate: `Bearer realm="api"`.',
    "required": True,
    "schema": {"type": "string"},
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": IF_MATCH_FORMAT},
    OpenApiParameter.HEADER,
    required=True,
    description='The version you read, as an ETag: `"3"`. Without it the answer is 428.',
)
"""The If-Match of a versioned write without a body (one with a body carries `version` instead)."""

ERRORS: dict[int, str] = {
    400: "The input is not valid: `error.fields` names each field with its messages.",
    401: "No credentials, or a token that is not valid or was revoked.",
    403: "The caller's role, or a team's read-only API key, does not allow this.",
    404: "No such object, or it belongs to another team.",
    406: "The Accept header asks for a type this operation does not write.",
    413: "The body is larger than the API takes.",
    415: "The body is not JSON.",
    428: "The write does not say which version it read: send it in the body or as If-Match.",
    429: "Too many requests for this token or key: wait `Retry-After` seconds.",
    503: "The database is not available right now: try again after `Retry-After` seconds.",
}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": WWW_AUTHENTICATE},
    429: {"Retry-After": RETRY_AFTER},
    503: {"Retry-After": RETRY_AFTER},
}
STALE = (
    "The object's state does not allow this, or the version you sent is stale: then `current` is the "
    "object as it is now and `last_change` the change since."
)
WRITES = {"post", "put", "patch", "delete"}
HTTP_METHODS = {"get", "head", "options", *WRITES, "trace"}


def document_errors(result: dict[str, Any], generator: SchemaGenerator, **kwargs: Any) -> dict[str, Any]:
    """Add every operation's error answers, ETag headers and path id bounds (see the module docstring)."""
    views = {(path, method.lower()): callback for path, _, method, callback in _endpoints(generator)}
    components = _Components(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            callback = views.get((path, method))
            action = policy.route_actions(callback).get(method.upper()) if callback is not None else None
            media_types = _media_types(callback)
            for code, schema, description in _errors(operation, method, action, components):
                response = operation["responses"].setdefault(code, {"description": description})
                if "content" not in response and code != "304":
                    response["content"] = {media_type: {"schema": schema} for media_type in media_types}
                if int(code) in HEADERS:
                    response.setdefault("headers", {}).update(HEADERS[int(code)])
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True
            etag = ETAG_HEADERS.get(operation.pop(next(iter(ETAG)), ""))
            if etag is not None:
                for code, response in operation["responses"].items():
                    if code.startswith("2") or code == "304":
                        response.setdefault("headers", {})["ETag"] = etag
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                    parameter["schema"].update(minimum=1, maximum=MAX_ID)
    result["components"] = generator.registry.build(spectacular_settings.APPEND_COMPONENTS)
    return result


def _errors(
    operation: dict[str, Any], method: str, action: str | None, components: _Components
) -> list[tuple[str, dict[str, Any], str]]:
    error = components.ref(ErrorOut)
    parameters = operation.get("parameters", [])
    codes: list[tuple[int, dict[str, Any], str]] = []
    if "requestBody" in operation or any(p["in"] != "path" for p in parameters):
        codes.append((400, error, ERRORS[400]))
    if operation.get("security") and {} not in operation["security"]:
        codes.append((401, error, ERRORS[401]))
        codes.append((429, error, ERRORS[429]))
    if action is not None and _can_refuse(action, method):
        codes.append((403, error, ERRORS[403]))
    if any(p["in"] == "path" for p in parameters):
        codes.append((404, error, ERRORS[404]))
    codes.append((406, error, ERRORS[406]))
    if action in VERSIONED:
        shape = VERSIONED[action]
        if shape is not None:
            codes.append((409, components.ref(shape), STALE))
        codes.append((428, error, ERRORS[428]))
    if "requestBody" in operation:
        codes.append((413, error, ERRORS[413]))
        codes.append((415, error, ERRORS[415]))
    codes.append((503, error, ERRORS[503]))
    return [(str(code), schema, description) for code, schema, description in codes]


def _can_refuse(action: str, method: str) -> bool:
    """Whether a signed-in caller or a team key can get a 403 from this action."""
    rule = policy.rule(action)
    if rule.audience == policy.PUBLIC:
        return False
    if method in WRITES or not rule.team_key:
        return True
    needs_more = rule.role is not None and ROLE_RANK[Role(rule.role)] > ROLE_RANK[Role.REVIEWER]
    return needs_more or rule.editor_states is not None


def _endpoints(generator: SchemaGenerator) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular's endpoints: (path, path regex, method, view callback); DRF's stubs know three."""
    return cast(Any, generator.endpoints) or []


def _media_types(callback: Any) -> list[str]:
    """The types the view writes, an error included (DRF renders it with the negotiated renderer)."""
    view_class = getattr(callback, "cls", None)
    renderers: list[Any] = getattr(view_class, "renderer_classes", None) or list(api_settings.DEFAULT_RENDERER_CLASSES)
    return list(dict.fromkeys(renderer.media_type for renderer in renderers))


class _Components:
    """Serializers as `$ref`s, registered with the generator's components on first use."""

    def __init__(self, generator: SchemaGenerator) -> None:
        # Any operation's schema inspector will do: a response serializer does not depend on it.
        path, _, method, callback = _endpoints(generator)[0]
        schema = generator.create_view(callback, method).schema
        assert isinstance(schema, AutoSchema)
        schema.registry, schema.path, schema.method = generator.registry, path, method
        self.schema = schema
        self.refs: dict[type[serializers.Serializer], dict[str, str]] = {}

    def ref(self, serializer: type[serializers.Serializer]) -> dict[str, str]:
        if serializer not in self.refs:
            self.refs[serializer] = self.schema.resolve_serializer(serializer, "response").ref
        return self.refs[serializer]
