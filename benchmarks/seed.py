"""Seed a benchmark database: one account, its owner and N sites; print an access token.

    FLOWLINE_VAR_DIR=/tmp/x .venv/bin/python benchmarks/seed.py [--sites 1000]

Uses the database the settings name: SQLite in FLOWLINE_VAR_DIR by default, PostgreSQL
when DATABASE_URL is set (run_api.py points that at a separate `<name>_bench` database,
never at your own). Idempotent: re-running keeps the user and tops the sites up or trims
them to exactly N. Writes `bench.json` (token, ids, site count) into FLOWLINE_VAR_DIR and
prints the token. The token lives as long as JWT_ACCESS_MINUTES says when this runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "bench@flowline.local"


def seed(sites: int) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from flowline.core.roles import Role
    from flowline.identity import tokens
    from flowline.identity.models import Account, Membership, User
    from flowline.sites.models import Site

    call_command("migrate", "--noinput", verbosity=0)
    with transaction.atomic():
        user = User.objects.filter(email=EMAIL).first()
        if user is None:
            user = User.objects.create_user(EMAIL, "bench-Password-123", first_name="Bench")
        membership = Membership.unscoped.filter(user=user, role=Role.OWNER).first()
        if membership is None:
            account = Account.objects.create(name="Bench", owner=user, billing_email=EMAIL)
            membership = Membership.unscoped.create(account=account, user=user, role=Role.OWNER)
        account_id = membership.account_id
        existing = Site.unscoped.filter(account_id=account_id)
        have = existing.count()
        if have > sites:
            keep = list(existing.order_by("id").values_list("id", flat=True)[:sites])
            existing.exclude(id__in=keep).delete()
        elif have < sites:
            Site.unscoped.bulk_create(
                [
                    Site(
                        account_id=account_id,
                        name=f"Site {n:04d}",
                        slug=f"site-{n:04d}",
                        url=f"https://site-{n:04d}.example.com",
                        description=f"Benchmark site number {n}, a brand like any other.",
                        voice="Friendly, concise, no jargon.",
                        wp_url=f"https://site-{n:04d}.example.com/wp-json",
                        wp_username="editor",
                    )
                    for n in range(have, sites)
                ],
                batch_size=500,
            )
    pair = tokens.issue_pair(user=user, account_id=account_id)
    return {
        "token": pair["access"],
        "access_expires_at": pair["access_expires_at"],
        "user_id": user.id,
        "account_id": account_id,
        "sites": Site.unscoped.filter(account_id=account_id).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("FLOWLINE_EMBEDDED", "true")  # its own SECRET_KEY in the var dir
    import django

    django.setup()
    from django.conf import settings

    result = seed(args.sites)
    result["database"] = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    (Path(settings.VAR_DIR) / "bench.json").write_text(json.dumps(result, indent=2))
    print(result["token"])


if __name__ == "__main__":
    main()
