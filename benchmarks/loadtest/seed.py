"""The accounts, users, sites, keywords, products, inboxes and WordPress connections the
simulated users work on (runs in a Django process of its own)."""

from __future__ import annotations

PASSWORD = "load-Password-123"


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
