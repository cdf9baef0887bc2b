"""Account settings in the console: the account's name, billing e-mail, time zone and
language (`auth/accounts/<id>/`, admins), and where the other settings live."""

from __future__ import annotations

from django.http import Http404

from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.roles import Role
from flowline.identity.api.views.accounts import AccountViewSet

account = Endpoint(AccountViewSet, {"get": "retrieve", "patch": "partial_update"})


class AccountSettingsPage(ApiFormPage):
    title = "Settings"
    template_name = "identity/pages/settings.html"
    endpoint = account
    method = "PATCH"
    fields = ("name", "billing_email", "timezone", "language")
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    success_message = "Settings saved."

    def load(self) -> dict:
        answer = account.call(self.request, pk=self.context.account_id)
        if not answer.ok:
            raise Http404
        return answer.data

    def post(self, request, *args, **kwargs):
        self.kwargs["pk"] = self.context.account_id
        return super().post(request, *args, **kwargs)

    def success_url(self, answer) -> str:
        return self.request.path
