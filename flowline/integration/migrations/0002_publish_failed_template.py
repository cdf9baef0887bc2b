"""The notification the person who queued content gets when it could not be published
to WordPress (the queue gave up), so a scheduled article never fails silently."""

from django.db import migrations

from flowline.notifications.migration_operations import ship_templates

FOOTER = "\n\n{% if link %}Open Flowline: {{ link }}\n\n{% endif %}You can change which emails you get in your notification settings."

TEMPLATE = {
    "notification_type": "content_publish_failed",
    "description": "Queued content could not be published to WordPress. Context: title, site_url, error, error_code, content_id, queue_item_id.",
    "title_template": "Not published: {{ title|truncatechars:80 }}",
    "body_template": "{{ error|default:'WordPress did not accept it.'|truncatechars:300 }}",
    "email_subject_template": "\"{{ title|truncatechars:80 }}\" was not published to WordPress",
    "email_body_template": "\"{{ title }}\" could not be published to {{ site_url|default:'your WordPress site' }}.\n\n{{ error }}\n\nCheck the site's connection (test_connection) and queue it again." + FOOTER,
}


class Migration(migrations.Migration):
    dependencies = [
        ("integration", "0001_initial"),
        ("notifications", "0002_default_templates"),
    ]

    operations = [ship_templates(TEMPLATE)]
