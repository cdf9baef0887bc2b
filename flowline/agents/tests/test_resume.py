"""A run that crashes half-way resumes without redoing the files it finished."""

import json

import pytest
from django.core.files.base import ContentFile

from flowline.agents.models import AgentMatch, AgentRun, DataSource, LoadedRow, RunFile
from flowline.agents.services import processes
from flowline.agents.tests.factories import AgentProcessFactory
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.core.tenancy import tenant_scope
from flowline.jobs import public as jobs
from flowline.jobs.models import Job

pytestmark = pytest.mark.django_db


def _upload(owner, process, name, content):
    source = DataSource(
        account=owner.account, process=process, platform="upload", resource_name=name
    )
    source.upload.save(name, ContentFile(content), save=True)
    return source


def test_a_crashed_run_resumes_and_skips_finished_files(
    owner, fake_openai, django_capture_on_commit_callbacks
):
    # given: two files; the model answers the first, then the connection dies once
    use_fake_openai(owner.account_id, fake_openai)
    calls = {"n": 0}

    def answer(body):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("the provider went away mid-run")
        rows = [
            json.loads(line)
            for line in body["messages"][-1]["content"].splitlines()
            if line.startswith('{"row"')
        ]
        return json.dumps(
            {
                "matches": [
                    {"row": r["row"], "reason": "yoga", "fields": r["data"]}
                    for r in rows
                    if "yoga" in json.dumps(r["data"])
                ]
            }
        )

    fake_openai.responder = answer
    process = AgentProcessFactory(account=owner.account, agent__model=None)
    first = _upload(owner, process, "a.csv", b"name,likes\nAna,yoga\nRui,surf\n")
    _upload(owner, process, "b.csv", b"name,likes\nEva,yoga\n")
    with django_capture_on_commit_callbacks(execute=False), tenant_scope(owner.account_id):
        run = processes.run_start(process=process, user_id=owner.user.id)  # as the API does

    # when: the run crashes on the second file, and the job is retried
    assert jobs.run(run.job_id) == "retrying"
    done_first = RunFile.unscoped.get(run=run, data_source=first)
    rows_before = list(LoadedRow.unscoped.filter(run_file=done_first).values_list("id", flat=True))
    Job.unscoped.filter(id=run.job_id).update(run_after=None)
    assert jobs.run(run.job_id) == "completed"

    # then: the first file was not loaded again, the second one finished, matches are right
    assert (
        list(LoadedRow.unscoped.filter(run_file=done_first).values_list("id", flat=True))
        == rows_before
    )
    assert set(RunFile.unscoped.filter(run=run).values_list("status", flat=True)) == {"completed"}
    assert AgentRun.unscoped.get(id=run.id).status == "completed"
    names = sorted(
        m["name"] for m in AgentMatch.unscoped.filter(run=run).values_list("data", flat=True)
    )
    assert names == ["Ana", "Eva"]
    assert calls["n"] == 3  # a.csv once, b.csv twice (the failed call and its retry)
