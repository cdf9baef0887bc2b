"""Every `/api/v1/` route, in one place: each app declares its routes in `api/urls.py`
(`ROUTES` registered on the router, `urlpatterns` for plain views); this file mounts them,
in an order where no pattern shadows another."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from flowline.agents.api import urls as agent_urls
from flowline.ai.api import urls as ai_urls
from flowline.analytics.api import urls as analytics_urls
from flowline.automation.api import urls as automation_urls
from flowline.billing.api import urls as billing_urls
from flowline.campaigns.api import urls as campaigns_urls
from flowline.chat.api import urls as chat_urls
from flowline.commerce.api import urls as commerce_urls
from flowline.drives.api import urls as drives_urls
from flowline.identity.api import urls as identity_urls
from flowline.integration.api import urls as integration_urls
from flowline.jobs.api import urls as jobs_urls
from flowline.notifications.api import urls as notifications_urls
from flowline.optimizer.api import urls as optimizer_urls
from flowline.planner.api import urls as planner_urls
from flowline.posts.api import urls as posts_urls
from flowline.reference.api import urls as reference_urls
from flowline.sites.api import urls as sites_urls
from flowline.social.api import urls as social_urls
from flowline.system.api import urls as system_urls
from flowline.webhooks.api import urls as webhooks_urls
from flowline.writer.api import urls as writer_urls


class ApiRouter(DefaultRouter):
    """Derives basenames from `viewset.model` for tenant viewsets (they have no queryset)."""

    include_root_view = False

    def get_default_basename(self, viewset):
        model = getattr(viewset, "model", None)
        if model is not None:
            return model._meta.object_name.lower()
        return super().get_default_basename(viewset)


router = ApiRouter()
# 003 Auth module: users and accounts, sites (000 calls them brands), plans, reference data
identity_urls.register(router)
sites_urls.register(router)
billing_urls.register_auth(router)
reference_urls.register(router)
# 003 System module
system_urls.register(router)

# Background jobs (issue 3): one job model for every kind of background work
jobs_urls.register(router)

# Billing (003 credits; 002 invoices, payments, credit packages, payment methods)
billing_urls.register(router)

# AI engine (issue 3): 000 automations, 003 prompts, profiles, strategies, integrations
ai_urls.register(router)

# Customer chat (001)
chat_urls.register(router)

# Products (001): categories and tags before products (see commerce.api.urls)
commerce_urls.register(router)

# Notifications (001)
notifications_urls.register(router)

# Cloud drives (004 §3.3): Google Drive, OneDrive, files saved to agents' context
drives_urls.register(router)

# AI agents (004, 000 ai-agents): processes, data sources, control, matches
agent_urls.register(router)

# Outbound webhooks (issue 3)
webhooks_urls.register(router)

# Analytics (001): event tracking, dashboard, platforms, funnel, revenue
analytics_urls.register(router)

# SEO pipeline (002, 003): planner, writer, WordPress integration, optimizer, automation
planner_urls.register(router)
writer_urls.register(router)
integration_urls.register(router)
optimizer_urls.register(router)
automation_urls.register(router)

# Social (000, 001): accounts, posts and schedules, campaigns
social_urls.register(router)
posts_urls.register(router)
campaigns_urls.register(router)

urlpatterns = [
    path("auth/", include(identity_urls.auth_urls)),
    path("account/", include(identity_urls.account_urls)),
    path("user/", include(identity_urls.user_urls)),
    *system_urls.urlpatterns,
    *jobs_urls.urlpatterns,
    *billing_urls.urlpatterns,
    *ai_urls.urlpatterns,
    *chat_urls.urlpatterns,
    *commerce_urls.urlpatterns,
    *notifications_urls.urlpatterns,
    *drives_urls.urlpatterns,
    *agent_urls.urlpatterns,
    *webhooks_urls.urlpatterns,
    *analytics_urls.urlpatterns,
    path("social/auth/", include(identity_urls.social_auth_urls)),
    *planner_urls.urlpatterns,
    *writer_urls.urlpatterns,
    *integration_urls.urlpatterns,
    *optimizer_urls.urlpatterns,
    *automation_urls.urlpatterns,
    *social_urls.urlpatterns,
    *posts_urls.urlpatterns,
    *campaigns_urls.urlpatterns,
    *router.urls,
]
