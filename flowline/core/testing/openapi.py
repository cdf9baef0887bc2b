"""Check an answer of the test client against the OpenAPI schema the server publishes, as
the schema fuzzer does (`make fuzz`): a test pins what the fuzzer once found."""

from __future__ import annotations

import functools

import requests
import schemathesis
from schemathesis.core.transport import Response

from flowline.core.schema import SchemaGenerator


@functools.cache
def _schema():
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def assert_documented(response, method: str, path: str) -> None:
    """Fail unless `response` (a test-client answer to `METHOD path`, `path` as the schema
    spells it: `/api/v1/billing/payment-methods/{id}/`) is one the schema documents: its
    status code, content type and body."""
    request = requests.Request(method.upper(), f"http://testserver{path}").prepare()
    answer = Response(
        status_code=response.status_code,
        headers={key.lower(): [value] for key, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    _schema()[path][method.upper()].validate_response(answer)
