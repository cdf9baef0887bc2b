"""Keyword planner (003): keywords, clusters, ideas."""

from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "flowline.planner"
    label = "planner"
    verbose_name = "Planner"

    def ready(self) -> None:
        from flowline.billing.public import register_limit_counter
        from flowline.planner import jobs  # noqa: F401  (registers the planner job kinds)
        from flowline.planner.models import Cluster, ContentIdea, Keyword

        # What the plan's max_keywords / max_clusters / max_ideas count (the whole account).
        for limit, model in (
            ("max_keywords", Keyword),
            ("max_clusters", Cluster),
            ("max_ideas", ContentIdea),
        ):
            register_limit_counter(
                limit,
                lambda account_id, model=model: model.unscoped.filter(
                    account_id=account_id
                ).count(),
            )
