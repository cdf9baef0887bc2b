"""The sandbox WordPress: Flowline's real WordPress client publishes to it over HTTP, and
what it published shows on the sandbox site."""

import httpx
import pytest

from flowline.core.testing.workers import wait_until
from flowline.jobs import public as jobs
from flowline.jobs.models import Job
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
INTEGRATIONS = "/api/v1/integration/integrations/"


def test_content_published_to_the_sandbox_wordpress_shows_on_its_site(sandbox, owner):
    # given: a site connected to the sandbox WordPress with the credentials it shows
    front = httpx.get(f"{sandbox}/sandbox/wordpress/")
    assert front.status_code == 200 and "Nothing published yet" in front.text
    sector = SectorFactory(account=owner.account)
    body = {
        "site": sector.site_id,
        "base_url": f"{sandbox}/sandbox/wordpress",
        "username": "flowline-editor",
        "app_password": "abcd EFGH 1234 ijkl MNOP 5678",
        "post_status": "publish",
    }
    connected = owner.client.post(INTEGRATIONS, body, format="json")
    assert connected.status_code == 201, connected.json()
    tested = owner.client.post(f"{INTEGRATIONS}{connected.json()['data']['id']}/test_connection/")
    assert tested.json()["data"]["connected"] is True
    content = ContentFactory(
        account=owner.account,
        sector=sector,
        site=sector.site,
        title="Pour-over coffee at home",
        html_content="<h2>Grind</h2><p>Medium-fine, like sea salt.</p>",
    )

    # when
    started = owner.client.post(
        "/api/v1/publisher/publish/", {"content_ids": [content.id]}, format="json"
    )
    job_id = started.json()["data"]["task_id"]
    # Run here, unless the live server's embedded worker took the job first (with a
    # Redis broker it receives the job's message too): either way, wait for its end.
    jobs.run(job_id)
    wait_until(
        lambda: Job.unscoped.get(id=job_id).status in ("completed", "failed"),
        timeout=60,
        what="the publish job to end",
    )

    # then: the post is on the sandbox site, at its permalink too
    assert Job.unscoped.get(id=job_id).status == "completed"
    front = httpx.get(f"{sandbox}/sandbox/wordpress/")
    assert "Pour-over coffee at home" in front.text and "Medium-fine, like sea salt." in front.text
    single = httpx.get(f"{sandbox}/sandbox/wordpress/pour-over-coffee-at-home/")
    assert single.status_code == 200 and "<h2>Grind</h2>" in single.text


def test_plain_http_stays_refused_for_any_other_local_wordpress(sandbox, owner):
    # given
    sector = SectorFactory(account=owner.account)
    body = {
        "site": sector.site_id,
        "base_url": f"{sandbox}/elsewhere",
        "username": "u",
        "app_password": "p" * 24,
    }

    # when
    answer = owner.client.post(INTEGRATIONS, body, format="json")

    # then
    assert answer.status_code == 400
    assert answer.json()["code"] == "insecure_url"
