"""The notification a post's author gets when a post missed its time (the scheduler found
it too late to go out). post_published and post_failed ship with notifications."""

from django.db import migrations

from flowline.notifications.migration_operations import ship_templates

FOOTER = "\n\n{% if link %}Open Flowline: {{ link }}\n\n{% endif %}You can change which emails you get in your notification settings."

TEMPLATE = {
    "notification_type": "post_missed",
    "description": "A scheduled post was not published because it was found too long after its time. Context: platform, preview, error, post_id, target_id.",
    "title_template": "Post missed its time{% if platform %} on {{ platform }}{% endif %}",
    "body_template": "{{ error|default:'It was not published.'|truncatechars:300 }} Reschedule or retry it.",
    "email_subject_template": "Your post was not published{% if platform %} on {{ platform }}{% endif %}",
    "email_body_template": "Your post scheduled{% if platform %} on {{ platform }}{% endif %} was not published: it was found too long after its time to go out late.\n\n{{ preview }}\n\n{{ error }}\n\nRetry or reschedule it." + FOOTER,
}


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0001_initial"),
        ("notifications", "0002_default_templates"),
    ]

    operations = [ship_templates(TEMPLATE)]
