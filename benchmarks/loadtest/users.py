"""The Locust users: each logs in, then picks weighted journeys with thought between them."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from loadtest.servers import META_SECRET


def event_batch(rng: random.Random, size: int) -> dict:
    now = datetime.now(UTC)
    kinds = ["page_view"] * 6 + ["product_view"] * 3 + ["add_to_cart", "purchase"]
    events = []
    for _ in range(size):
        kind = rng.choice(kinds)
        event = {
            "event_id": str(uuid.uuid4()),
            "event_type": kind,
            "platform": rng.choice(["web", "web", "instagram", "whatsapp"]),
            "session_id": f"s{rng.randrange(5000)}",
            "occurred_at": (now - timedelta(seconds=rng.randrange(3600))).isoformat(),
            "properties": {"path": f"/p/{rng.randrange(200)}"},
        }
        if kind == "purchase":
            event["value"] = f"{rng.randrange(500, 20_000) / 100:.2f}"
            event["currency"] = "USD"
        events.append(event)
    return {"events": events}


def failure(answer) -> str:
    """What went wrong: the status and the start of the body, or the client's error (a
    timeout or a refused connection has status 0 and no body)."""
    if not answer.status_code:
        return f"no answer: {answer.error!r}"[:300]
    return f"{answer.status_code}: {(answer.text or '')[:300]}"


def build_users(seeded: dict, urls: list[str], ledger: dict, wait: tuple[float, float]):
    """Locust user classes, one per web node (each user stays on its node)."""
    from locust import FastHttpUser, between, task

    from flowline.sandbox.social import meta_inbound

    people = [(a, e) for a in seeded["accounts"] for e in a["emails"]]
    counter = iter(range(10**9))

    class Flowline(FastHttpUser):
        abstract = True
        wait_time = between(*wait)
        connection_timeout = 60.0
        network_timeout = 60.0

        headers: dict = {}
        logged_in = 0.0

        def on_start(self) -> None:
            n = next(counter)
            self.account, self.email = people[n % len(people)]
            self.rng = random.Random(n)
            self.customer = f"3519{n:08d}"
            self.session_s = 600.0
            self.login()
            self.get("/api/v1/auth/me/", "login: GET auth/me")
            self.logged_in -= self.rng.uniform(0, self.session_s)  # stagger the next one

        # -- helpers
        def login(self) -> None:
            with self.client.post(
                "/api/v1/auth/login/",
                json={"email": self.email, "password": seeded["password"]},
                name="login: POST auth/login",
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    data = answer.json()["data"]
                    self.headers = {"Authorization": f"Bearer {data['tokens']['access']}"}
                else:
                    answer.failure(failure(answer))
                self.logged_in = time.monotonic()  # a failed one is tried before the next call

        def fresh(self) -> None:
            # A session: log in again every 10 minutes (tokens live 15), each user at its
            # own moment, so 200 users log in about once every 3 s between them.
            if not self.headers or time.monotonic() - self.logged_in > self.session_s:
                self.login()
                self.get("/api/v1/auth/me/", "login: GET auth/me")

        def get(self, path: str, name: str, **params):
            self.fresh()
            query = f"?{urlencode(params)}" if params else ""
            return self.client.get(f"{path}{query}", headers=self.headers, name=name)

        def post(self, path: str, name: str, body: dict, *, job: bool = False):
            self.fresh()
            with self.client.post(
                path, json=body, headers=self.headers, name=name, catch_response=True
            ) as answer:
                if not 200 <= answer.status_code < 300:
                    answer.failure(failure(answer))
                    return None
                data = answer.json()["data"]
                if job:
                    ledger["job_ids"].append(data["task_id"])
                return data

        def site(self) -> int:
            return self.rng.choice(self.account["sites"])

        # -- journeys
        @task(30)
        def browse(self) -> None:
            pages = [
                ("/api/v1/auth/sites/", {}),
                ("/api/v1/planner/keywords/", {"site_id": self.site(), "page_size": 50}),
                ("/api/v1/products/", {"page_size": 25}),
                ("/api/v1/writer/content/", {"page_size": 25}),
                ("/api/v1/jobs/", {"page_size": 25}),
                ("/api/v1/billing/credits/transactions/", {"page_size": 25}),
                ("/api/v1/chat/conversations/", {"page_size": 25}),
                ("/api/v1/analytics/events/", {"page_size": 25}),
                ("/api/v1/billing/credits/balance/", {}),
                ("/api/v1/notifications/", {"page_size": 25}),
            ]
            for path, params in self.rng.sample(pages, 3):
                self.get(path, f"browse: GET {path.removeprefix('/api/v1/')}", **params)

        @task(10)
        def search(self) -> None:
            word = self.rng.choice(["yoga", "coffee", "best", "shoes", "review", "cheap bike"])
            self.get(
                "/api/v1/planner/keywords/", "search: GET planner/keywords?search", search=word
            )
            self.get("/api/v1/products/", "search: GET products?search", search=word)

        @task(4)
        def generate_text(self) -> None:
            prompt = f"A 40-word teaser for product {self.rng.randrange(200)}"
            self.post("/api/v1/ai/generate/", "ai: POST ai/generate", {"prompt": prompt}, job=True)
            self.get("/api/v1/jobs/", "ai: GET jobs", page_size=10)

        @task(1)
        def cluster(self) -> None:
            sector, ids = self.rng.choice(list(self.account["keywords"].items()))
            picked = self.rng.sample(ids, min(40, len(ids)))
            self.post(
                "/api/v1/planner/keywords/auto_cluster/",
                "ai: POST planner/keywords/auto_cluster",
                {"ids": picked, "sector_id": int(sector)},
                job=True,
            )

        @task(3)
        def publish(self) -> None:
            n = self.rng.randrange(10**9)
            site, sector = self.rng.choice(self.account["sectors"])
            content = self.post(
                "/api/v1/writer/content/",
                "publish: POST writer/content",
                {
                    "site": site,
                    "sector": sector,
                    "title": f"Load article {n}",
                    "html_content": f"<h2>Why {n}</h2><p>Because it is good. {n}</p>",
                    "keywords": "load, test",
                },
            )
            if content:
                self.post(
                    "/api/v1/publisher/publish/",
                    "publish: POST publisher/publish",
                    {"content_ids": [content["id"]]},
                    job=True,
                )

        @task(5)
        def chat(self) -> None:
            payload = meta_inbound.whatsapp(
                self.account["inbox"],
                f"wamid.{uuid.uuid4().hex}",
                f"Do you ship to Lisbon? ({self.rng.randrange(1000)})",
                sender=self.customer,
                name="Load Customer",
            )
            raw, signature = meta_inbound.signed(payload, META_SECRET)
            with self.client.post(
                "/api/v1/chat/webhooks/meta/",
                data=raw,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
                name="chat: POST chat/webhooks/meta (customer)",
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    ledger["chat_sent"] += 1
                else:
                    answer.failure(failure(answer))
            listed = self.get(
                "/api/v1/chat/conversations/", "chat: GET chat/conversations", page_size=10
            )
            rows = listed.json().get("results") or [] if listed.status_code == 200 else []
            if rows:
                conversation = rows[0]["id"]
                path = f"/api/v1/chat/conversations/{conversation}/messages/"
                self.get(path, "chat: GET chat/conversations/{id}/messages", page_size=20)
                self.post(path, "chat: POST chat/conversations/{id}/messages", {"body": "Yes!"})

        @task(8)
        def ingest(self) -> None:
            body = event_batch(self.rng, 20)
            answer = self.post("/api/v1/analytics/events/", "ingest: POST analytics/events", body)
            if answer:
                ledger["events_accepted"] += answer.get("accepted", 0)

    classes = []
    for index, url in enumerate(urls):
        classes.append(type(f"Node{index + 1}User", (Flowline,), {"host": url, "abstract": False}))
    return classes
