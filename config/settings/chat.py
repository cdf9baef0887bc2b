"""Customer chat: Meta (WhatsApp Cloud API, Messenger, Instagram) webhook credentials."""

import environ

env = environ.Env()

# The Meta app's secret signs every webhook delivery (X-Hub-Signature-256).
META_APP_SECRET = env.str("META_APP_SECRET", default="")
# Echoed back when Meta verifies the webhook URL (hub.verify_token).
META_WEBHOOK_VERIFY_TOKEN = env.str("META_WEBHOOK_VERIFY_TOKEN", default="")
