"""The mechanism behind every seed table: no seed path is ever answered with a redirect to
its slashed (or unslashed) twin, and the schema lists every seed operation under its seed."""

import re
from urllib.parse import urlsplit

import pytest

from flowline.contracts.build import REGISTRY
from flowline.contracts.urls import CONTRACTS
from flowline.core.schema import SchemaGenerator
from flowline.core.testing.client import CommittingAPIClient as APIClient

pytestmark = pytest.mark.django_db

ROWS = [(contract, route) for contract in CONTRACTS for route in contract.routes]


def _url(contract, route, *, twin: bool) -> str:
    path = "/" + contract.prefix + re.sub(r"<(?:\w+:)?\w+>", "1", route.path)
    if twin:
        path = path[:-1] if path.endswith("/") else path + "/"
    return path


@pytest.mark.parametrize(
    ("contract", "route"),
    [pytest.param(c, r, id=f"{c.name} {r.method} {r.path}") for c, r in ROWS],
)
def test_seed_path_answers_in_place_with_and_without_its_slash(contract, route, owner):
    paths = {_url(contract, route, twin=False), _url(contract, route, twin=True)}
    for client in (APIClient(), owner.client):
        for path in sorted(paths):
            # when: the frontend calls it, signed in or not, as written and with the twin slash
            response = client.generic(route.method, path)
            # then: an answer from the view, never Django's APPEND_SLASH redirect to the twin
            location = urlsplit(response.get("Location", "")).path
            assert not (response.status_code in (301, 302, 307, 308) and location in paths), (
                f"{route.method} {path}: {response.status_code} to {location}"
            )
            assert response.status_code != 405, f"{route.method} {path} not allowed"


def test_schema_lists_every_seed_operation_tagged_with_its_seed():
    document = SchemaGenerator().get_schema(request=None, public=True)
    missing, untagged = [], []
    for (path, method), (contract, _route) in REGISTRY.items():
        operation = document["paths"].get(path, {}).get(method.lower())
        if operation is None:
            missing.append(f"{method} {path}")
        elif contract.schema_tag not in operation.get("tags", []):
            untagged.append(f"{method} {path}")
    assert not missing and not untagged, (missing, untagged)
