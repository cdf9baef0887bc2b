"""Reads about a user's social logins."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

from flowline.identity.models import User


def social_connections(*, user: User) -> list[SocialAccount]:
    """The providers linked to `user`, oldest first."""
    return list(SocialAccount.objects.filter(user=user).order_by("date_joined", "id"))
