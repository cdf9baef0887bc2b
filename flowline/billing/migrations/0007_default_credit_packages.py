"""The credit packages a fresh installation sells. Staff edit them in the admin."""

from decimal import Decimal

from django.db import migrations

PACKAGES = [
    {"slug": "credits-500", "name": "500 credits", "credits": 500, "price": Decimal("10.00"),
     "description": "A top-up for occasional work.", "sort_order": 0},
    {"slug": "credits-2500", "name": "2,500 credits", "credits": 2500, "price": Decimal("45.00"),
     "description": "10% cheaper per credit.", "sort_order": 1},
    {"slug": "credits-10000", "name": "10,000 credits", "credits": 10000,
     "price": Decimal("160.00"), "description": "20% cheaper per credit.", "sort_order": 2},
]


def load(apps, schema_editor):
    CreditPackage = apps.get_model("billing", "CreditPackage")
    for package in PACKAGES:
        CreditPackage.objects.update_or_create(slug=package["slug"], defaults=package)


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_payments")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
