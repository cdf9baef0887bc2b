"""Social: accounts and platform adapters, posts and their scheduler, campaigns, social login."""

import environ

env = environ.Env()

# Periodic tasks of these apps; base.py merges them into CELERY_BEAT_SCHEDULE.
SOCIAL_BEAT_SCHEDULE: dict = {}
