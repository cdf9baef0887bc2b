"""What each AI operation costs by default. Staff change these in the admin."""

from django.db import migrations

COSTS = [
    ("clustering", 1, "100 keywords", "Clustering keywords with embeddings and naming clusters"),
    ("ideas", 2, "cluster", "Content ideas for one cluster"),
    ("content", 10, "article", "Writing one article"),
    ("image_prompts", 1, "content", "Image prompts for one article"),
    ("images", 3, "image", "Generating one image"),
    ("product_description", 1, "product", "A product description"),
    ("hashtags", 1, "request", "Hashtags for a post"),
    ("social_post", 1, "post", "A social post per platform"),
    ("chat_suggestions", 1, "request", "Reply suggestions in customer chat"),
    ("agent_run", 2, "file", "An agent processing one data source file"),
    ("ai_text", 1, "request", "A free-form text generation"),
]


def load(apps, schema_editor):
    CreditCost = apps.get_model("billing", "CreditCost")
    for operation_type, credits, unit, description in COSTS:
        CreditCost.objects.update_or_create(
            operation_type=operation_type,
            defaults={"credits": credits, "unit": unit, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_credits")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
