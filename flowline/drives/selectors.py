"""Reads of drives: the signed-in user's own connections."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.drives.cloud_files import PROVIDERS
from flowline.drives.models import CloudConnection


def connections_of_user(queryset: QuerySet, *, user_id: int) -> QuerySet:
    """Only the user's own connections: a drive belongs to the member who connected it."""
    return queryset.filter(user_id=user_id)


def connected_providers(*, user_id: int) -> list[str]:
    """The providers the user connected in the active account, in `PROVIDERS` order."""
    connected = CloudConnection.objects.filter(user_id=user_id).values_list("provider", flat=True)
    return sorted(set(connected), key=PROVIDERS.index)
