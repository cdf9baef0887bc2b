"""Every app of flowline/ has the same shape (issue 14), so a reader finds the same parts
in the same places, and a view stays a thin layer over the app's selectors and services.

A domain app (one that owns data and serves it over `/api/v1/`) has:
- `public.py`: what other apps and pages may call (import-linter's `facades` contract
  keeps them to it);
- `selectors.py` (or `selectors/`): its reads;
- `services.py` (or `services/`): its writes and rules;
- `api/urls.py` with `ROUTES`: the viewsets `config/api_router.py` registers.

And its API view modules (everything in `api/` but serializers and urls) do not query
the ORM themselves (`Model.objects`, `Model.unscoped`): they call a selector or a
service. Modules that still do are listed below with their count of uses and the
reason; the list only shrinks (a module that drops a use must be updated here).

Platform apps that are not a domain are exempt, each for a reason written below
(docs/architecture.md, "The shape of an app").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

PARTS = ("public", "selectors", "services", "routes")

# Apps without the domain shape, and why.
EXEMPT = {
    "core": "the shared plumbing every app builds on (tenancy, viewsets, envelope, pages)",
    "console": "pages only (the dashboard, the first run): a client of the apps' API",
    "sandbox": "stand-ins for outside services (Stripe, WordPress, drives, OIDC, push) in "
    "development and tests; no data of Flowline's own",
    "realtime": "the Socket.IO server, rooms and publish(): plumbing reached through its "
    "public.py and hooks, with no models and no REST API",
    "system": "plain key/value settings rows that the generic viewsets read and write, and "
    "operational plumbing modules (health checks, status, request metrics, the Gitea "
    "webhook) that other apps reach through registries (system.health.register)",
}
# Apps with the shape but for one part, and why.
PARTIAL = {
    ("reference", "services"): "read-only reference data, shipped by migrations and "
    "edited in the admin: nothing for a service to write",
}

# `api/` view modules that still query the ORM themselves: uses, and why (shrink it).
VIEWS_READING_ORM: dict[str, tuple[int, str]] = {
    "flowline/billing/api/staff_payments.py": (
        1,
        "staff tooling across accounts: the viewset's queryset is the declared bypass "
        "(`Payment.unscoped`), kept in sight where the staff permission is",
    ),
}

VIEW_SKIPPED = {"__init__.py", "urls.py"}


def _flowline_apps() -> dict[str, Path]:
    return {
        config.label: Path(config.path)
        for config in apps.get_app_configs()
        if config.name.startswith("flowline.")
    }


def _has(path: Path, name: str) -> bool:
    return (path / f"{name}.py").is_file() or (path / name / "__init__.py").is_file()


def _has_routes(path: Path) -> bool:
    urls = path / "api" / "urls.py"
    if not urls.is_file():
        return False
    tree = ast.parse(urls.read_text(), str(urls))
    return any(
        isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(target, ast.Name) and target.id == "ROUTES"
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
        for node in tree.body
    )


def _missing(path: Path) -> list[str]:
    found = {
        "public": _has(path, "public"),
        "selectors": _has(path, "selectors"),
        "services": _has(path, "services"),
        "routes": _has_routes(path),
    }
    return [part for part in PARTS if not found[part]]


def _domain_apps() -> dict[str, Path]:
    return {label: path for label, path in _flowline_apps().items() if label not in EXEMPT}


def _view_modules(path: Path) -> list[Path]:
    api = path / "api"
    return sorted(
        module
        for module in api.rglob("*.py")
        if module.name not in VIEW_SKIPPED
        and "serializers" not in module.stem
        and "serializers" not in module.relative_to(api).parts
    )


def _orm_uses(module: Path) -> int:
    tree = ast.parse(module.read_text(), str(module))
    return sum(
        isinstance(node, ast.Attribute) and node.attr in ("objects", "unscoped")
        for node in ast.walk(tree)
    )


def _repo_path(module: Path) -> str:
    return module.relative_to(Path(apps.get_app_config("core").path).parents[1]).as_posix()


def test_exempt_apps_are_installed():
    # given: the installed apps of flowline/
    installed = _flowline_apps()

    # then: every exemption names an installed app (a stale one is removed)
    assert sorted(set(EXEMPT) - set(installed)) == []
    assert sorted({label for label, _ in PARTIAL} - set(installed)) == []


@pytest.mark.parametrize("label", sorted(_domain_apps()))
def test_domain_app_has_public_selectors_services_and_routes(label):
    # given: a domain app
    path = _domain_apps()[label]

    # when: its parts are looked for
    missing = [part for part in _missing(path) if (label, part) not in PARTIAL]

    # then: it has every part but the reasoned exceptions
    assert missing == [], f"flowline/{label} lacks {missing} (see docs/architecture.md)"


def test_partial_exemptions_are_still_needed():
    # given: the apps excused one part
    domain = _domain_apps()

    # then: each still lacks it (once it has the part, the exemption goes)
    assert [key for key in PARTIAL if key[1] not in _missing(domain[key[0]])] == []


def test_api_views_of_domain_apps_query_through_selectors_and_services():
    # given: the ORM uses in the domain apps' API view modules
    found = {
        _repo_path(module): uses
        for path in _domain_apps().values()
        for module in _view_modules(path)
        if (uses := _orm_uses(module))
    }

    # then: only listed modules have any, never more than listed, and the list is current
    allowed = {module: uses for module, (uses, _why) in VIEWS_READING_ORM.items()}
    assert {m: n for m, n in found.items() if n > allowed.get(m, 0)} == {}, (
        "API views query the ORM: move the read into selectors.py (or the write into "
        "services) and call it"
    )
    assert {m: n for m, n in allowed.items() if found.get(m, 0) < n} == {}, (
        "fewer ORM uses than VIEWS_READING_ORM lists: lower the count or drop the module"
    )
    assert all(why for _uses, why in VIEWS_READING_ORM.values())
