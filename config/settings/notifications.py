"""Notifications: Web Push (VAPID) keys and limits.

Generate a key pair with `python manage.py vapid_keys`. Without VAPID_PRIVATE_KEY Web
Push is off (in-app and email notifications still work).
"""

import environ

env = environ.Env()

# The application server's P-256 private key (base64url raw 32 bytes, or DER).
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
# Its public key (base64url uncompressed point) that browsers subscribe with; derived
# from the private key when empty.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
# Who push services contact about this sender: a mailto: or https: URL.
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:admin@flowline.local")
# Seconds per call to a push service, and how long it keeps a message for an offline browser.
WEBPUSH_TIMEOUT = env.float("WEBPUSH_TIMEOUT", default=10.0)
WEBPUSH_TTL = env.int("WEBPUSH_TTL", default=24 * 3600)
