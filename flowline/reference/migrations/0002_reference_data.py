"""Loads the shipped industries, sectors and seed keywords (data/industries.json)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "industries.json"


def load(apps, schema_editor):
    Industry = apps.get_model("reference", "Industry")
    IndustrySector = apps.get_model("reference", "IndustrySector")
    SeedKeyword = apps.get_model("reference", "SeedKeyword")
    for item in json.loads(DATA.read_text()):
        industry, _ = Industry.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "description": item["description"]}
        )
        for sector_item in item["sectors"]:
            sector, _ = IndustrySector.objects.update_or_create(
                industry=industry, slug=sector_item["slug"], defaults={"name": sector_item["name"]}
            )
            for row in sector_item["keywords"]:
                SeedKeyword.objects.update_or_create(
                    sector=sector,
                    keyword=row["keyword"],
                    defaults={
                        "industry": industry,
                        "volume": row["volume"],
                        "difficulty": row["difficulty"],
                        "intent": row["intent"],
                    },
                )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
