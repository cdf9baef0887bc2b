"""The plans a fresh installation offers. Staff edit them in the admin."""

from decimal import Decimal

from django.db import migrations

PLANS = [
    {"slug": "free", "name": "Free", "price_monthly": Decimal("0"), "monthly_credits": 100,
     "max_sites": 3, "max_users": 5, "max_keywords": 500, "max_clusters": 50, "max_ideas": 100,
     "max_ai_requests": 200, "is_default": True, "sort_order": 0,
     "features": ["planner", "writer"]},
    {"slug": "starter", "name": "Starter", "price_monthly": Decimal("29"), "monthly_credits": 1000,
     "max_sites": 3, "max_users": 3, "max_keywords": 5000, "max_clusters": 500, "max_ideas": 1500,
     "max_ai_requests": 3000, "sort_order": 1,
     "features": ["planner", "writer", "social", "automation"]},
    {"slug": "growth", "name": "Growth", "price_monthly": Decimal("99"), "monthly_credits": 5000,
     "max_sites": 10, "max_users": 10, "max_keywords": 25000, "max_clusters": 2500,
     "max_ideas": 7500, "max_ai_requests": 15000, "sort_order": 2,
     "features": ["planner", "writer", "social", "automation", "commerce", "agents"]},
    {"slug": "scale", "name": "Scale", "price_monthly": Decimal("299"), "monthly_credits": 20000,
     "max_sites": 50, "max_users": 50, "max_keywords": 100000, "max_clusters": 10000,
     "max_ideas": 30000, "max_ai_requests": 60000, "sort_order": 3,
     "features": ["planner", "writer", "social", "automation", "commerce", "agents", "priority_support"]},
]


def load(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for plan in PLANS:
        Plan.objects.update_or_create(slug=plan["slug"], defaults=plan)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
