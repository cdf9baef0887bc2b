"""The templates of the types Flowline itself raises. Each description names the context
keys the raising code passes; admins may reword the texts, this never overwrites them."""

from django.db import migrations

FOOTER = "\n\n{% if link %}Open Flowline: {{ link }}\n\n{% endif %}You can change which emails you get in your notification settings."

DEFAULTS = [
    {
        "notification_type": "job_completed",
        "description": "A job started with notify=true finished. Context: name, job_id, kind, message.",
        "title_template": "{{ name|capfirst }} finished",
        "body_template": "{{ message|default:'Your job completed.' }}",
        "email_subject_template": "Done: {{ name }}",
        "email_body_template": "Your job \"{{ name }}\" finished.\n\n{{ message }}" + FOOTER,
    },
    {
        "notification_type": "job_failed",
        "description": "A job failed for good. Context: name, job_id, kind, error.",
        "title_template": "{{ name|capfirst }} failed",
        "body_template": "{{ error|default:'The job could not be completed.'|truncatechars:300 }}",
        "email_subject_template": "Failed: {{ name }}",
        "email_body_template": "Your job \"{{ name }}\" failed.\n\nReason: {{ error|default:'unknown' }}" + FOOTER,
    },
    {
        "notification_type": "credits_low",
        "description": "The credit balance fell to or below the threshold. Context: balance, threshold.",
        "title_template": "Credits are running low",
        "body_template": "{{ balance }} credit{{ balance|pluralize }} left (alert threshold: {{ threshold }}).",
        "email_subject_template": "Your Flowline credits are running low ({{ balance }} left)",
        "email_body_template": "Your account has {{ balance }} credit{{ balance|pluralize }} left, at or below your alert threshold of {{ threshold }}.\n\nTop up to keep your automations running." + FOOTER,
    },
    {
        "notification_type": "new_message",
        "description": "A customer wrote in. Context: customer, channel, preview, conversation_id.",
        "title_template": "New message from {{ customer|default:'a customer' }}",
        "body_template": "{% if channel %}[{{ channel }}] {% endif %}{{ preview|truncatechars:140 }}",
        "email_subject_template": "New message from {{ customer|default:'a customer' }}",
        "email_body_template": "{{ customer|default:'A customer' }} wrote{% if channel %} on {{ channel }}{% endif %}:\n\n{{ preview }}" + FOOTER,
    },
    {
        "notification_type": "post_published",
        "description": "A social post went out. Context: platform, preview, url.",
        "title_template": "Post published{% if platform %} on {{ platform }}{% endif %}",
        "body_template": "{{ preview|truncatechars:140 }}",
        "email_subject_template": "Your post is live{% if platform %} on {{ platform }}{% endif %}",
        "email_body_template": "Your post was published{% if platform %} on {{ platform }}{% endif %}.\n\n{{ preview }}{% if url %}\n\nSee it: {{ url }}{% endif %}" + FOOTER,
    },
    {
        "notification_type": "post_failed",
        "description": "A social post could not be published. Context: platform, preview, error.",
        "title_template": "Post failed{% if platform %} on {{ platform }}{% endif %}",
        "body_template": "{{ error|default:'The platform refused the post.'|truncatechars:300 }}",
        "email_subject_template": "Your post could not be published{% if platform %} on {{ platform }}{% endif %}",
        "email_body_template": "Your post could not be published{% if platform %} on {{ platform }}{% endif %}.\n\n{{ preview }}\n\nReason: {{ error|default:'unknown' }}" + FOOTER,
    },
    {
        "notification_type": "account_disconnected",
        "description": "A connected social account lost access. Context: platform, account_name, error.",
        "title_template": "{{ platform|default:'A social' }} account disconnected",
        "body_template": "{{ account_name|default:'An account' }} needs to be connected again.",
        "email_subject_template": "Reconnect your {{ platform|default:'social' }} account",
        "email_body_template": "Flowline lost access to {{ account_name|default:'one of your accounts' }}{% if platform %} on {{ platform }}{% endif %}. Scheduled posts there will not go out until you connect it again.{% if error %}\n\nReason: {{ error }}{% endif %}" + FOOTER,
    },
    {
        "notification_type": "low_stock",
        "description": "A product's stock reached its low-stock threshold. Context: product, quantity, threshold, product_id.",
        "title_template": "Low stock: {{ product }}",
        "body_template": "{{ quantity }} left (threshold: {{ threshold }}).",
        "email_subject_template": "Low stock: {{ product }} ({{ quantity }} left)",
        "email_body_template": "{{ product }} is down to {{ quantity }} in stock, at or below its threshold of {{ threshold }}." + FOOTER,
    },
    {
        "notification_type": "invitation_accepted",
        "description": "Someone accepted an invitation to the account. Context: member, role.",
        "title_template": "{{ member }} joined your team",
        "body_template": "{{ member }} accepted the invitation{% if role %} as {{ role }}{% endif %}.",
        "email_subject_template": "{{ member }} joined your team",
        "email_body_template": "{{ member }} accepted your invitation{% if role %} and joined as {{ role }}{% endif %}." + FOOTER,
    },
]


def ship(apps, schema_editor):
    template = apps.get_model("notifications", "NotificationTemplate")
    for row in DEFAULTS:
        template.objects.get_or_create(notification_type=row["notification_type"], defaults=row)


def unship(apps, schema_editor):
    template = apps.get_model("notifications", "NotificationTemplate")
    template.objects.filter(notification_type__in=[r["notification_type"] for r in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]
