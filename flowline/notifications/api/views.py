"""001 Notifications: the signed-in user's own notifications, preferences and browsers."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import (
    DestroyModelMixin,
    TenantReadOnlyViewSet,
    TenantViewSetMixin,
    created,
)
from flowline.notifications import selectors
from flowline.notifications.api import serializers as s
from flowline.notifications.filters import NotificationFilterSet
from flowline.notifications.models import Notification, PushSubscription
from flowline.notifications.services import notify as notify_services
from flowline.notifications.services import preferences, push

TAGS = ["notifications"]


def _me() -> tuple[int, int]:
    ctx = tenancy.require()
    return ctx.account_id, ctx.user_id


class NotificationViewSet(TenantReadOnlyViewSet):
    """The user's notifications in the active account, newest first. Other users'
    notifications do not exist here (404), whatever their role."""

    model = Notification
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilterSet
    pagination_class = GrowingListPagination
    ordering_fields = ["created_at"]
    lookup_value_regex = r"\d+"
    write_role = Role.VIEWER

    def safely_get_queryset(self, queryset):
        return selectors.rows_of_user(queryset, user_id=tenancy.require().user_id)

    @extend_schema(request=None, responses=s.NotificationSerializer, tags=TAGS)
    @action(detail=True, methods=["post"])
    def mark_read(self, request, pk=None):
        notification = notify_services.notification_mark_read(notification=self.get_object())
        return ok(s.NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=s.MarkAllReadSerializer, tags=TAGS)
    @action(detail=False, methods=["post"])
    def mark_all_read(self, request):
        account_id, user_id = _me()
        updated = notify_services.notifications_mark_all_read(
            account_id=account_id, user_id=user_id
        )
        return ok({"updated_count": updated, "unread_count": 0}, message=f"{updated} marked read.")

    @extend_schema(responses=s.UnreadCountSerializer, tags=TAGS)
    @action(detail=False, methods=["get"])
    def count(self, request):
        account_id, user_id = _me()
        return ok({"unread_count": selectors.unread_count(account_id=account_id, user_id=user_id)})


class NotificationPreferencesView(APIView):
    """Per type and channel (in_app, email, push); types without a saved choice show
    their defaults. PUT gives every channel of the listed types, PATCH some of them."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    write_role = Role.VIEWER
    api_scope = "notifications"

    @extend_schema(responses=s.PreferenceSerializer(many=True), tags=TAGS)
    def get(self, request):
        account_id, user_id = _me()
        return ok(selectors.preferences_for(account_id=account_id, user_id=user_id))

    @extend_schema(
        request=s.PreferencesInput, responses=s.PreferenceSerializer(many=True), tags=TAGS
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        request=s.PreferencesInput, responses=s.PreferenceSerializer(many=True), tags=TAGS
    )
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        payload = s.PreferencesInput(data=request.data)
        payload.is_valid(raise_exception=True)
        account_id, user_id = _me()
        rows = preferences.preferences_update(
            account_id=account_id,
            user_id=user_id,
            changes=payload.validated_data["preferences"],
            partial=partial,
        )
        return ok(rows, message="Preferences saved.")


class PushSubscriptionViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The user's browsers subscribed to Web Push. POST the browser's PushSubscription
    JSON to subscribe; DELETE `{id}/` or `unsubscribe/` with its endpoint to stop."""

    model = PushSubscription
    serializer_class = s.PushSubscriptionSerializer
    write_role = Role.VIEWER
    api_scope = "notifications"
    lookup_value_regex = r"\d+"

    def safely_get_queryset(self, queryset):
        return selectors.rows_of_user(queryset, user_id=tenancy.require().user_id)

    @extend_schema(request=s.PushSubscribeInput, responses=s.PushSubscriptionSerializer)
    def create(self, request):
        payload = s.PushSubscribeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        account_id, user_id = _me()
        subscription = push.push_subscription_save(
            account_id=account_id,
            user_id=user_id,
            endpoint=payload.validated_data["endpoint"],
            p256dh=payload.validated_data["keys"]["p256dh"],
            auth=payload.validated_data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return created(s.PushSubscriptionSerializer(subscription).data, message="Subscribed.")

    @extend_schema(request=s.PushUnsubscribeInput, responses=None)
    @action(detail=False, methods=["post", "delete"])
    def unsubscribe(self, request):
        payload = s.PushUnsubscribeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        account_id, user_id = _me()
        push.push_subscription_delete(
            account_id=account_id, user_id=user_id, endpoint=payload.validated_data["endpoint"]
        )
        return ok(None, message="Unsubscribed.")


class VapidPublicKeyView(APIView):
    """The VAPID public key a browser subscribes with (`applicationServerKey`)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.VapidPublicKeySerializer, tags=TAGS)
    def get(self, request):
        return ok({"public_key": push.vapid_public_key(), "enabled": push.push_enabled()})
