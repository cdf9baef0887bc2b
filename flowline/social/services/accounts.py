"""Connecting, saving and disconnecting social accounts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from flowline.chat import public as chat
from flowline.core import oauth, tenancy
from flowline.core.errors import ApplicationError
from flowline.social.errors import AuthorizationError, SocialAccountNotConfigured
from flowline.social.models import Platform, SocialAccount
from flowline.social.oauth import Identity, connector_for
from flowline.webhooks.public import emit

STATE_SALT = "flowline.social.oauth-state"


def _platform(platform: str) -> str:
    if platform not in Platform.values:
        raise ApplicationError(
            "Unknown social platform.",
            code="validation_error",
            errors={"platform": [f"Choose one of {', '.join(Platform.values)}."]},
        )
    return platform


def connect_init(*, account_id: int, user_id: int, platform: str, site_id: int | None) -> dict:
    """The platform's consent URL with a signed state (and PKCE where the platform takes it)."""
    connector = connector_for(_platform(platform))
    if not connector.configured():
        raise SocialAccountNotConfigured(f"{Platform(platform).label} is not configured here.")
    max_age = settings.SOCIAL_OAUTH_STATE_MAX_AGE
    start = oauth.begin(
        salt=STATE_SALT,
        account_id=account_id,
        user_id=user_id,
        data={"p": platform, "s": site_id},
        max_age=max_age,
    )
    return {
        "platform": platform,
        "authorization_url": connector.authorization_url(
            state=start.state, code_challenge=start.code_challenge
        ),
        "state": start.state,
        "expires_in": max_age,
    }


def connect_callback(
    *, account_id: int, user_id: int, code: str, state: str
) -> list[SocialAccount]:
    """Exchange the code and save every identity the grant covers (a Facebook login can
    bring several pages). Forged, foreign, expired or replayed states are refused before
    any call to the platform."""
    payload, verifier = oauth.complete(
        salt=STATE_SALT,
        state=state,
        account_id=account_id,
        user_id=user_id,
        max_age=settings.SOCIAL_OAUTH_STATE_MAX_AGE,
    )
    platform = payload["p"]
    try:
        identities = connector_for(platform).identities(code=code, code_verifier=verifier)
    except AuthorizationError as exc:  # a bad or used code: this attempt failed, start again
        raise ApplicationError(
            f"{Platform(platform).label} refused the authorization code; connect again.",
            code="oauth_code_invalid",
            errors={"code": [str(exc)]},
        ) from exc
    if not identities:
        raise ApplicationError(
            f"The {Platform(platform).label} login gave access to nothing that can publish.",
            code="social_nothing_to_connect",
        )
    with tenancy.tenant_scope(account_id, user_id=user_id):
        return [
            account_save(
                platform=platform,
                identity=identity,
                user_id=user_id,
                site_id=payload.get("s"),
            )
            for identity in identities
        ]


@transaction.atomic
def account_save(
    *, platform: str, identity: Identity, user_id: int | None, site_id: int | None = None
) -> SocialAccount:
    """Create or reconnect the account for this identity. Reconnecting keeps the row (and
    so its posts and history), keeps the stored refresh token when the platform returned
    none, and clears the dead-token state so a later failure is announced again."""
    ctx = tenancy.require()
    account = (
        SocialAccount.objects.select_for_update()
        .filter(platform=platform, external_id=identity.external_id)
        .first()
    )
    if account is None:
        account = SocialAccount(
            account_id=ctx.account_id, platform=platform, external_id=identity.external_id
        )
    account.name = identity.name or account.name
    account.username = identity.username or account.username
    account.profile_url = identity.profile_url or account.profile_url
    account.access_token = identity.access_token
    account.refresh_token = identity.refresh_token or account.refresh_token
    account.token_expires_at = _expiry(identity.expires_in)
    account.scope = identity.scope or account.scope
    account.meta = {**account.meta, **identity.meta}
    if site_id is not None and account.site_id is None:
        account.site_id = site_id
    account.connected_by_id = user_id
    account.status = SocialAccount.Status.ACTIVE
    account.last_error = ""
    account.refresh_failures = 0
    account.refresh_retry_at = None
    account.reconnect_notified_at = None
    account.save()
    _connect_inbox(account)
    emit(
        account_id=account.account_id,
        event_type="social_account.connected",
        payload={
            "id": account.pk,
            "platform": account.platform,
            "external_id": account.external_id,
        },
    )
    return account


def _connect_inbox(account: SocialAccount) -> None:
    """Pages, Instagram accounts and WhatsApp numbers are also chat inboxes: route their
    inbound messages to this account (unless another account already holds the inbox)."""
    from flowline.social.chat_senders import inbox_channel

    channel = inbox_channel(account.platform)
    if channel:
        chat.connect_inbox(
            account_id=account.account_id,
            channel=channel,
            external_id=account.external_id,
            name=account.name,
            site_id=account.site_id,
        )


def _expiry(expires_in) -> timezone.datetime | None:
    if not expires_in:
        return None
    return timezone.now() + timedelta(seconds=int(expires_in))


@transaction.atomic
def account_disconnect(*, social_account: SocialAccount) -> SocialAccount:
    """Forget the tokens; the row stays so published posts keep their account."""
    social_account.access_token = ""
    social_account.refresh_token = ""
    social_account.token_expires_at = None
    social_account.status = SocialAccount.Status.DISCONNECTED
    social_account.save(
        update_fields=[
            "access_token",
            "refresh_token",
            "token_expires_at",
            "status",
            "updated_at",
        ]
    )
    return social_account


def account_update(*, social_account: SocialAccount, data: dict) -> SocialAccount:
    """What a user may change: the site the account belongs to, and WhatsApp broadcast
    recipients."""
    fields = ["updated_at"]
    if "site" in data:
        social_account.site = data["site"]
        fields.append("site")
    if "broadcast_to" in data:
        social_account.meta = {**social_account.meta, "broadcast_to": data["broadcast_to"]}
        fields.append("meta")
    social_account.save(update_fields=fields)
    return social_account
