"""Social accounts in the console: the list, connecting one, and the page OAuth returns to."""

from django.http import HttpResponseRedirect

from flowline.core.pages.api import Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.social.api.views import ConnectCallbackView, ConnectInitView, SocialAccountViewSet
from flowline.social.models import Platform

accounts = Endpoint(SocialAccountViewSet, {"get": "list"})
connect_init = Endpoint(ConnectInitView)
connect_callback = Endpoint(ConnectCallbackView)
CONNECTABLE = [(value, label) for value, label in Platform.choices]


class SocialAccountsPage(Page):
    """The account's social accounts; admins connect more (the platform's consent page)."""

    template_name = "social/accounts.html"
    title = "Social accounts"
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = accounts.call(self.request, query={"page_size": 100})
        rows = answer.data if isinstance(answer.data, list) else answer.body.get("results", [])
        labels = dict(Platform.choices)
        context.update(
            accounts=[{**row, "platform_label": labels.get(row["platform"])} for row in rows],
            platforms=CONNECTABLE,
            may_connect=self.can(Role.ADMIN),
        )
        return context

    def post(self, request, *args, **kwargs):
        answer = connect_init.call(
            request, "POST", body={}, platform=request.POST.get("platform", "")
        )
        if not answer.ok:
            return self.error_page(answer.status, answer.message)
        return HttpResponseRedirect(answer.data["authorization_url"])


class SocialConnectedPage(SocialAccountsPage):
    """Where the platform sends the browser back (SOCIAL_OAUTH_REDIRECT_URI): the code is
    exchanged through the API's callback, then the list shows what was connected."""

    def get(self, request, *args, **kwargs):
        query = request.GET
        if query.get("error"):
            return self.render_to_response(
                self.get_context_data(notice="Connecting was cancelled.", level="warning")
            )
        answer = connect_callback.call(
            request, query={k: query[k] for k in ("code", "state") if k in query}
        )
        level = "success" if answer.ok else "danger"
        return self.render_to_response(self.get_context_data(notice=answer.message, level=level))
