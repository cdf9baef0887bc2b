"""The two places the IGNY8 frontend reads more than one endpoint's keys: signing in, and
polling a started job's progress."""

import pytest

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.planner.tests.factories import KeywordFactory
from flowline.sites.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db


def test_login_and_me_put_the_user_and_tokens_where_the_frontend_reads_them(owner):
    # given: the IGNY8 login form
    client = APIClient()
    # when
    login = client.post(
        "/api/v1/auth/login/", {"email": owner.user.email, "password": owner.password}
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login['tokens']['access']}")
    me = client.get("/api/v1/auth/me/").json()
    # then: the documented shapes, at the top level
    assert login["success"] is True and login["message"] == "Login successful"
    assert {"access", "refresh", "access_expires_at", "refresh_expires_at"} <= set(login["tokens"])
    assert {"id", "email", "role", "account"} <= set(login["user"])
    assert {"id", "email", "role", "account", "accessible_sites"} <= set(me["user"])
    # and: Flowline's own clients still find them in `data`
    assert login["data"]["user"]["id"] == me["data"]["id"] == owner.user.id


def test_progress_poll_reads_state_and_meta_at_the_top(owner, run_job):
    # given: a keyword clustering started the way the frontend starts it
    sector = SectorFactory(account=owner.account)
    ids = [KeywordFactory(account=owner.account, sector=sector).id for _ in range(2)]
    started = owner.client.post(
        "/api/v1/planner/keywords/auto_cluster/", {"ids": ids, "sector_id": sector.id}
    ).json()
    # when: it polls the progress endpoint with the task id it got at the top level
    progress = owner.client.get(
        f"/api/v1/system/settings/task_progress/{started['task_id']}/"
    ).json()
    # then
    assert started["success"] is True
    assert progress["state"] in {"PENDING", "PROGRESS", "SUCCESS", "FAILURE"}
    assert {"phase", "percentage"} <= set(progress["meta"])
