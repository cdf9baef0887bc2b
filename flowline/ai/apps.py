from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "flowline.ai"
    label = "ai"
    verbose_name = "AI engine"

    def ready(self) -> None:
        from flowline.ai import checks, generation  # noqa: F401  (registers a check and a job)
        from flowline.ai.public import usage_for_job
        from flowline.billing.public import register_limit_counter, register_usage_source

        register_limit_counter("max_ai_requests", _ai_requests_this_period)
        register_usage_source(usage_for_job)  # a job's AI cost and tokens, charged with its hold


def _ai_requests_this_period(account_id: int) -> int:
    """The plan's max_ai_requests counts every call to an AI provider (offline ones and
    failures included) since the current subscription period began."""
    from flowline.ai.models import AICall
    from flowline.billing.public import current_period_start

    start = current_period_start(account_id)
    calls = AICall.unscoped.filter(account_id=account_id)
    return calls.filter(created_at__gte=start).count() if start else calls.count()
