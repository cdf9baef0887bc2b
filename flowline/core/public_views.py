"""Read-only reference endpoints anyone may read (plans, industries, seed keywords)."""

from rest_framework import viewsets
from rest_framework.permissions import AllowAny


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """No authentication needed; anonymous throttling applies."""

    authentication_classes = []
    permission_classes = [AllowAny]
