"""The OpenAPI 3 schema covers every route and describes the envelope the API sends."""

import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver

from config import api_router

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"\{[^}]+\}")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator_class = spectacular_settings.DEFAULT_GENERATOR_CLASS
    assert issubclass(generator_class, SchemaGenerator)
    with django_db_blocker.unblock():
        return generator_class().get_schema(request=None, public=True)


def _routes(patterns, prefix=""):
    """Every concrete route under /api/v1/ as a path with `{}` for each parameter."""
    for entry in patterns:
        route = prefix + _route_text(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            if "format" in entry.pattern.regex.groupindex:
                continue  # DRF's `.json` suffix variants of the same route
            yield "/api/v1/" + route


def _route_text(pattern) -> str:
    text = str(pattern)
    text = text.removeprefix("^").removesuffix("$")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    return text


def _normal(path: str) -> str:
    return _PARAM.sub("{}", path)


def test_schema_endpoint_serves_openapi_3(api_client):
    # when
    response = api_client.get("/api/schema/")

    # then
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert document["paths"]


def test_schema_endpoint_serves_json_on_request(api_client):
    # when
    response = api_client.get("/api/schema/", {"format": "json"})

    # then
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_assets_from_our_own_static(api_client, path):
    # when
    response = api_client.get(path)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "cdn." not in html
    assert "unpkg" not in html


def test_every_api_route_is_in_the_schema(schema):
    # given
    routes = {_normal(route) for route in _routes(api_router.urlpatterns)}
    documented = {_normal(path) for path in schema["paths"]}

    # then
    assert routes, "no routes found under /api/v1/"
    assert routes - documented == set()


def test_list_endpoint_is_documented_with_the_list_envelope(schema):
    # given
    response = schema["paths"]["/api/v1/auth/sites/"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["$ref"]

    # when
    component = schema["components"]["schemas"][ref.split("/")[-1]]

    # then
    assert set(component["properties"]) == {"success", "count", "next", "previous", "results"}
    assert component["properties"]["results"]["items"]["$ref"].endswith("/Site")


def test_detail_endpoint_is_documented_with_the_success_envelope(schema):
    # given
    operation = schema["paths"]["/api/v1/auth/sites/{id}/"]["get"]

    # when
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]

    # then
    assert set(body["properties"]) == {"success", "data", "message"}
    assert body["properties"]["data"]["$ref"].endswith("/Site")


def test_file_downloads_are_documented_as_bare_binary_not_in_the_envelope(schema):
    # given: the invoice PDF, and an image file answered as JSON (its URL) or as its bytes
    pdf = schema["paths"]["/api/v1/billing/invoices/{id}/download_pdf/"]["get"]["responses"]
    image = schema["paths"]["/api/v1/writer/images/{id}/file/"]["get"]["responses"]

    # then: the bytes are described as sent; only the JSON answer has the envelope
    assert pdf["200"]["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    assert image["200"]["content"]["image/*"] == {"schema": {"type": "string", "format": "binary"}}
    json_body = image["200"]["content"]["application/json"]["schema"]
    # (IGNY8 reads `image_url` at the top level too: flowline.contracts.igny8)
    assert {"success", "data", "message", "image_url"} <= set(json_body["properties"])
    assert json_body["properties"]["data"]["$ref"].endswith("/WriterImageFile")
    # and: their errors are still JSON in the error envelope
    assert pdf["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")


def test_a_csv_export_is_documented_as_text_not_in_the_envelope(schema):
    # given
    export = schema["paths"]["/api/v1/planner/keywords/export/"]["get"]["responses"]["200"]

    # then
    assert export["content"] == {"text/csv": {"schema": {"type": "string"}}}


def test_errors_are_documented_with_the_error_envelope(schema):
    # given
    operation = schema["paths"]["/api/v1/auth/sites/{id}/"]["get"]
    error = schema["components"]["schemas"]["ErrorEnvelope"]

    # then
    for status in ("401", "403", "404"):
        ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorEnvelope")
    assert set(error["required"]) == {"success", "error", "errors", "code", "request_id"}


def test_write_only_secret_is_not_in_the_response_schema(schema):
    # given
    components = schema["components"]["schemas"]

    # then
    assert "wp_app_password" not in components["Site"]["properties"]
    assert "wp_app_password" in components["SiteRequest"]["properties"]


def test_public_endpoints_do_not_document_401(schema):
    # given
    operation = schema["paths"]["/api/v1/auth/plans/"]["get"]

    # then
    assert "401" not in operation["responses"]


def test_spectacular_validate_passes():
    # given
    out = StringIO()

    # when
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out
    )

    # then: no exception means a valid OpenAPI 3 document, generated without warnings
    assert "Error" not in out.getvalue()


def test_bulk_delete_documents_the_count_it_answers(schema):
    # given
    operation = schema["paths"]["/api/v1/planner/keywords/bulk_delete/"]["post"]

    # when
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    ref = body["properties"]["data"]["$ref"].split("/")[-1]

    # then
    assert "deleted_count" in schema["components"]["schemas"][ref]["properties"]


def test_a_read_through_a_nullable_relation_is_nullable(schema):
    # given: a keyword's cluster is optional
    keyword = schema["components"]["schemas"]["Keyword"]["properties"]

    # then
    assert keyword["cluster_name"].get("nullable") is True


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            # then
            assert {"400", "404", "429", "502", "503"} <= codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"402", "409"} <= codes, (method, path)


def test_read_only_endpoints_do_not_offer_delete(schema):
    # then
    assert "delete" not in schema["paths"]["/api/v1/jobs/{id}/"]
    assert "delete" not in schema["paths"]["/api/v1/billing/credits/transactions/{id}/"]
    assert "delete" in schema["paths"]["/api/v1/planner/keywords/{id}/"]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_only_strings_are_documented_as_maybe_empty(schema):
    # given: a blank stored value ("") is allowed beside a formatted string (a blank URL);
    # a blank integer column is null or a number, so it never gets that allowance
    offending = [
        node
        for node in _walk(schema["components"])
        if {"type": "string", "maxLength": 0} in node.get("oneOf", [])
        and any(branch.get("format") in ("int32", "int64") for branch in node["oneOf"])
    ]

    # then
    assert offending == []
    exp_month = schema["components"]["schemas"]["PaymentMethod"]["properties"]["exp_month"]
    assert exp_month["type"] == "integer"
