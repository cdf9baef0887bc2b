"""`Model.unscoped` sees every account: each use is named in `unscoped_uses.json` (module ->
function -> uses), so a new one fails here until it is reviewed and written down.

A use belongs where no request's account is active and the account is passed explicitly
(workers, job handlers, public facades taking `account_id`, authentication). Elsewhere use
`objects`, which is scoped and fails closed. After removing uses, or adding a reviewed one:
`UNSCOPED_WRITE=1 .venv/bin/pytest flowline/core/tests/test_unscoped_allowlist.py` and
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


def test_every_unscoped_use_is_on_the_allowlist():
    # given: the uses in the source now
    found = unscoped_uses()
    if os.environ.get("UNSCOPED_WRITE"):
        ALLOWLIST.write_text(json.dumps(found, indent=1) + "\n")
    allowed = json.loads(ALLOWLIST.read_text())

    # then: no module or function uses it more than the reviewed list says...
    new = {
        f"{module}:{where}": count
        for module, uses in found.items()
        for where, count in uses.items()
        if count > allowed.get(module, {}).get(where, 0)
    }
    assert not new, f"`.unscoped` used where it was not reviewed (use `objects`): {new}"
    # ...and the list names no use that is gone (keep it as short as the code)
    gone = {
        f"{module}:{where}": count
        for module, uses in allowed.items()
        for where, count in uses.items()
        if found.get(module, {}).get(where, 0) < count
    }
    assert not gone, f"Uses removed: lower them in {ALLOWLIST.name} (UNSCOPED_WRITE=1): {gone}"
