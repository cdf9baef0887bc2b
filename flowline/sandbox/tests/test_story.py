"""Issue 15's "done when", as one story on a fresh `make run` with no configuration: every
outside service is a sandbox provider, and a person tries each journey in the browser (the
consent, checkout and sign-in pages) and through the API, as a client would."""

import re
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import expect

from flowline.core.testing.browser import screenshot_dir
from flowline.sandbox.providers import SANDBOX_IDENTITY, SANDBOX_PASSWORD
from flowline.sandbox.tests.fresh_run import fresh_make_run
from flowline.sandbox.tests.support import poll

pytestmark = pytest.mark.browser


def test_a_new_user_tries_every_integration_on_a_fresh_make_run(tmp_path, chromium):
    with fresh_make_run(tmp_path) as flowline:
        context = chromium.new_context(
            base_url=flowline.url, viewport={"width": 1280, "height": 860}
        )
        context.set_default_timeout(20_000)
        page = context.new_page()

        def shot(name):
            page.screenshot(
                path=str(screenshot_dir() / f"sandbox-story-{name}.png"), full_page=True
            )

        # given: the admin `make run` printed logs in, in the console and through the API
        page.goto("/login/")
        page.get_by_label("Email").fill(flowline.email)
        page.get_by_label("Password").fill(flowline.password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".sandbox-badge").first).to_be_visible()
        login = httpx.post(
            f"{flowline.url}/api/v1/auth/login/",
            json={"email": flowline.email, "password": flowline.password},
        )
        token = login.json()["tokens"]["access"]
        api = httpx.Client(
            base_url=f"{flowline.url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert api.get("/system/status/").json()["data"]["sandbox"] is True

        # when: Instagram and X are connected through their consent pages
        for button, heading in (
            ("Connect Instagram", "Sign in to Facebook & Instagram"),
            ("Connect X (Twitter)", "Sign in to X"),
        ):
            page.goto("/social/accounts/")
            page.get_by_role("button", name=re.compile(f"^{re.escape(button)}")).click()
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            page.get_by_role("link", name="Allow").click()
            expect(page.get_by_role("alert")).to_contain_text("connected")
        accounts = api.get("/social/accounts/").json()["results"]
        assert sorted(a["platform"] for a in accounts) == ["instagram", "twitter"]
        [x_account] = [a for a in accounts if a["platform"] == "twitter"]
        shot("accounts")

        # and a post with an image is published to both
        post = api.post(
            "/social/posts/",
            json={
                "text": "Summer sale: 20% off every mug",
                "targets": [a["id"] for a in accounts],
                "media": [{"url": f"{flowline.url}/sandbox/graph/media/sale.png", "type": "image"}],
            },
        ).json()["data"]
        scheduled = api.post(
            "/social/schedules/",
            json={"post": post["id"], "scheduled_at": datetime.now(UTC).isoformat()},
        )
        assert scheduled.status_code == 201, scheduled.text

        # then: the embedded scheduler publishes it, and it is on the sandbox feed twice
        targets = poll(
            lambda: api.get(f"/social/posts/{post['id']}/").json()["data"]["targets"],
            lambda targets: all(t["status"] == "published" for t in targets),
        )
        assert [t["status"] for t in targets] == ["published", "published"], targets
        page.goto("/sandbox/feed/")
        for provider in ("graph", "x"):
            expect(page.locator(f"article[data-post={provider}]")).to_contain_text(
                "Summer sale: 20% off every mug"
            )
        shot("feed")

        # and the admin's browser is subscribed to Web Push (the sandbox push service)
        subscription = httpx.post(f"{flowline.url}/sandbox/push/subscription").json()
        subscribed = api.post("/notifications/push-subscriptions/", json=subscription)
        assert subscribed.status_code == 201, subscribed.text

        # when: the sandbox customer writes on Instagram
        page.goto("/sandbox/customer/?channel=instagram")
        page.get_by_label("Message").fill("Is the mug dishwasher safe?")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("[data-from=you]")).to_contain_text("Is the mug dishwasher safe?")

        # then: it is in the inbox, and the shop's answer reaches the customer
        [conversation] = api.get("/chat/conversations/").json()["results"]
        messages = f"/chat/conversations/{conversation['id']}/messages/"
        assert [m["body"] for m in api.get(messages).json()["results"]] == [
            "Is the mug dishwasher safe?"
        ]
        answered = api.post(messages, json={"body": "Yes, up to 60 °C."})
        assert answered.status_code == 201 and answered.json()["data"]["delivery_status"] == "sent"
        page.reload()
        expect(page.locator("[data-from=shop]")).to_contain_text("Yes, up to 60 °C.")
        shot("customer")

        # and the admin was told by a Web Push, shown decrypted on the sandbox outbox
        poll(
            lambda: httpx.get(f"{flowline.url}/sandbox/outbox/").text,
            lambda outbox: "Is the mug dishwasher safe?" in outbox,
        )
        page.goto("/sandbox/outbox/")
        expect(page.locator("[data-push]").filter(has_text="New message")).to_contain_text(
            "Is the mug dishwasher safe?"
        )
        shot("outbox")

        # when: Google Drive is connected: its consent page, then the browser completes
        # the OAuth callback
        started = api.post("/drive/connect/google_drive/init/").json()["data"]
        page.goto(started["authorization_url"])
        expect(page.get_by_role("heading", name="Sign in to Google Drive")).to_be_visible()
        shot("drive-consent")
        page.get_by_role("link", name="Allow").click()
        expect(page.locator("body")).to_contain_text("drive.owner@example.com")
        [folder] = api.get("/drive/files/").json()["results"]
        files = api.get("/drive/files/", params={"folder_id": folder["id"]}).json()["results"]
        [leads] = [f for f in files if f["name"] == "leads.csv"]

        # then: a sample file is picked into an agent's data sources
        agent = api.post(
            "/automations/ai-agents/",
            json={"name": "Lead finder", "instructions": "Find the leads who live in Lisbon."},
        ).json()["data"]
        process = api.post("/agents/processes/", json={"agent": agent["id"], "name": "Lisbon"})
        source = api.post(
            "/datasources/",
            json={
                "process_id": process.json()["data"]["id"],
                "platform": "google_drive",
                "resource_identifier": leads["id"],
                "resource_name": leads["name"],
            },
        )
        assert source.status_code == 201, source.text
        assert api.get("/datasources/").json()["count"] == 1

        # when: a credit package is paid on the sandbox checkout
        balance = api.get("/billing/credits/balance/balance/").json()["data"]["credits"]
        [package] = [
            p for p in api.get("/billing/credit-packages/").json()["results"] if p["credits"] == 500
        ]
        purchase = api.post(
            f"/billing/credit-packages/{package['id']}/purchase/", json={"method": "stripe"}
        ).json()["data"]
        page.goto(purchase["checkout_url"])
        expect(page.locator("[data-total]")).to_have_text("10.00 USD")
        page.get_by_label("Card number").fill("4242 4242 4242 4242")
        shot("checkout")
        page.get_by_role("button", name=re.compile("^Pay")).click()
        page.wait_for_url(re.compile(re.escape(purchase["session_id"])))

        # then: the signed webhook credited the account
        assert api.get("/billing/credits/balance/balance/").json()["data"]["credits"] == (
            balance + 500
        )

        # when: the server restarts
        flowline.restart()

        # then: the sandbox is as it was: the feed, and X still takes the admin's posts
        feed = httpx.get(f"{flowline.url}/sandbox/feed.json").json()["posts"]
        assert len(feed) == 2
        again = api.post(
            "/social/posts/",
            json={"text": "Still here after a restart", "targets": [x_account["id"]]},
        ).json()["data"]
        api.post(
            "/social/schedules/",
            json={"post": again["id"], "scheduled_at": datetime.now(UTC).isoformat()},
        )
        [target] = poll(
            lambda: api.get(f"/social/posts/{again['id']}/").json()["data"]["targets"],
            lambda targets: targets[0]["status"] not in ("scheduled", "publishing"),
        )
        assert target["status"] == "published", target

        # when: someone new signs in with the sandbox Google identity
        page.context.clear_cookies()
        page.goto("/login/")
        page.get_by_role("link", name="Continue with Google").click()
        page.get_by_label("Email").fill(SANDBOX_IDENTITY)
        page.get_by_label("Password").fill(SANDBOX_PASSWORD)
        shot("google-sign-in")
        page.get_by_role("button", name="Sign in").click()

        # then: back on the console, signed in as that person
        page.wait_for_url(f"{flowline.url}/")
        me = page.evaluate("() => fetch('/api/v1/auth/me/').then(r => r.json())")
        assert SANDBOX_IDENTITY in str(me)
        shot("signed-in")
        context.close()
