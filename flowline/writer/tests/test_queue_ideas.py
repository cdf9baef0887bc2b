"""`public.queue_ideas`: the planner's and automation's way to hand ideas to the writer."""

import pytest

from flowline.core.errors import NotFoundError
from flowline.core.tenancy import tenant_scope
from flowline.sites.tests.factories import SectorFactory
from flowline.writer import public
from flowline.writer.models import Task
from flowline.writer.tests.factories import cluster_for, idea_for

pytestmark = pytest.mark.django_db


def test_each_idea_becomes_one_draft_task_with_its_fields(owner):
    # given
    sector = SectorFactory(account=owner.account)
    cluster = cluster_for(sector)
    idea = idea_for(
        sector,
        cluster=cluster,
        description="For home baristas",
        content_type="guide",
        content_structure="how_to",
        estimated_word_count=2200,
    )

    # when
    with tenant_scope(owner.account_id):
        tasks = public.queue_ideas(account_id=owner.account_id, idea_ids=[idea.id])

    # then
    task = tasks[0]
    assert len(tasks) == 1 and task.status == Task.Status.DRAFT
    assert (task.site_id, task.sector_id, task.cluster_id, task.idea_id) == (
        sector.site_id,
        sector.id,
        cluster.id,
        idea.id,
    )
    assert task.title == idea.idea_title and task.description == "For home baristas"
    assert (task.content_type, task.content_structure, task.word_count) == (
        "guide",
        "how_to",
        2200,
    )
    assert task.keyword_list == ["pour over", "coffee filter", "grind size"]


def test_queueing_again_creates_nothing_twice(owner):
    sector = SectorFactory(account=owner.account)
    first, second = idea_for(sector), idea_for(sector, idea_title="Espresso at home")
    with tenant_scope(owner.account_id):
        public.queue_ideas(account_id=owner.account_id, idea_ids=[first.id])

    with tenant_scope(owner.account_id):
        created = public.queue_ideas(account_id=owner.account_id, idea_ids=[first.id, second.id])

    assert [task.idea_id for task in created] == [second.id]
    assert Task.unscoped.filter(account_id=owner.account_id).count() == 2


def test_another_accounts_idea_is_404_and_nothing_is_queued(owner, other_owner):
    mine = idea_for(SectorFactory(account=owner.account))
    theirs = idea_for(SectorFactory(account=other_owner.account))

    with pytest.raises(NotFoundError) as raised, tenant_scope(owner.account_id):
        public.queue_ideas(account_id=owner.account_id, idea_ids=[mine.id, theirs.id])

    assert raised.value.errors == {"ids": [theirs.id]}
    assert not Task.unscoped.exists()
