"""Background work: Celery settings that hold in embedded and scaled mode alike.

Embedded (no CELERY_BROKER_URL and no REDIS_URL): an in-memory broker, and the worker and
scheduler run as threads of the web process. Scaled: Redis or RabbitMQ; run worker and
beat as their own processes. Reliability follows Celery's own guidance: late acks,
requeue on a lost worker, prefetch of one, time limits below the visibility timeout.
"""

import environ

env = environ.Env()

_redis = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_redis or "memory://")
FLOWLINE_EMBEDDED_WORKER = env.bool(
    "FLOWLINE_EMBEDDED_WORKER", default=CELERY_BROKER_URL.startswith("memory://")
)
FLOWLINE_EMBEDDED_CONCURRENCY = env.int("FLOWLINE_EMBEDDED_CONCURRENCY", default=4)
# A file to append each job's time per phase to (benchmarks/jobs_throughput.py); off when empty.
FLOWLINE_JOB_TIMINGS = env.str("FLOWLINE_JOB_TIMINGS", default="")

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
# Must exceed the longest time limit plus any countdown, or Redis redelivers running tasks.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    # How often a Redis worker looks for messages a dead worker left unacknowledged.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
if CELERY_BROKER_URL.startswith("memory://"):
    # The in-memory transport polls its queue; kombu's default of 1 s would idle every
    # embedded worker thread for up to a second between jobs.
    CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] = 0.01
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True  # the Job model is the result store
CELERY_TASK_DEFAULT_QUEUE = "flowline"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE: dict = {
    # Often: it is what takes over a dead worker's job (stale heartbeat), so a job is
    # taken over within FLOWLINE_JOB_STALE_SECONDS + this period.
    "jobs-recover": {"task": "jobs.recover", "schedule": 15.0},
    "billing-renew-subscriptions": {"task": "billing.renew_subscriptions", "schedule": 3600.0},
    # Scheduled agents start on the second and count down every second.
    "agents-tick": {"task": "agents.tick", "schedule": 1.0},
    "analytics-rollup": {"task": "analytics.rollup", "schedule": 120.0},
    "webhooks-deliver-due": {"task": "webhooks.deliver_due", "schedule": 30.0},
    "notifications-sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
    # Account export archives are deleted FLOWLINE_ACCOUNT_EXPORT_DAYS after they finished.
    "identity-sweep-account-exports": {
        "task": "identity.sweep_account_exports",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default="")
# How long an account export's archive can be downloaded before the sweep deletes it.
FLOWLINE_ACCOUNT_EXPORT_DAYS = env.int("FLOWLINE_ACCOUNT_EXPORT_DAYS", default=7)

# A job whose worker stopped beating for this long is taken over by another worker. The
# running worker beats every quarter of it, so a slow step never loses its job.
FLOWLINE_JOB_STALE_SECONDS = env.int("FLOWLINE_JOB_STALE_SECONDS", default=30)
# A queued job whose message was sent this long ago and never claimed is sent again
# (its message is presumed lost); a message still in the broker is otherwise left alone.
FLOWLINE_JOB_RESEND_SECONDS = env.int("FLOWLINE_JOB_RESEND_SECONDS", default=600)
