"""`Model.unscoped` sees every account: it is allowed only in the modules named in
`unscoped_uses.json`, each with a one-line reason (`why`) and its uses by function, so a
new module that uses it fails here until it is reviewed and written down.

A module belongs on the list where no tenant scope can exist (beat sweeps over every
account, webhooks from platforms, authentication, admin and staff tooling, exports that
span a user's accounts) and it filters by account explicitly. Code that runs inside a
scope (API and page views, the services they call, jobs run under `tenancy.tenant_scope`)
uses `objects`, which is scoped and fails closed. Reasons starting "to convert:" name
modules that run in a scope and are still to move to `objects`. After removing uses, or
adding a reviewed one: `UNSCOPED_WRITE=1 .venv/bin/pytest
flowline/core/tests/test_unscoped_allowlist.py`, write the `why` of a new module and
review the diff of the JSON file."""

from __future__ import annotations

import ast
import json
import os
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ALLOWLIST = Path(__file__).with_name("unscoped_uses.json")
# test code and its helpers build rows of several accounts on purpose
SKIPPED_PARTS = {"tests", "testing", "migrations", "conftest.py", "testing.py"}


def _uses_in(path: Path) -> Counter:
    """`function -> uses` of `.unscoped` in one module (`<module>` at its top level)."""
    uses: Counter = Counter()

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = child.name if where == "<module>" else f"{where}.{child.name}"
            if isinstance(child, ast.Attribute) and child.attr == "unscoped":
                uses[where] += 1
            visit(child, name)

    visit(ast.parse(path.read_text(), str(path)), "<module>")
    return uses


def unscoped_uses() -> dict[str, dict[str, int]]:
    found = {}
    for path in sorted((ROOT / "flowline").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS.intersection(relative.parts):
            continue
        uses = _uses_in(path)
        if uses:
            found[relative.as_posix()] = dict(sorted(uses.items()))
    return found


def _write(found: dict[str, dict[str, int]], allowed: dict) -> None:
    """The list as the code is now, keeping the reason of every module still on it."""
    written = {
        module: {"why": allowed.get(module, {}).get("why", ""), "uses": uses}
        for module, uses in found.items()
    }
    ALLOWLIST.write_text(json.dumps(written, indent=1) + "\n")


def test_every_unscoped_use_is_in_an_allowed_module():
    # given: the uses in the source now, and the reviewed modules
    found = unscoped_uses()
    if os.environ.get("UNSCOPED_WRITE"):
        _write(found, json.loads(ALLOWLIST.read_text()))
    allowed = json.loads(ALLOWLIST.read_text())

    # then: only allowed modules use it...
    outside = sorted(set(found) - set(allowed))
    assert not outside, f"`.unscoped` in modules not on the allow-list (use `objects`): {outside}"
    # ...each with its reason...
    unexplained = sorted(module for module, entry in allowed.items() if not entry.get("why"))
    assert not unexplained, f"Say in one line why these modules need `.unscoped`: {unexplained}"
    # ...no function uses it more than the reviewed list says...
    new = {
        f"{module}:{where}": count
        for module, uses in found.items()
        for where, count in uses.items()
        if count > allowed[module]["uses"].get(where, 0)
    }
    assert not new, f"`.unscoped` used where it was not reviewed (use `objects`): {new}"
    # ...and the list names no use that is gone (keep it as short as the code)
    gone = {
        f"{module}:{where}": count
        for module, entry in allowed.items()
        for where, count in entry["uses"].items()
        if found.get(module, {}).get(where, 0) < count
    }
    assert not gone, f"Uses removed: lower them in {ALLOWLIST.name} (UNSCOPED_WRITE=1): {gone}"
