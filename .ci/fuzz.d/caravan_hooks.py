"""Schemathesis hooks for Caravan's fuzzing run (.ci/fuzz).

`schema_valid_is_never_malformed`: a request the schema says is valid may break a business rule
(422 with the rule's code), but it may never be refused with a code that says the request does
not match the schema: then the OpenAPI document and the server disagree.
"""

import schemathesis

SCHEMA_LEVEL = {
    "invalid_body",
    "malformed_json",
    "invalid_query",
    "unsupported_media_type",
    "bad_request",
    "unreadable_body",
}


@schemathesis.check
def schema_valid_is_never_malformed(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code < 400:
        return None
    try:
        code = response.json()["error"]["code"]
    except Exception:  # not the envelope: other checks report that
        return None
    if code in SCHEMA_LEVEL:
        raise AssertionError(
            f"schema-valid request refused as malformed: {response.status_code} {code}: "
            f"{response.text[:300]}"
        )
    return None
