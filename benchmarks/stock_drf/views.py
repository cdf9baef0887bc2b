"""The endpoints as a seed project writes them: generic views over a queryset filtered by
the signed-in user's membership in the token's account."""

from rest_framework import generics
from rest_framework.exceptions import PermissionDenied

from benchmarks.stock_drf.models import Membership, Site
from benchmarks.stock_drf.serializers import MeSerializer, SiteSerializer


def token_account_id(request) -> int:
    return request.auth["account_id"]


class SiteQuerysetMixin:
    serializer_class = SiteSerializer

    def get_queryset(self):
        return Site.objects.filter(
            account_id=token_account_id(self.request),
            account__memberships__user=self.request.user,
            account__memberships__is_active=True,
        )


class SiteList(SiteQuerysetMixin, generics.ListAPIView):
    pass


class SiteDetail(SiteQuerysetMixin, generics.RetrieveAPIView):
    pass


class Me(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        membership = (
            Membership.objects.filter(
                user=self.request.user, account_id=token_account_id(self.request), is_active=True
            )
            .select_related("account")
            .first()
        )
        if membership is None:
            raise PermissionDenied()
        self.membership = membership
        return self.request.user

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": self.membership}
