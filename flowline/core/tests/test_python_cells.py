"""A cell template with a Python twin (`lists.register_cell`) is drawn by the twin in
tables: both must write the same markup, whatever the row."""

import pytest
from django.template.loader import render_to_string

import flowline.planner.pages.views  # noqa: F401  (registers the planner's cells)
from flowline.core.pages.lists import python_cells

ROWS = [
    ({"cluster_id": 7}, "Yoga & <mats>"),
    ({"cluster_id": None}, None),
    ({}, "active"),
    ({"cluster_id": 3}, "needs_review"),
    ({}, ""),
    ({}, 42),
]


@pytest.mark.parametrize("template", sorted(python_cells()))
@pytest.mark.parametrize(("row", "value"), ROWS)
def test_a_python_cell_writes_what_its_template_writes(template, row, value):
    # given
    render = python_cells()[template]

    # when
    by_template = render_to_string(template, {"row": row, "value": value})
    by_python = render(row, value)

    # then
    assert str(by_python).strip() == by_template.strip()
