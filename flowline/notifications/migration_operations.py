"""What other apps' data migrations use to ship their notification templates.

    operations = [ship_templates(TEMPLATE)]

Templates are rows (staff edit them in the admin), so an app that raises a new
notification type adds its template with a migration that depends on
`("notifications", "0002_default_templates")`. An existing row is left as staff edited it.
"""

from __future__ import annotations

from django.db import migrations


def ship_templates(*templates: dict) -> migrations.RunPython:
    """A RunPython that creates the templates (keyed by `notification_type`) and, when the
    migration is reversed, deletes them."""
    types = [template["notification_type"] for template in templates]

    def ship(apps, schema_editor):
        model = apps.get_model("notifications", "NotificationTemplate")
        for template in templates:
            model.objects.get_or_create(
                notification_type=template["notification_type"], defaults=template
            )

    def unship(apps, schema_editor):
        model = apps.get_model("notifications", "NotificationTemplate")
        model.objects.filter(notification_type__in=types).delete()

    return migrations.RunPython(ship, unship)
