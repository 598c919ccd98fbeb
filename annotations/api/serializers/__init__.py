"""Input validation (DRF serializers) and output shaping for the API.

Lists render with plain functions over `.values()` rows (`*_json`), which is several times faster
than nested DRF serializers; the `*Out` serializer classes describe the same shapes for the
OpenAPI schema, and schemathesis checks that the two agree.
"""
