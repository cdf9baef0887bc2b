"""Offline matching (no AI provider): the instructions' words found in the rows, and with
the packaged sentence model (FLOWLINE_EMBEDDINGS=wordllama) words of the same meaning too."""

import pytest
from django.core.files.base import ContentFile

from flowline.agents.models import AgentRun, DataSource
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.jobs import public as jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offline(no_ai_environment):  # noqa: F811
    """No developer key leaks in: the agent answers with the offline provider."""


PEOPLE = b"name,job\nAna,orthodontist\nRui,baker\nEva,dentist\nLia,lawyer\n"


@pytest.mark.parametrize(
    ("engine", "expected"),
    [
        ("wordllama", {"Ana": "dentist \u2248 orthodontist", "Eva": "dentist"}),
        ("tfidf", {"Eva": "dentist"}),
    ],
)
def test_offline_matching_finds_the_same_meaning_with_the_packaged_model(
    owner,
    settings,
    django_capture_on_commit_callbacks,
    engine,
    expected,
):
    # given: an agent with no model, asked for dentists, reading an uploaded CSV
    settings.FLOWLINE_EMBEDDINGS = engine
    process = AgentProcessFactory(
        account=owner.account, agent__instructions="Find the dentist", agent__model=None
    )
    source = DataSource(
        account=owner.account, process=process, platform="upload", resource_name="people.csv"
    )
    source.upload.save("people.csv", ContentFile(PEOPLE), save=True)

    # when: it runs
    with django_capture_on_commit_callbacks(execute=False):
        started = owner.client.post("/api/v1/agent/task/", {"agent_id": process.id}, format="json")
    assert started.status_code == 201, started.content
    assert jobs.run(AgentRun.unscoped.get(process=process).job_id) == "completed"

    # then: the orthodontist is found only by meaning, the baker and the lawyer never
    listed = owner.client.get("/api/v1/agent/matches/", {"agent_id": process.id}).json()
    found = {row["data"]["name"]: row["evidence"] for row in listed["results"]}
    assert set(found) == set(expected)
    for name, hit in expected.items():
        assert f"Offline keyword match on: {hit} " in found[name]
