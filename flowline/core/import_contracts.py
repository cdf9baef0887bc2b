"""The import-linter contract that keeps apps behind their facades (run by `make lint`).

An app's internals (`models`, `services`, `api`, ...) may be imported by that app only;
other apps go through its `public.py`. import-linter's own `protected` contract would need
one contract per app, so this one states the rule once for every app of a container.
Test code is checked by a second, looser instance (`tests = "only"`)."""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils

_TEST_PARTS = {"tests", "testing", "conftest"}


def is_test_module(module: str) -> bool:
    """Test files and test support (`tests/`, `testing`, `conftest`, `test_*`)."""
    parts = module.split(".")
    return bool(_TEST_PARTS.intersection(parts)) or parts[-1].startswith("test_")


class FacadeContract(Contract):
    """Options: `container` (the package whose children are apps), `internal` (names of
        an app's submodules other apps must not import), `shared` (apps whose modules everyone
    may import: core, the bottom layer), `tests` ("exclude": check the code
        only; "only": check test code only), `ignore_imports` (the reasoned allow-list)."""

    type_name = "facades"

    container = fields.StringField()
    internal = fields.ListField(subfield=fields.StringField())
    tests = fields.StringField(required=False, default="exclude")
    shared = fields.ListField(subfield=fields.StringField(), required=False, default=[])
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        container = str(self.container)
        depth = container.count(".") + 1
        internal = set(self.internal)  # type: ignore[call-overload]
        shared = set(self.shared)  # type: ignore[call-overload]
        only_tests = self.tests == "only"
        broken = []
        for importer in sorted(graph.find_descendants(container)):
            if is_test_module(importer) != only_tests:
                continue
            importer_app = importer.split(".")[depth]
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                parts = imported.split(".")
                if len(parts) <= depth + 1 or parts[:depth] != container.split("."):
                    continue
                if parts[depth] in shared or parts[depth] == importer_app:
                    continue
                if parts[depth + 1] not in internal:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = [str(detail["line_number"]) for detail in details]
                broken.append((importer, imported, lines))
        return ContractCheck(
            kept=not broken,
            warnings=list(removal.warnings),
            metadata={"broken": broken},
            ignored_import_count=removal.ignored_import_count,
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["broken"]:
            output.print_error(f"- {importer} -> {imported} (l.{', '.join(lines)})", bold=False)
        output.new_line()
        output.print(
            "Add what the importer needs to the imported app's public.py and import that "
            '(or, for a foreign key, name the model as a string: "app.Model").'
        )
