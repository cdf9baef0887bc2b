"""What other apps may use of the planner (writer, automation).

from flowline.planner import public as planner
clusters = planner.cluster_keywords(account_id=..., keyword_ids=[...], progress=job_progress)

These functions do not charge credits: the caller does (the planner's own endpoints
start the `planner.auto_cluster` / `planner.generate_ideas` jobs through
`billing.public.start_paid_job`, operation types `clustering` and `ideas`).
"""

from flowline.planner.jobs import AUTO_CLUSTER, GENERATE_IDEAS
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.planner.selectors import clusters_without_ideas, ideas_new, keywords_unclustered
from flowline.planner.services.clustering import cluster_keywords
from flowline.planner.services.ideas import (
    generate_ideas,
    ideas_mark_queued,
    register_ideas_queue,
)

__all__ = [
    "AUTO_CLUSTER",
    "GENERATE_IDEAS",
    "Cluster",
    "ContentIdea",
    "Keyword",
    "cluster_keywords",
    "clusters_without_ideas",
    "generate_ideas",
    "ideas_mark_queued",
    "ideas_new",
    "keywords_unclustered",
    "register_ideas_queue",
]
