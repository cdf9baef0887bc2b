"""Provider errors inside a background job: transient ones retry, a bad key fails clearly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.ai import public as ai
from flowline.ai.models import AICall
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.jobs import public as services
from flowline.jobs.models import Job
from flowline.jobs.public import job_handler

pytestmark = pytest.mark.django_db


@job_handler("ai.tests.chat", max_attempts=2)
def _chat_job(job):
    """Asks the account's provider one question, as a feature's job would."""
    result = ai.chat(
        account_id=job.account_id,
        messages=[{"role": "user", "content": job.payload["question"]}],
        operation="chat_reply",
        job_id=job.id,
    )
    return {"answer": result.text}


@pytest.fixture
def start(owner, django_capture_on_commit_callbacks):
    def start_job():
        with django_capture_on_commit_callbacks(execute=False):
            return services.job_start(
                kind="ai.tests.chat", account_id=owner.account_id, payload={"question": "Hi?"}
            )

    return start_job


def test_a_job_calls_the_gateway_and_its_usage_carries_the_job_id(owner, fake_openai, start):
    # given
    use_fake_openai(owner.account_id, fake_openai)
    job = start()

    # when
    outcome = services.run(job.id)

    # then
    job.refresh_from_db()
    assert outcome == "completed"
    assert job.result == {"answer": "Fake reply to: Hi?"}
    assert AICall.unscoped.get(account_id=owner.account_id).job_id == job.id


def test_a_bad_key_fails_the_job_at_once_with_a_clear_error(owner, fake_openai, start):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")
    job = start()

    # when
    outcome = services.run(job.id)

    # then
    job.refresh_from_db()
    assert outcome == "failed"
    assert job.status == Job.Status.FAILED and job.error_code == "bad_key"
    assert "rejected the API key" in job.error


def test_a_rate_limited_provider_is_retried_after_its_retry_after(owner, fake_openai, start):
    # given
    use_fake_openai(owner.account_id, fake_openai, api_key="rate-limited")
    job = start()
    before = timezone.now()

    # when
    outcome = services.run(job.id)

    # then: queued again, 7 s later as the provider asked
    job.refresh_from_db()
    assert outcome == "retrying"
    assert job.status == Job.Status.QUEUED and job.error_code == "rate_limited"
    delay = timedelta(seconds=7)
    assert before + delay <= job.run_after <= timezone.now() + delay
