"""The member's notifications, over `notifications/`, and their preferences."""

from django.contrib import messages
from django.shortcuts import redirect

from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.notifications.api.views import (
    NotificationPreferencesView,
    NotificationViewSet,
    VapidPublicKeyView,
)
from flowline.notifications.services.preferences import CHANNELS

notifications = Endpoint(NotificationViewSet, {"get": "list"})
mark_all_read = Endpoint(NotificationViewSet, {"post": "mark_all_read"})


class MarkRead:
    """`mark_read` takes one id per call; the bulk action marks each selected one."""

    endpoint = Endpoint(NotificationViewSet, {"post": "mark_read"})

    def call(self, request, method="POST", *, body=None, **kwargs):
        answer = None
        for pk in (body or {}).get("ids", []):
            answer = self.endpoint.call(request, method, pk=pk)
            if not answer.ok:
                return answer
        return answer


class NotificationListPage(ListPage):
    title = "Notifications"
    template_name = "notifications/list.html"
    endpoint = notifications
    read_role = write_role = Role.VIEWER
    columns = [
        Column("title", "Notification", cell="notifications/cells/notification.html"),
        Column("created_at", "When", sort="created_at", cell="pages/cells/date.html"),
    ]
    filters = [Filter("is_read", "Read", [("false", "Unread"), ("true", "Read")])]
    bulk_actions = [
        BulkAction("mark_read", "Mark read", MarkRead(), role=Role.VIEWER, style="outline-primary")
    ]
    search = False
    empty_heading = "No notifications"
    empty_text = "Flowline tells you here when jobs finish, posts fail, credits run low and more."

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "mark_all_read":
            answer = mark_all_read.call(request, "POST")
            messages.success(request, answer.message or "All marked read.")
            return self.render_list(self.endpoint.call(request, query=request.GET))
        return super().post(request, *args, **kwargs)


preferences = Endpoint(NotificationPreferencesView)
vapid_key = Endpoint(VapidPublicKeyView)


class NotificationPreferencesPage(Page):
    """Which channels each kind of notification uses, over `notifications/preferences/`,
    and Web Push for this browser (the page's script subscribes with the API's VAPID key)."""

    title = "Notification preferences"
    template_name = "notifications/preferences.html"
    read_role = write_role = Role.VIEWER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preferences"] = preferences.call(self.request).data or []
        context["channels"] = CHANNELS
        context["push"] = vapid_key.call(self.request).data
        return context

    def post(self, request, *args, **kwargs):
        # Every channel of every kind shown: a box left unticked is off (PUT, not PATCH).
        kinds = request.POST.getlist("kind")
        body = {
            "preferences": [
                {
                    "notification_type": kind,
                    **{channel: f"{kind}:{channel}" in request.POST for channel in CHANNELS},
                }
                for kind in kinds
            ]
        }
        answer = preferences.call(request, "PUT", body=body)
        if answer.ok:
            messages.success(request, answer.message)
            return redirect("console-notification-preferences")
        context = self.get_context_data(refused=answer.message)
        return self.render_to_response(
            context, status=answer.status if answer.status < 500 else 400
        )
