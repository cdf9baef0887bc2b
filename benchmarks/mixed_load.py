"""Mixed load: simulated users over the main journeys, then "nothing lost" checked in the DB.

    .venv/bin/python benchmarks/mixed_load.py --mode embedded [--users 200] [--duration 600]
    .venv/bin/python benchmarks/mixed_load.py --mode scaled   # PostgreSQL + Redis, the Procfile
    .venv/bin/python benchmarks/mixed_load.py --mode embedded --soak 3600 --users 100

Needs the `bench` extra (Locust, psutil): `.venv/bin/pip install -e '.[bench]'`.

1. Seeds a fresh database (SQLite in a temp FLOWLINE_VAR_DIR for `embedded`; for `scaled` a
   `flowline_h7_load` PostgreSQL database, dropped and made again, next to `--database-url`):
   `--accounts` accounts on a plan without limits, each with `--users-per-account` members,
   two sites with two sectors, 2,000 keywords, 200 products, a WhatsApp inbox and each site
   connected to the sandbox WordPress. No AI provider is configured, so AI jobs run on the
   offline provider. The sandbox WordPress (flowline/sandbox/wordpress) runs as its own
   process, so what it stores does not count in Flowline's memory.
2. Starts Flowline: `embedded` is `make run`'s uvicorn with its embedded worker (SQLite,
   in-memory broker); `scaled` is the Procfile under honcho (two web nodes, two Celery
   workers, beat) on PostgreSQL and Redis, users split evenly between the two web nodes.
3. Runs `--users` Locust users (one process, gevent) for `--duration` seconds: each logs
   in, then picks weighted journeys with 1-5 s of thought between them (see JOURNEYS):
   browse lists, search keywords, start AI jobs (text generation, keyword clustering),
   write and publish an article to WordPress, answer a customer's chat message (the
   sandbox customer's signed Meta webhook), ingest analytics events, log in again.
4. Waits up to `--grace` seconds for every job to end, then checks in the database: every
   job the API answered exists and ended; every held credit was charged or given back,
   each completed paid job charged exactly once (one deduction per captured hold, none
   for failed jobs), balances equal to their ledger; every chat message and analytics
   event the API accepted stored.
5. Prints p50/p95/p99 and errors per journey and overall against the targets (p99 <
   800 ms, errors < 0.1%), and the RSS of the web process(es) and workers, sampled every
   `--sample` seconds: after warm-up (`--warmup`, default a fifth of the run), at the end,
   the peak, and growth after warm-up against the 10% limit. `--soak 3600` is the same run
   for an hour (the memory soak). The load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PASSWORD = "load-Password-123"
META_SECRET = "mixed-load-meta-secret"
P99_LIMIT_MS = 800
ERROR_LIMIT = 0.001
GROWTH_LIMIT = 0.10
TERMINAL = ("completed", "failed", "cancelled")
SHELLS = ("sh", "bash", "dash")
THROTTLES = {
    name: "1000000000/min"
    for name in (
        "THROTTLE_USER",
        "THROTTLE_ANON",
        "THROTTLE_AI",
        "THROTTLE_LOGIN",
        "THROTTLE_LOGIN_IDENTITY",
    )
}


# --- In a Django process: seed and verify ------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def seed(spec: dict) -> dict:
    """The accounts, users, sites, keywords, products, inboxes and WordPress connections."""
    import planner_data
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from flowline.billing.models import Plan
    from flowline.billing.public import credits_grant, subscription_start
    from flowline.chat.models import ChannelConnection
    from flowline.commerce.models import Product
    from flowline.core.roles import Role
    from flowline.core.tenancy import tenant_scope
    from flowline.identity.models import Membership, User
    from flowline.identity.services.accounts import account_create
    from flowline.integration.models import SiteIntegration
    from flowline.integration.services.integrations import new_webhook_secret
    from flowline.planner.models import normalize_keyword
    from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME
    from flowline.sites.models import Sector, Site

    call_command("migrate", "--noinput", verbosity=0)
    limits = {f.name: 10_000_000 for f in Plan._meta.fields if f.name.startswith("max_")}
    plan, _ = Plan.objects.update_or_create(
        slug="mixed-load",
        defaults={"name": "Mixed load", "monthly_credits": 1_000_000, **limits},
    )
    hashed = make_password(PASSWORD)  # one Argon2 hash for every user: seeding stays quick
    pairs = planner_data.keywords(2000)
    accounts = []
    now = timezone.now()
    for a in range(spec["accounts"]):
        emails = [f"load-{a}-{u}@bench.local" for u in range(spec["users_per_account"])]
        users = [
            User.objects.create(email=e, password=hashed, email_verified=True, first_name="Load")
            for e in emails
        ]
        account = account_create(owner=users[0], name=f"Load {a}")
        for user in users[1:]:
            Membership.unscoped.create(account=account, user=user, role=Role.EDITOR)
        subscription_start(account_id=account.id, plan=plan)
        credits_grant(
            account_id=account.id,
            amount=100_000_000,
            transaction_type="purchase",
            description="mixed load",
        )
        sites, sectors = [], []
        with tenant_scope(account.id):
            for s in range(2):
                site = Site.objects.create(
                    name=f"Load {a} shop {s}", slug=f"load-{a}-{s}", url="https://shop.example"
                )
                sites.append(site)
                for n in range(2):
                    sectors.append(Sector.objects.create(site=site, name=f"S{n}", slug=f"s{n}"))
                SiteIntegration.unscoped.create(
                    account_id=account.id,
                    site=site,
                    base_url=spec["wordpress_url"],
                    username=USERNAME,
                    app_password=APP_PASSWORD,
                    webhook_secret=new_webhook_secret(),
                    post_status="publish",
                )
            Product.objects.bulk_create(
                [
                    Product(
                        account_id=account.id,
                        site=sites[n % 2],
                        name=f"{pairs[n][1].title()} model {n}",
                        slug=f"product-{n}",
                        sku=f"SKU-{a}-{n}",
                        price=f"{10 + n % 90}.99",
                        status="active",
                        stock_quantity=50,
                    )
                    for n in range(200)
                ]
            )
            ChannelConnection.objects.create(
                channel="whatsapp", external_id=f"load-wa-{account.id}", name="Shop WhatsApp"
            )
        rows = [
            (
                account.id, sectors[i % 4].site_id, sectors[i % 4].id, text,
                normalize_keyword(text), (i * 37) % 50_000, i % 101, "commercial", "active",
                now, now,
            )
            for i, (text, _topic) in enumerate(pairs)
        ]  # fmt: skip
        columns = (
            "account_id, site_id, sector_id, keyword, normalized, volume, difficulty, intent, "
            "status, created_at, updated_at"
        )
        marks = ", ".join(["%s"] * 11)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO planner_keyword ({columns}) VALUES ({marks})", rows)
            cursor.execute(
                "SELECT sector_id, id FROM planner_keyword WHERE account_id = %s", [account.id]
            )
            by_sector: dict[int, list[int]] = {}
            for sector_id, keyword_id in cursor.fetchall():
                by_sector.setdefault(sector_id, []).append(keyword_id)
        accounts.append(
            {
                "id": account.id,
                "emails": emails,
                "sites": [s.id for s in sites],
                "keywords": {str(k): v for k, v in by_sector.items()},
                "sectors": [[s.site_id, s.id] for s in sectors],
                "inbox": f"load-wa-{account.id}",
            }
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"accounts": accounts, "password": PASSWORD}


def verify(spec: dict) -> dict:
    """Wait for the jobs to end, then check that nothing was lost or charged twice."""
    from django.db.models import Count, Q, Sum

    from flowline.analytics.models import AnalyticsEvent
    from flowline.billing.models import CreditBalance, CreditHold, CreditTransaction
    from flowline.chat.models import Message
    from flowline.jobs.models import Job

    accounts = spec["accounts"]
    jobs = Job.unscoped.filter(account_id__in=accounts)
    deadline = time.monotonic() + spec["grace"]
    waited = time.monotonic()
    while jobs.exclude(status__in=TERMINAL).exists() and time.monotonic() < deadline:
        time.sleep(1)
    waited = time.monotonic() - waited
    statuses: dict[str, dict[str, int]] = {}
    for row in jobs.values("kind", "status").annotate(n=Count("id")):
        statuses.setdefault(row["kind"], {})[row["status"]] = row["n"]
    unfinished = list(
        jobs.exclude(status__in=TERMINAL).values_list("id", "kind", "status", "attempts")[:20]
    )
    answered = set(spec["job_ids"])
    known = {str(i) for i in jobs.values_list("id", flat=True)}
    missing = sorted(answered - known)
    failures = list(
        jobs.filter(status="failed").values("kind", "error_code", "error").annotate(n=Count("id"))
    )[:20]

    holds = CreditHold.unscoped.filter(account_id__in=accounts)
    held_after_end = list(
        holds.filter(
            status="held", job_id__in=jobs.filter(status__in=TERMINAL).values("id")
        ).values_list("job_id", flat=True)[:20]
    )
    captured = {}
    for job_id, n in holds.filter(status="captured").values_list("job_id").annotate(n=Count("id")):
        captured[str(job_id)] = n
    deductions = {}
    for reference, n in (
        CreditTransaction.unscoped.filter(account_id__in=accounts, transaction_type="deduction")
        .values_list("reference")
        .annotate(n=Count("id"))
    ):
        deductions[reference] = n
    job_status = {str(i): s for i, s in jobs.values_list("id", "status")}
    charge_problems = []
    paid_completed = 0
    for job_id, status in job_status.items():
        charged, holds_captured = deductions.get(job_id, 0), captured.get(job_id, 0)
        if holds_captured:
            paid_completed += status == "completed"
        if charged != holds_captured:
            charge_problems.append((job_id, status, f"{charged} charges, {holds_captured} holds"))
        elif status != "completed" and charged:
            charge_problems.append((job_id, status, f"charged {charged} but {status}"))
    paid_kinds = set(spec["paid_kinds"])
    uncharged = [
        (str(i), k)
        for i, k in jobs.filter(status="completed", kind__in=paid_kinds).values_list("id", "kind")
        if not captured.get(str(i))
    ]
    ledger_problems = []
    for balance in CreditBalance.unscoped.filter(account_id__in=accounts):
        ledger = CreditTransaction.unscoped.filter(account_id=balance.account_id).aggregate(
            total=Sum("amount")
        )["total"]
        held = (
            holds.filter(account_id=balance.account_id, status="held").aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        if ledger != balance.granted + balance.purchased or held != balance.held:
            ledger_problems.append(
                {
                    "account": balance.account_id,
                    "balance": balance.granted + balance.purchased,
                    "ledger": ledger,
                    "held": balance.held,
                    "holds": held,
                }
            )
    inbound = Message.unscoped.filter(account_id__in=accounts, direction="inbound").aggregate(
        n=Count("id"), distinct=Count("external_id", distinct=True)
    )
    outbound = Message.unscoped.filter(account_id__in=accounts, direction="outbound").aggregate(
        n=Count("id"), failed=Count("id", filter=Q(delivery_status="failed"))
    )
    events = AnalyticsEvent.unscoped.filter(account_id__in=accounts).count()
    return {
        "waited_s": round(waited, 1),
        "jobs": statuses,
        "jobs_total": len(job_status),
        "jobs_unfinished": [list(map(str, row)) for row in unfinished],
        "jobs_answered": len(answered),
        "jobs_missing": missing[:20],
        "jobs_failed": [{k: str(v)[:200] for k, v in row.items()} for row in failures],
        "paid_completed": paid_completed,
        "holds_left_after_end": [str(i) for i in held_after_end],
        "charge_problems": charge_problems[:20],
        "charge_problem_count": len(charge_problems),
        "completed_uncharged": uncharged[:20],
        "ledger_problems": ledger_problems,
        "chat_inbound": inbound["n"],
        "chat_inbound_distinct": inbound["distinct"],
        "chat_outbound": outbound["n"],
        "chat_outbound_failed": outbound["failed"],
        "events_stored": events,
    }


def internal(command: str, spec_path: str) -> None:
    """`--internal seed|verify|wordpress SPEC`: the parts that run in their own process."""
    spec = json.loads(Path(spec_path).read_text())
    if command == "wordpress":
        from flowline.sandbox.wordpress.fake_wordpress import FakeWordPress

        server = FakeWordPress()
        server.mounted_history = 0
        server.start()
        Path(spec["out"]).write_text(json.dumps({"base_url": server.base_url}))
        while True:  # until the driver terminates it
            time.sleep(3600)
    _django()
    result = seed(spec) if command == "seed" else verify(spec)
    Path(spec["out"]).write_text(json.dumps(result, indent=2, default=str))


# --- The driver: servers, Locust, memory --------------------------------------------------


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def postgres_url(base: str, name: str) -> str:
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_internal(command: str, spec: dict, env: dict, var_dir: str) -> dict:
    spec_path = Path(var_dir) / f"{command}-spec.json"
    out = Path(var_dir) / f"{command}-out.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out)}))
    subprocess.run(
        [sys.executable, __file__, "--internal", command, str(spec_path)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def wait_until_serving(urls: list[str], process, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited while starting ({url})")
            try:
                urllib.request.urlopen(f"{url}/api/v1/system/status/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not answer in {timeout} s") from None
                time.sleep(0.2)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    """The Flowline processes under test, and their memory."""

    def __init__(self, args, var_dir: str, wordpress_url: str):
        self.mode = args.mode
        self.var_dir = var_dir
        wp_host = urlsplit(wordpress_url).netloc
        self.env = {
            **os.environ,
            **THROTTLES,
            "FLOWLINE_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "META_APP_SECRET": META_SECRET,
            "WORDPRESS_ALLOW_HTTP": "true",
            "FLOWLINE_ALLOWED_PRIVATE_HOSTS": wp_host,
            "OPENAI_API_KEY": "",
            "OPENAI_BASE_URL": "",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        if self.mode == "embedded":
            port = free_port()
            self.urls = [f"http://127.0.0.1:{port}"]
            self.env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "config.settings.base",
                    "FLOWLINE_EMBEDDED": "true",
                    "FRONTEND_URL": self.urls[0],
                }
            )
        else:
            ports = [free_port(), free_port()]
            self.urls = [f"http://127.0.0.1:{p}" for p in ports]
            self.env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "config.settings.production",
                    "DATABASE_URL": postgres_url(args.database_url, args.database_name),
                    "REDIS_URL": args.redis_url,
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "SECURE_SSL_REDIRECT": "false",
                    "FRONTEND_URL": self.urls[0],
                    "WEB1_PORT": str(ports[0]),
                    "WEB2_PORT": str(ports[1]),
                    "FLOWLINE_SANDBOX": "false",
                }
            )
            subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True)
        # Seeding and checking read the same database; they never start a worker.
        self.tool_env = {
            **self.env,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "FLOWLINE_EMBEDDED_WORKER": "false",
        }
        self.process = None

    def start(self) -> None:
        log = open(Path(self.var_dir) / "server.log", "w")  # noqa: SIM115 (kept open while it runs)
        if self.mode == "embedded":
            command = [
                sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
                "127.0.0.1", "--port", self.urls[0].rsplit(":", 1)[1], "--no-access-log",
            ]  # fmt: skip
        else:
            command = [str(Path(sys.executable).with_name("honcho")), "start", "-f", "Procfile"]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until_serving(self.urls, self.process)

    def processes(self) -> dict[str, list]:
        """Role name -> the psutil processes whose RSS it sums (a worker with its pool)."""
        import psutil

        root = psutil.Process(self.process.pid)
        if self.mode == "embedded":
            return {"web+worker": [root]}
        roles: dict[str, list] = {}
        for child in root.children(recursive=True):
            try:
                cmd = " ".join(child.cmdline())
                # honcho runs each line through a shell; a prefork worker's pool processes
                # are counted with their worker
                parent = child.parent()
                if child.name() in SHELLS or (
                    parent.name() not in SHELLS and "celery" in " ".join(parent.cmdline())
                ):
                    continue
            except psutil.Error:
                continue
            if "uvicorn" in cmd:
                port = cmd.split("--port", 1)[1].split()[0]
                name = "web1" if self.urls[0].endswith(f":{port}") else "web2"
                roles.setdefault(name, []).append(child)
            elif "celery" in cmd and " worker" in cmd:
                name = cmd.split(" -n ", 1)[1].split("@", 1)[0]
                roles.setdefault(name, []).append(child)
            elif "celery" in cmd and " beat" in cmd:
                roles.setdefault("beat", []).append(child)
        return roles

    def rss(self) -> dict[str, float]:
        """MiB per role (a prefork worker counts its pool processes too)."""
        import psutil

        sizes = {}
        for role, processes in self.processes().items():
            total = 0
            for p in processes:
                try:
                    total += p.memory_info().rss
                    if "worker" in role:
                        total += sum(c.memory_info().rss for c in p.children(recursive=True))
                except psutil.Error:
                    pass
            sizes[role] = total / 2**20
        return sizes

    def cpu_seconds(self) -> float:
        """User + system CPU of every Flowline process (web, workers, beat) so far."""
        import psutil

        total = 0.0
        for processes in self.processes().values():
            for p in processes:
                try:
                    for q in [p, *p.children(recursive=True)]:
                        times = q.cpu_times()
                        total += times.user + times.system
                except psutil.Error:
                    pass
        return total

    def stop(self) -> None:
        import signal

        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


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


def percentiles(entry) -> tuple[float, float, float]:
    if not entry.num_requests:
        return (0.0, 0.0, 0.0)
    return tuple(entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99))


def report_stats(stats) -> tuple[list[dict], dict]:
    """Per journey (requests named `journey: ...`) and overall."""
    from locust.stats import StatsEntry

    journeys: dict[str, StatsEntry] = {}
    for (name, _method), entry in sorted(stats.entries.items()):
        journey = name.split(":", 1)[0]
        if journey not in journeys:
            journeys[journey] = StatsEntry(stats, journey, "", use_response_times_cache=False)
        journeys[journey].extend(entry)
    rows = []
    for name, entry in [*journeys.items(), ("overall", stats.total)]:
        p50, p95, p99 = percentiles(entry)
        rows.append(
            {
                "journey": name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "error_rate": entry.num_failures / max(1, entry.num_requests),
                "p50_ms": p50,
                "p95_ms": p95,
                "p99_ms": p99,
                "max_ms": entry.max_response_time or 0,
                "rps": entry.num_requests
                / max(1e-9, entry.last_request_timestamp - entry.start_time)
                if entry.last_request_timestamp
                else 0,
            }
        )
    endpoints = []
    for (name, _method), entry in sorted(stats.entries.items()):
        p50, p95, p99 = percentiles(entry)
        endpoints.append(
            {"name": name, "requests": entry.num_requests, "failures": entry.num_failures,
             "p50_ms": p50, "p99_ms": p99, "max_ms": entry.max_response_time or 0}
        )  # fmt: skip
    return rows, {"endpoints": endpoints}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--internal", nargs=2, metavar=("COMMAND", "SPEC"), help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["embedded", "scaled"], default="embedded")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per s")
    parser.add_argument("--duration", type=float, default=600.0)
    parser.add_argument("--soak", type=float, default=0.0, help="a memory soak of this many s")
    parser.add_argument("--warmup", type=float, default=None, help="s (default: a fifth)")
    parser.add_argument("--sample", type=float, default=5.0, help="RSS sampling period, s")
    parser.add_argument("--grace", type=float, default=300.0, help="s for the jobs to end")
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--users-per-account", type=int, default=8)
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--database-name", default="flowline_h7_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    if args.internal:
        internal(*args.internal)
        return
    duration = args.soak or args.duration
    warmup = args.warmup if args.warmup is not None else duration / 5
    run(args, duration, warmup)


def run(args, duration: float, warmup: float) -> None:
    var_dir = tempfile.mkdtemp(prefix=f"flowline-load-{args.mode}-")
    print(f"mixed load, {args.mode}: {args.users} users for {duration:.0f} s; var {var_dir}")
    print(f"  load average at start: {load_average()}", flush=True)
    wp_spec = Path(var_dir) / "wordpress-spec.json"
    wp_out = Path(var_dir) / "wordpress.json"
    wp_spec.write_text(json.dumps({"out": str(wp_out)}))
    wordpress = subprocess.Popen(
        [sys.executable, __file__, "--internal", "wordpress", str(wp_spec)], cwd=ROOT
    )
    deployment = None
    try:
        while not wp_out.exists():
            if wordpress.poll() is not None:
                raise RuntimeError("the sandbox WordPress did not start")
            time.sleep(0.1)
        wordpress_url = json.loads(wp_out.read_text())["base_url"]
        deployment = Deployment(args, var_dir, wordpress_url)
        started = time.perf_counter()
        seeded = run_internal(
            "seed",
            {
                "accounts": args.accounts,
                "users_per_account": args.users_per_account,
                "wordpress_url": wordpress_url,
            },
            deployment.tool_env,
            var_dir,
        )
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
        deployment.start()
        print(f"  serving at {', '.join(deployment.urls)}; load average {load_average()}")
        result = drive(args, deployment, seeded, duration, warmup)
        checked = run_internal(
            "verify",
            {
                "accounts": [a["id"] for a in seeded["accounts"]],
                "grace": args.grace,
                "job_ids": result["ledger"]["job_ids"],
                "paid_kinds": ["ai.generate_text", "planner.auto_cluster"],
            },
            deployment.tool_env,
            var_dir,
        )
        result["verify"] = checked
        result["load_average_end"] = load_average()
    finally:
        if deployment is not None:
            deployment.stop()
        wordpress.terminate()
        wordpress.wait(timeout=10)
    print_report(args, result, duration, warmup)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))


def drive(args, deployment: Deployment, seeded: dict, duration: float, warmup: float) -> dict:
    import gevent
    from locust.env import Environment

    ledger = {"job_ids": [], "chat_sent": 0, "events_accepted": 0}
    classes = build_users(seeded, deployment.urls, ledger, tuple(args.wait))
    environment = Environment(user_classes=classes)
    runner = environment.create_local_runner()
    samples: list[tuple[float, dict[str, float], str]] = []
    began = time.monotonic()

    def sample_memory() -> None:
        while True:
            samples.append((time.monotonic() - began, deployment.rss(), load_average()))
            gevent.sleep(args.sample)

    def progress() -> None:
        while True:
            gevent.sleep(60)
            total = environment.stats.total
            rss = ", ".join(f"{k} {v:.0f}" for k, v in samples[-1][1].items()) if samples else ""
            print(
                f"  [{time.monotonic() - began:5.0f} s] {total.num_requests} requests, "
                f"{total.num_failures} failed, p99 so far "
                f"{total.get_response_time_percentile(0.99) if total.num_requests else 0} ms; "
                f"RSS MiB {rss}; load {load_average()}",
                flush=True,
            )

    sampler = gevent.spawn(sample_memory)
    reporter = gevent.spawn(progress)
    cpu_before = deployment.cpu_seconds()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.sleep(duration)
    runner.stop()
    runner.quit()
    samples.append((time.monotonic() - began, deployment.rss(), load_average()))
    cpu = deployment.cpu_seconds() - cpu_before
    sampler.kill()
    reporter.kill()
    rows, details = report_stats(environment.stats)
    errors = [
        {"name": e.name, "error": str(e.error)[:300], "occurrences": e.occurrences}
        for e in environment.stats.errors.values()
    ]
    return {
        "mode": args.mode,
        "users": args.users,
        "duration_s": duration,
        "warmup_s": warmup,
        "journeys": rows,
        **details,
        "errors": sorted(errors, key=lambda e: -e["occurrences"])[:30],
        "error_kinds": error_kinds(errors),
        "server_cpu_s": cpu,
        "server_cpu_ms_per_request": 1000 * cpu / max(1, environment.stats.total.num_requests),
        "memory": memory_summary(samples, warmup),
        "memory_samples": [(round(t), rss, la) for t, rss, la in samples],
        "ledger": ledger,
    }


def error_kinds(errors: list[dict]) -> dict[str, int]:
    """Overload (no answer in time: the client gave up) apart from Flowline's answers."""
    import re

    kinds = {
        "no answer (timeout, refused)": 0,
        "connection closed (keep-alive race)": 0,
        "5xx": 0,
        "4xx": 0,
        "other": 0,
    }
    for error in errors:
        text = error["error"]
        status = re.search(r"^(\d{3}):|code=(\d{3})", text)
        code = (status.group(1) or status.group(2)) if status else ""
        if code.startswith("5"):
            kind = "5xx"
        elif code.startswith("4"):
            kind = "4xx"
        elif "ConnectionClosed" in text:
            # uvicorn closes a connection idle for 5 s; a POST sent on it just then is
            # not retried by the client (a browser would send it again)
            kind = "connection closed (keep-alive race)"
        elif text.startswith("no answer") or re.search(r"timed out|RetriesExceeded|refused", text):
            kind = "no answer (timeout, refused)"
        else:
            kind = "other"
        kinds[kind] += error["occurrences"]
    return kinds


def memory_summary(samples, warmup: float) -> dict:
    """Per role: RSS after warm-up and at the end, each the lowest sample of a 60 s window
    (a login's Argon2 hash takes 100 MiB for a moment: a single sample says little), the
    median of those windows too, the peak, and growth of the floor after warm-up."""
    import statistics

    roles = sorted({role for _, rss, _ in samples for role in rss})
    end_t = samples[-1][0]
    summary = {}
    for role in roles:
        series = [(t, rss[role]) for t, rss, _ in samples if role in rss]
        first = [v for t, v in series if warmup <= t < warmup + 60] or [series[-1][1]]
        last = [v for t, v in series if t >= end_t - 60] or [series[-1][1]]
        summary[role] = {
            "start_mib": round(series[0][1], 1),
            "warmup_mib": round(min(first), 1),
            "warmup_median_mib": round(statistics.median(first), 1),
            "end_mib": round(min(last), 1),
            "end_median_mib": round(statistics.median(last), 1),
            "peak_mib": round(max(v for _, v in series), 1),
            "growth": (min(last) - min(first)) / min(first) if min(first) else 0.0,
        }
    return summary


def print_report(args, result: dict, duration: float, warmup: float) -> None:
    print(
        f"\nMixed load ({result['mode']}, {result['users']} users, {duration:.0f} s; "
        f"load average at the end {result['load_average_end']})"
    )
    print(f"{'journey':<10} {'requests':>9} {'failed':>7} {'errors':>8} {'p50':>7} {'p95':>7} "
          f"{'p99':>7} {'max':>7} {'req/s':>7}")  # fmt: skip
    for row in result["journeys"]:
        print(
            f"{row['journey']:<10} {row['requests']:>9} {row['failures']:>7} "
            f"{row['error_rate']:>8.3%} {row['p50_ms']:>5.0f}ms {row['p95_ms']:>5.0f}ms "
            f"{row['p99_ms']:>5.0f}ms {row['max_ms']:>5.0f}ms {row['rps']:>7.1f}"
        )
    overall = result["journeys"][-1]
    print(
        f"target p99 < {P99_LIMIT_MS} ms: {overall['p99_ms']:.0f} ms -> "
        f"{'MET' if overall['p99_ms'] < P99_LIMIT_MS else 'NOT MET'}"
    )
    print(
        f"target errors < {ERROR_LIMIT:.1%}: {overall['error_rate']:.3%} -> "
        f"{'MET' if overall['error_rate'] < ERROR_LIMIT else 'NOT MET'}"
    )
    print(f"  failures by kind: {result['error_kinds']}")
    print(
        f"  Flowline's CPU (every process): {result['server_cpu_s']:.0f} s, "
        f"{result['server_cpu_ms_per_request']:.1f} ms per request"
    )
    for error in result["errors"][:10]:
        print(f"  {error['occurrences']:>6} x {error['name']}: {error['error'][:200]}")
    check = result["verify"]
    ledger = result["ledger"]
    lost = (
        check["jobs_unfinished"]
        or check["jobs_missing"]
        or check["holds_left_after_end"]
        or check["charge_problem_count"]
        or check["completed_uncharged"]
        or check["ledger_problems"]
        or check["chat_inbound"] < ledger["chat_sent"]
        or check["chat_inbound_distinct"] != check["chat_inbound"]
        or check["events_stored"] < ledger["events_accepted"]
    )
    print(f"\nNothing lost (after waiting {check['waited_s']} s for the jobs to end):")
    print(f"  jobs by kind and status: {json.dumps(check['jobs'])}")
    print(
        f"  jobs answered by the API {check['jobs_answered']}, "
        f"missing {len(check['jobs_missing'])}, not ended {len(check['jobs_unfinished'])}"
    )
    print(
        f"  paid jobs completed {check['paid_completed']}; charge problems "
        f"{check['charge_problem_count']}; completed without a charge "
        f"{len(check['completed_uncharged'])}; holds left {len(check['holds_left_after_end'])}; "
        f"balances off their ledger {len(check['ledger_problems'])}"
    )
    print(
        f"  chat messages accepted {ledger['chat_sent']}, stored {check['chat_inbound']} "
        f"({check['chat_inbound_distinct']} distinct); replies {check['chat_outbound']} "
        f"({check['chat_outbound_failed']} marked failed: no WhatsApp sender connected)"
    )
    print(f"  events accepted {ledger['events_accepted']}, stored {check['events_stored']}")
    print(
        "  (more stored than accepted: requests the server finished after the client had "
        "given up on them, counted as failures above; fewer would be a loss)"
    )
    if check["jobs_failed"]:
        print(f"  failed jobs: {json.dumps(check['jobs_failed'])[:1000]}")
    if check["charge_problems"]:
        print(f"  charge problems: {check['charge_problems'][:5]}")
    print(f"  -> {'SOMETHING LOST OR DOUBLED' if lost else 'nothing lost, every charge once'}")
    print(
        f"\nMemory (RSS MiB, lowest / median of a 60 s window; warm-up {warmup:.0f} s; "
        f"limit +{GROWTH_LIMIT:.0%} after warm-up):"
    )
    for role, m in result["memory"].items():
        print(
            f"  {role:<11} start {m['start_mib']:>5.0f}  after warm-up {m['warmup_mib']:>5.0f} / "
            f"{m['warmup_median_mib']:<5.0f} end {m['end_mib']:>5.0f} / "
            f"{m['end_median_mib']:<5.0f} "
            f"peak {m['peak_mib']:>5.0f}  growth {m['growth']:+.1%} -> "
            f"{'MET' if m['growth'] <= GROWTH_LIMIT else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
