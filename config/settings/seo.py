"""SEO pipeline: planner, writer, WordPress integration, optimizer, automation."""

import environ

env = environ.Env()

# Periodic tasks of these apps; base.py merges them into CELERY_BEAT_SCHEDULE.
SEO_BEAT_SCHEDULE: dict = {}

# --- Writer ----------------------------------------------------------------------------
# In-article images asked for per article (at most one per h2 section).
WRITER_IN_ARTICLE_IMAGES = env.int("WRITER_IN_ARTICLE_IMAGES", default=2)
# Sizes asked of the image model, and the style appended to every image prompt.
WRITER_IMAGE_SIZE = env.str("WRITER_IMAGE_SIZE", default="1024x1024")
WRITER_FEATURED_IMAGE_SIZE = env.str("WRITER_FEATURED_IMAGE_SIZE", default="1024x1024")
WRITER_IMAGE_STYLE = env.str("WRITER_IMAGE_STYLE", default="editorial photograph")
# Largest image file (uploaded or generated) and longest side accepted, checked by content.
WRITER_IMAGE_MAX_BYTES = env.int("WRITER_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
WRITER_IMAGE_MAX_SIDE = env.int("WRITER_IMAGE_MAX_SIDE", default=8000)

# --- WordPress integration -------------------------------------------------------------
# Seconds each request to a WordPress site may take (connect: at most 10).
WORDPRESS_TIMEOUT = env.float("WORDPRESS_TIMEOUT", default=20.0)
# How far an inbound webhook's signed timestamp may be from our clock, in seconds.
WORDPRESS_WEBHOOK_TOLERANCE = env.int("WORDPRESS_WEBHOOK_TOLERANCE", default=300)
# Application passwords are Basic credentials: only https:// sites, unless this is on
# (a local development WordPress at http://localhost).
WORDPRESS_ALLOW_HTTP = env.bool("WORDPRESS_ALLOW_HTTP", default=False)
# A publish that failed for a passing reason (5xx, 429, timeout, no connection) is tried
# again by the publish queue: the wait doubles from the base up to the cap (each wait
# +-20 %), for this many attempts in all. Defaults: 1 min, 2, 4 ... 6 h; about 20 hours.
WORDPRESS_RETRY_BASE_SECONDS = env.int("WORDPRESS_RETRY_BASE_SECONDS", default=60)
WORDPRESS_RETRY_MAX_SECONDS = env.int("WORDPRESS_RETRY_MAX_SECONDS", default=6 * 3600)
WORDPRESS_PUBLISH_MAX_ATTEMPTS = env.int("WORDPRESS_PUBLISH_MAX_ATTEMPTS", default=12)
# The publish queue's sweep: publishes every due item, each once.
SEO_BEAT_SCHEDULE["integration-publish-due"] = {
    "task": "integration.publish_due",
    "schedule": 30.0,
}

# --- Automation ------------------------------------------------------------------------
# Starts the sites' scheduled automation runs that are due (claimed once per slot).
SEO_BEAT_SCHEDULE["automation-tick"] = {"task": "automation.tick", "schedule": 60.0}

# --- planner ---
# Cosine distance under which keywords join one cluster (average linkage): one value for
# the built-in TF-IDF vectors, one for an embedding model's vectors.
PLANNER_CLUSTER_THRESHOLD = env.float("PLANNER_CLUSTER_THRESHOLD", default=0.85)
PLANNER_EMBEDDING_CLUSTER_THRESHOLD = env.float("PLANNER_EMBEDDING_CLUSTER_THRESHOLD", default=0.5)
# With the packaged offline model (FLOWLINE_EMBEDDINGS=wordllama), whose averaged word
# vectors sit further apart than a hosted model's. benchmarks/embeddings_quality.py --sweep:
# lower is better on the modifier+noun set, 0.85 on the synonym set; 0.8 keeps both well
# above TF-IDF (V-measure 0.923 and 0.919 against 0.868 and 0.741).
PLANNER_PACKAGED_CLUSTER_THRESHOLD = env.float("PLANNER_PACKAGED_CLUSTER_THRESHOLD", default=0.8)
# Keywords one auto_cluster request may send (003 says 20; the algorithm handles thousands).
PLANNER_CLUSTER_MAX_KEYWORDS = env.int("PLANNER_CLUSTER_MAX_KEYWORDS", default=5000)
PLANNER_IDEAS_MAX_CLUSTERS = env.int("PLANNER_IDEAS_MAX_CLUSTERS", default=50)
# CSV keyword imports: largest file and most rows accepted.
PLANNER_IMPORT_MAX_BYTES = env.int("PLANNER_IMPORT_MAX_BYTES", default=16 * 1024 * 1024)
PLANNER_IMPORT_MAX_ROWS = env.int("PLANNER_IMPORT_MAX_ROWS", default=200_000)
