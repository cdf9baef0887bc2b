"""The dashboard: the cards apps contribute, for the member's role."""

from flowline.core.pages import dashboard
from flowline.core.pages.views import Page


class DashboardPage(Page):
    template_name = "console/dashboard.html"
    title = "Dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = dashboard.cards_for(self.request, self.context.role)
        return context
