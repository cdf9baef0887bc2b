"""Every `/api/v1/` route, in one place. Apps own their views; this file maps the paths."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from flowline.agents.api import urls as agent_urls
from flowline.ai.api import urls as ai_urls
from flowline.analytics.api import urls as analytics_urls
from flowline.automation.api import urls as automation_urls
from flowline.billing.api import credits as billing_credits
from flowline.billing.api import payment_methods as billing_methods
from flowline.billing.api import payments as billing_payments
from flowline.billing.api.staff import CreditAdjustView
from flowline.billing.api.staff_payments import StaffPaymentViewSet
from flowline.billing.api.views import PlanViewSet, SubscriptionViewSet
from flowline.billing.api.webhooks import StripeWebhookView
from flowline.campaigns.api import urls as campaigns_urls
from flowline.chat.api.views import (
    ChannelConnectionViewSet,
    ConversationViewSet,
    MetaWebhookView,
    SuggestionsView,
)
from flowline.commerce.api import urls as commerce_urls
from flowline.drives.api import urls as drives_urls
from flowline.identity.api import urls as identity_urls
from flowline.identity.api.views.accounts import AccountViewSet
from flowline.identity.api.views.api_keys import ApiKeyViewSet
from flowline.identity.api.views.groups import GroupViewSet
from flowline.identity.api.views.members import InvitationViewSet, TeamViewSet, UserViewSet
from flowline.integration.api import urls as integration_urls
from flowline.jobs.api.views import AgentTaskViewSet, JobViewSet, TaskProgressView
from flowline.notifications.api import urls as notifications_urls
from flowline.optimizer.api import urls as optimizer_urls
from flowline.planner.api import urls as planner_urls
from flowline.posts.api import urls as posts_urls
from flowline.reference.api.views import IndustryViewSet, SeedKeywordViewSet
from flowline.sites.api.views import SectorViewSet, SiteAccessViewSet, SiteViewSet
from flowline.social.api import urls as social_urls
from flowline.system.api import views as system
from flowline.webhooks.api import views as webhook_views
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
# 003 Auth module
router.register("auth/groups", GroupViewSet, basename="group")
router.register("auth/users", UserViewSet, basename="user")
router.register("auth/invitations", InvitationViewSet, basename="invitation")
router.register("auth/accounts", AccountViewSet, basename="account")
router.register("auth/api-keys", ApiKeyViewSet, basename="apikey")
router.register("auth/sites", SiteViewSet, basename="site")
router.register("auth/sectors", SectorViewSet, basename="sector")
router.register("auth/site-access", SiteAccessViewSet, basename="siteaccess")
router.register("auth/plans", PlanViewSet, basename="plan")
router.register("auth/subscriptions", SubscriptionViewSet, basename="subscription")
router.register("auth/industries", IndustryViewSet, basename="industry")
router.register("auth/seed-keywords", SeedKeywordViewSet, basename="seedkeyword")
# 000 Syncflow brands are sites
router.register("brands", SiteViewSet, basename="brand")
# 002 account management
router.register("account/team", TeamViewSet, basename="team")
# 003 System module
router.register("system/settings/system", system.SystemSettingViewSet, basename="systemsetting")
router.register("system/settings/account", system.AccountSettingViewSet, basename="accountsetting")
router.register("system/settings/user", system.UserSettingViewSet, basename="usersetting")
router.register("system/settings/modules", system.ModuleSettingViewSet, basename="modulesetting")
router.register("system/settings/ai", system.AISettingViewSet, basename="aisetting")

# Background jobs (issue 3): one job model for every kind of background work
router.register("jobs", JobViewSet, basename="job")
router.register("automations/agent-tasks", AgentTaskViewSet, basename="agenttask")

# Billing credits (003)
router.register(
    "billing/credits/balance", billing_credits.CreditBalanceViewSet, basename="creditbalance"
)
router.register("billing/credits/usage", billing_credits.CreditUsageViewSet, basename="creditusage")
router.register(
    "billing/credits/transactions",
    billing_credits.CreditTransactionViewSet,
    basename="credittransaction",
)
# 002 names the same ledger `billing/transactions/`
router.register(
    "billing/transactions", billing_credits.CreditTransactionViewSet, basename="transaction"
)
# Billing payments (002): invoices, payments, credit packages, payment methods
router.register("billing/invoices", billing_payments.InvoiceViewSet, basename="invoice")
router.register("billing/payments", billing_payments.PaymentViewSet, basename="payment")
router.register(
    "billing/credit-packages", billing_payments.CreditPackageViewSet, basename="creditpackage"
)
router.register(
    "billing/payment-methods", billing_methods.PaymentMethodViewSet, basename="paymentmethod"
)
router.register("admin/billing/payments", StaffPaymentViewSet, basename="admin-payment")

# AI engine (issue 3): 000 automations, 003 prompts, profiles, strategies, integrations
ai_urls.register(router)

# Customer chat (001)
router.register("chat/conversations", ConversationViewSet, basename="conversation")
router.register("chat/connections", ChannelConnectionViewSet, basename="channelconnection")

# Products (001): categories and tags before products (see commerce.api.urls)
commerce_urls.register(router)

# Notifications (001)
notifications_urls.register(router)

# Cloud drives (004 §3.3): Google Drive, OneDrive, files saved to agents' context
drives_urls.register(router)

# AI agents (004, 000 ai-agents): processes, data sources, control, matches
agent_urls.register(router)

# Outbound webhooks (issue 3)
router.register("webhooks/endpoints", webhook_views.EndpointViewSet, basename="webhookendpoint")
router.register("webhooks/deliveries", webhook_views.DeliveryViewSet, basename="webhookdelivery")

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
    path("system/status/", system.StatusView.as_view(), name="system-status"),
    path("system/webhook/", system.GiteaWebhookView.as_view(), name="system-gitea-webhook"),
    path(
        "system/request-metrics/<str:request_id>/",
        system.RequestMetricsView.as_view(),
        name="system-request-metrics",
    ),
    path(
        "system/settings/task_progress/<str:task_id>/",
        TaskProgressView.as_view(),
        name="task-progress",
    ),
    path(
        "billing/credits/balance/",
        billing_credits.CreditBalanceView.as_view(),
        name="billing-credits-balance",
    ),
    path("admin/billing/credits/adjust/", CreditAdjustView.as_view(), name="admin-credits-adjust"),
    path(
        "billing/subscriptions/checkout/",
        billing_payments.SubscriptionCheckoutView.as_view(),
        name="billing-subscription-checkout",
    ),
    path("billing/webhooks/stripe/", StripeWebhookView.as_view(), name="billing-stripe-webhook"),
    *ai_urls.urlpatterns,
    path("chat/webhooks/meta/", MetaWebhookView.as_view(), name="chat-meta-webhook"),
    path("ai/chat/suggestions/", SuggestionsView.as_view(), name="ai-chat-suggestions"),
    *commerce_urls.urlpatterns,
    *notifications_urls.urlpatterns,
    *drives_urls.urlpatterns,
    *agent_urls.urlpatterns,
    path(
        "webhooks/event-types/", webhook_views.EventTypesView.as_view(), name="webhook-event-types"
    ),
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
