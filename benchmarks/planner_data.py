"""Shared by the planner benchmarks: a synthetic keyword set with known topics, and a
Django set-up on a throwaway database with an account whose plan takes 1M keywords.

SQLite in a temporary FLOWLINE_VAR_DIR by default; with --db postgres, a
`<name>_planner_bench` database next to DATABASE_URL's `<name>` (created when missing),
never DATABASE_URL's own, so that people sharing a server each bench on their own.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flowline.core.testing import throwaway  # noqa: E402 (after the path it needs)

BENCH_SUFFIX = "_planner_bench"
BENCH_DB: str | None = None  # a script may name its own

NOUNS = """yoga mat|coffee grinder|running shoes|dog food|cat litter|office chair|standing desk
|air fryer|rice cooker|electric kettle|hiking boots|tent|sleeping bag|road bike|mountain bike
|bike helmet|protein powder|vitamin d|fish oil|face serum|sunscreen|shampoo|beard oil
|electric toothbrush|water filter|air purifier|dehumidifier|space heater|ceiling fan
|robot vacuum|mattress|pillow|weighted blanket|baby stroller|car seat|crib|laptop|gaming mouse
|mechanical keyboard|monitor|webcam|headphones|earbuds|smart watch|fitness tracker|drone
|action camera|tripod|guitar|piano|violin|ukulele|drum kit|microphone|podcast setup|seo audit
|keyword research|link building|content marketing|email marketing|facebook ads|google ads
|tiktok marketing|wordpress hosting|vpn|password manager|antivirus|cloud storage|crm software
|project management software|accounting software|payroll software|home insurance
|car insurance|life insurance|mortgage|credit card|student loan|personal loan|tax return
|retirement plan|index fund|bitcoin|gold price|house plants|succulents|tomato plants
|lawn mower|garden hose|pressure washer|paint sprayer|cordless drill|tool box|kitchen knife
|cast iron skillet|dutch oven|blender|stand mixer|espresso machine|french press|wine glasses
|whiskey|craft beer|vegan recipes|keto diet|intermittent fasting|meal prep|sourdough bread
|pizza dough|chocolate cake|banana bread|smoothie recipes|wedding dress|engagement ring
|wedding venue|honeymoon destinations|paris travel|tokyo travel|rome hotels|beach resorts
|ski resorts|fishing rod|kayak|surfboard|golf clubs|tennis racket|basketball shoes
|soccer cleats|swim goggles|pilates|crossfit|marathon training|weight loss|muscle gain
|back pain|knee pain|insomnia|anxiety|acne|eczema|hair loss|teeth whitening|contact lenses
|hearing aids|dog training|cat toys|bird cage|aquarium|hamster cage|horse riding|chess
|jigsaw puzzle|board games|lego sets|nintendo switch|playstation 5|gaming chair|vr headset
|3d printer|sewing machine|knitting|crochet|watercolor painting|acrylic paint|calligraphy
|wedding photography|resume template|cover letter|job interview|remote jobs|freelancing
|learn python|learn spanish|math tutoring|sat prep|college essay|scholarships|moving company
|storage unit|apartment hunting|kitchen remodel|bathroom tiles|roof repair|solar panels
|electric car|car battery|tire pressure|oil change|used cars|car rental|flight deals
|travel insurance|passport renewal|visa application|baby monitor|diaper bag|breast pump
|toddler shoes|school backpack|printer ink|paper shredder|label maker|desk lamp|led strip
|smart plug|security camera|video doorbell|smoke detector|fire extinguisher|water heater"""
NOUNS = [noun.strip() for noun in NOUNS.replace("\n", "").split("|") if noun.strip()]
MODIFIERS = [
    "best {}", "{} reviews", "cheap {}", "{} for beginners", "how to choose {}", "{} near me",
    "buy {} online", "{} vs", "top rated {}", "{} guide", "{} tips", "{} price", "{} 2025",
    "what is the best {}", "{} for kids", "professional {}", "{} deals", "{} brands",
    "{} alternatives", "how to use {}", "{} comparison", "affordable {}", "{} accessories",
    "{} size chart", "{} maintenance", "diy {}", "{} ideas", "used {}", "{} sale", "small {}",
    "large {}", "portable {}", "{} for women", "{} for men", "lightweight {}", "{} benefits",
    "{} problems", "{} setup", "{} checklist", "{} mistakes", "{} repair", "{} warranty",
    "{} for seniors", "{} uk", "{} canada", "{} amazon", "{} black friday", "{} coupon",
]  # fmt: skip


def keywords(count: int, *, seed: int = 1) -> list[tuple[str, str]]:
    """`count` distinct (keyword, topic) pairs: a topic noun with a search modifier."""
    pairs = [(modifier.format(noun), noun) for noun in NOUNS for modifier in MODIFIERS]
    if count > len(pairs):
        extra = [(f"{k} {n}", t) for n in range(2, 40) for k, t in pairs]
        pairs += extra
    random.Random(seed).shuffle(pairs)
    return pairs[:count]


def database_url(db: str) -> str | None:
    if db != "postgres":
        return None
    url = os.environ["DATABASE_URL"]
    own = urlsplit(url).path.lstrip("/") or "flowline"
    bench_db = BENCH_DB or (own if own.endswith(BENCH_SUFFIX) else own + BENCH_SUFFIX)
    return throwaway.database_next_to(url, bench_db, fresh=False)


def drop_database() -> None:
    """Drop BENCH_DB (closing this process's connections to it first)."""
    from django.db import connections

    connections.close_all()
    parts = urlsplit(os.environ["DATABASE_URL"])
    throwaway.database_drop(urlunsplit(parts._replace(path=f"/{BENCH_DB}")))


def environment(db: str) -> dict:
    """Environment variables for a process working on the benchmark database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FLOWLINE_EMBEDDED": "true",  # an embedded install: it makes its own SECRET_KEY
        "FLOWLINE_VAR_DIR": os.environ.get("FLOWLINE_VAR_DIR")
        or throwaway.var_dir("flowline-planner-bench-"),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "FLOWLINE_EMBEDDED_WORKER": "false",
        "OPENAI_API_KEY": "",
        "OPENAI_BASE_URL": "",
    }
    return throwaway.on_database(env, database_url(db))


def setup(db: str) -> None:
    """Configure and start Django in this process on the benchmark database, migrated."""
    os.environ.update(environment(db))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def account(name: str = "Planner bench"):
    """A fresh account (owner, site, sector) on a plan taking 1M keywords and clusters.

    Returns (user, account_id, site, sector)."""
    import uuid

    from flowline.billing.models import Plan
    from flowline.billing.public import subscription_start
    from flowline.core.tenancy import tenant_scope
    from flowline.identity.models import User
    from flowline.identity.services.accounts import account_create
    from flowline.sites.models import Sector, Site

    email = f"planner-{uuid.uuid4().hex[:8]}@bench.local"
    user = User.objects.create_user(email, "bench-Password-123", email_verified=True)
    created = account_create(owner=user, name=name)
    plan, _ = Plan.objects.update_or_create(
        slug="planner-bench",
        defaults={
            "name": "Planner bench",
            "max_keywords": 1_000_000,
            "max_clusters": 1_000_000,
            "max_ideas": 1_000_000,
            "max_sites": 100,
            "monthly_credits": 1_000_000,
        },
    )
    subscription_start(account_id=created.id, plan=plan)
    with tenant_scope(created.id):
        site = Site.objects.create(name="Bench site", slug=f"bench-{uuid.uuid4().hex[:6]}")
        sector = Sector.objects.create(site=site, name="Bench sector", slug="bench")
    return user, created.id, site, sector
