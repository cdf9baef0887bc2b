"""Generic over the URL router: a form-posted `null` for a NOT NULL JSON column, and an
OPTIONS request, are answered without a 500 on every endpoint, now and later (both were
found by the schema fuzzer)."""

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver
from rest_framework import serializers

from config import api_router
from config.api_router import router

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _json_columns_of_creates():
    for prefix, viewset, basename in router.registry:
        if not hasattr(viewset, "create") or not hasattr(viewset, "get_serializer_class"):
            continue
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None or not issubclass(
            serializer_class, serializers.ModelSerializer
        ):
            continue
        model = serializer_class.Meta.model
        for name, field in serializer_class().fields.items():
            column = next((f for f in model._meta.concrete_fields if f.name == field.source), None)
            is_json = isinstance(field, serializers.JSONField) and not field.read_only
            if is_json and isinstance(column, models.JSONField) and not column.null:
                yield pytest.param(prefix, name, id=f"{basename}.{name}")


def _paths(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern).removeprefix("^").removesuffix("$")
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "format" not in entry.pattern.regex.groupindex:
            yield route


def _concrete(route: str) -> str:
    import re

    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return re.sub(r"<(?:\w+:)?\w+>", "1", route)


@pytest.mark.parametrize(("prefix", "name"), list(_json_columns_of_creates()))
def test_form_posted_null_for_a_not_null_json_column_is_400(prefix, name, owner):
    # given: staff too, so staff-only settings reach their validation
    owner.user.is_staff = True
    owner.user.save(update_fields=["is_staff"])

    # when: a form body, where "null" is text that DRF's JSONField parses to None
    response = owner.client.post(
        f"{API}/{prefix}/",
        f"name=x&{name}=null",
        content_type="application/x-www-form-urlencoded",
    )

    # then
    assert response.status_code == 400, response.content
    assert name in response.json()["errors"]


@pytest.mark.parametrize("route", sorted(set(_paths(api_router.urlpatterns))))
def test_options_never_fails(route, owner):
    # when
    response = owner.client.options(f"{API}/{_concrete(route)}")

    # then
    assert response.status_code < 500, response.content


@pytest.mark.parametrize("how", ["delete", "bulk_delete"])
def test_deleting_a_row_that_other_rows_protect_is_409_and_deletes_nothing(how, owner):
    # given: an AI agent that an agent process still uses (on_delete=PROTECT)
    from flowline.agents.tests.factories import AgentProcessFactory
    from flowline.ai.models import AIAgent

    agent = AgentProcessFactory(account=owner.account).agent
    url = f"{API}/automations/ai-agents/"

    # when
    if how == "delete":
        response = owner.client.delete(f"{url}{agent.id}/")
    else:
        response = owner.client.post(f"{url}bulk_delete/", {"ids": [agent.id]}, format="json")

    # then
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "in_use"
    assert AIAgent.unscoped.filter(id=agent.id).exists()
