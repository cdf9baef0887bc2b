"""SEO pipeline: planner, writer, WordPress integration, optimizer, automation."""

import environ

env = environ.Env()

# Periodic tasks of these apps; base.py merges them into CELERY_BEAT_SCHEDULE.
SEO_BEAT_SCHEDULE: dict = {}
