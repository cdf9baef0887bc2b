"""The agents' facade as another app or page calls it: inside the account's scope,
another account's process does not exist."""

import pytest

from flowline.agents import public
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db


def test_a_process_is_summarised_and_another_accounts_is_not_found(owner, other_owner):
    # given: a process in each account
    mine = AgentProcessFactory(account=owner.account, name="Leads")
    theirs = AgentProcessFactory(account=other_owner.account)

    # when: asked inside the owner's scope
    with tenant_scope(owner.account_id):
        summary = public.process_summary(process_id=mine.id)
        foreign = public.process_summary(process_id=theirs.id)
        in_scope = public.process_ids_in_scope([mine.id, theirs.id, 0])

    # then
    assert summary is not None
    assert (summary.id, summary.name, summary.status) == (mine.id, "Leads", mine.status)
    assert foreign is None
    assert in_scope == frozenset({mine.id})
