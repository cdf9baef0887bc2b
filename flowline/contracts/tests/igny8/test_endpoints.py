"""Every documented endpoint line of 003 (then 002's extra routes) answers as documented."""

import pytest

from flowline.contracts.tests.igny8 import auth_rows, content_rows, system_rows
from flowline.contracts.tests.table import call, check, params

pytestmark = pytest.mark.django_db

BASE = "/api"  # VITE_API_URL: the frontend calls `/v1/...` below it
ROWS = [*auth_rows.ROWS, *content_rows.ROWS, *system_rows.ROWS]


@pytest.mark.parametrize("row", params(ROWS))
def test_documented_endpoint_answers_as_documented(row, owner, world):
    # given: the frontend signed in with a Bearer token (a staff user's for staff rows)
    if row.who == "staff":
        owner.user.is_staff = True
        owner.user.save(update_fields=["is_staff"])
    # when: it calls the documented path as written
    response = call(owner.client, row, BASE, world)
    # then: the documented status, and the documented keys where 003 reads them
    check(response, row)
