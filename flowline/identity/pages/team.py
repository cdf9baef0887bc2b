"""The team in the console: members and their roles, invitations, inviting and removing,
and members' access to single sites, over `auth/users/`, `auth/invitations/`,
`account/team/` and `auth/site-access/`. Admins and owners only; the
services refuse what a role may not do (an admin making an owner, removing the last
owner) and the page shows their message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import INVITABLE_ROLES, Role
from flowline.identity.api.views.members import InvitationViewSet, TeamViewSet, UserViewSet
from flowline.identity.models import Invitation
from flowline.sites.api.views import SiteAccessViewSet, SiteViewSet

users = Endpoint(UserViewSet, {"get": "list"})
user = Endpoint(UserViewSet, {"patch": "partial_update"})
team_member = Endpoint(TeamViewSet, {"delete": "destroy"})
invite = Endpoint(TeamViewSet, {"post": "create"})
invitations = Endpoint(InvitationViewSet, {"get": "list"})
invitation = Endpoint(InvitationViewSet, {"delete": "destroy"})
site_grants = Endpoint(SiteAccessViewSet, {"get": "list", "post": "create"})
site_grant = Endpoint(SiteAccessViewSet, {"delete": "destroy"})
sites = Endpoint(SiteViewSet, {"get": "list"})

ROLE_CHOICES = [(Role.OWNER, "Owner"), *[(r, str(r).capitalize()) for r in INVITABLE_ROLES]]


class TeamPage(Page):
    title = "Team"
    template_name = "identity/pages/team.html"
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("errors", {})
        context.setdefault("values", {"role": Role.VIEWER})
        context.update(
            members=users.call(self.request, query={"page_size": 100}).body.get("results", []),
            invitations=invitations.call(
                self.request, query={"status": Invitation.Status.PENDING, "page_size": 100}
            ).body.get("results", []),
            roles=ROLE_CHOICES,
            invitable_roles=[(r, label) for r, label in ROLE_CHOICES if r != Role.OWNER],
            me=self.request.user.id,
        )
        context.update(self.site_access(context["members"]))
        return context

    def site_access(self, members: list[dict]) -> dict:
        """Grants named by member and site, and the choices of the grant form."""
        site_rows = sites.call(self.request, query={"page_size": 100}).body.get("results", [])
        site_names = {row["id"]: row["name"] for row in site_rows}
        emails = {member["id"]: member["email"] for member in members}
        answer = site_grants.call(self.request, query={"page_size": 100})
        grants = [
            {
                **grant,
                "email": emails.get(grant["user"], ""),
                "site_name": site_names.get(grant["site"], ""),
            }
            for grant in answer.body.get("results") or []
        ]
        return {
            "grants": grants,
            "grants_error": None if answer.ok else answer.message,
            "member_options": [(m["id"], m["email"]) for m in members],
            "site_options": list(site_names.items()),
        }

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        target = request.POST.get("id", "")
        if action == "invite":
            body = {"email": request.POST.get("email", ""), "role": request.POST.get("role", "")}
            answer = invite.call(request, "POST", body=body)
            if not answer.ok:
                return self.refused(answer, values=body)
        elif action == "role":
            answer = user.call(request, "PATCH", body={"role": request.POST.get("role")}, pk=target)
        elif action == "remove":
            answer = team_member.call(request, "DELETE", pk=target)
        elif action == "revoke":
            answer = invitation.call(request, "DELETE", pk=target)
        elif action == "grant":
            body = {"user": request.POST.get("user", ""), "site": request.POST.get("site", "")}
            answer = site_grants.call(request, "POST", body=body)
            if not answer.ok:
                return self.refused(answer, values={"role": Role.VIEWER, "grant": body})
        elif action == "revoke_site":
            answer = site_grant.call(request, "DELETE", pk=target)
        else:
            return self.error_page(400, "Unknown action.")
        if not answer.ok:
            return self.refused(answer)
        messages.success(request, answer.message or "Done.")
        return redirect(request.path)

    def refused(self, answer: Answer, values: dict | None = None):
        summary = "Please correct the highlighted fields." if answer.errors else answer.message
        context = self.get_context_data(form_error=summary, errors=answer.errors)
        if values is not None:
            context["values"] = values
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response
