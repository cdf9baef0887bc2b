"""The planner's background jobs, started through `billing.public.start_paid_job` so
their credits are held first and charged only when they complete."""

from __future__ import annotations

from flowline.jobs.public import job_handler
from flowline.planner.services import clustering, ideas

AUTO_CLUSTER = "planner.auto_cluster"
GENERATE_IDEAS = "planner.generate_ideas"


def _progress(job, phase: str):
    return lambda percentage, message: job.progress(percentage, phase=phase, message=message)


@job_handler(AUTO_CLUSTER, max_attempts=3)
def auto_cluster(job) -> dict:
    """Cluster the payload's keywords (operation `clustering`, per 100 keywords)."""
    clusters = clustering.cluster_keywords(
        account_id=job.account_id,
        keyword_ids=job.payload["keyword_ids"],
        user_id=job.user_id,
        progress=_progress(job, "CLUSTERING"),
        job_id=job.id,
    )
    return {
        "clusters_created": len(clusters),
        "keywords_clustered": sum(cluster.keywords_count for cluster in clusters),
        "cluster_ids": [cluster.id for cluster in clusters],
    }


@job_handler(GENERATE_IDEAS, max_attempts=3)
def generate_ideas(job) -> dict:
    """Content ideas for the payload's clusters (operation `ideas`, per cluster)."""
    created = ideas.generate_ideas(
        account_id=job.account_id,
        cluster_ids=job.payload["cluster_ids"],
        user_id=job.user_id,
        progress=_progress(job, "IDEAS"),
        job_id=job.id,
    )
    return {"ideas_created": len(created), "idea_ids": [idea.id for idea in created]}
