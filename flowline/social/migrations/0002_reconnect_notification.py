"""The notice a dead social account sends (once) to ask for a reconnect."""

from django.db import migrations

from flowline.notifications.migration_operations import ship_templates

TEMPLATE = {
    "notification_type": "social_account_reconnect",
    "description": "A social account's token was refused; it must be reconnected. "
    "Context: social_account_id, platform, name, reason.",
    "title_template": "Reconnect {{ platform }} account {{ name }}",
    "body_template": "{{ platform }} no longer accepts Flowline's access to {{ name }}; posts to it "
    "are paused until you reconnect it.",
    "email_subject_template": "Action needed: reconnect {{ platform }} ({{ name }})",
    "email_body_template": "{{ platform }} no longer accepts Flowline's access to {{ name }} "
    "({{ reason }}).\n\nScheduled posts to it will not go out until you reconnect it."
    "\n\n{% if link %}Reconnect: {{ link }}\n\n{% endif %}"
    "You can change which emails you get in your notification settings.",
}


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0001_initial"),
        ("notifications", "0002_default_templates"),
    ]

    operations = [ship_templates(TEMPLATE)]
