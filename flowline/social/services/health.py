"""Token health: refresh ahead of expiry, tell a blip from a dead token, notify once.

- A refresh the platform refuses (invalid_grant, Graph 190) means the account is dead:
  `account_mark_dead` marks it expired and sends exactly one reconnect notice.
- A refresh that fails transiently (429, 5xx, unreachable) changes nothing but
  `refresh_retry_at` (backing off, doubling per failure): no disconnect on a blip.
- Refreshes of one account are serialised on its row, and a refresh is skipped when the
  token changed meanwhile, so two workers never spend the same rotating refresh token
  (X invalidates the old one: spending it twice would look like a dead account).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from flowline.core.backoff import Backoff
from flowline.notifications.public import notify
from flowline.social import selectors
from flowline.social.errors import AuthorizationError, TransientPlatformError
from flowline.social.models import SocialAccount
from flowline.social.oauth import connector_for
from flowline.webhooks.public import emit

logger = logging.getLogger("flowline.social")

RECONNECT_NOTICE = "social_account_reconnect"
# X access tokens live two hours: refresh them in the last half hour; the others (Meta
# about 60 days, LinkedIn 60 days) SOCIAL_REFRESH_AHEAD before they end.
SHORT_LIVED_AHEAD = {"twitter": timedelta(minutes=30)}


def account_mark_dead(*, social_account_id: int, reason: str) -> bool:
    """Mark the account expired and tell the member who connected it (or the account's
    owners and admins), once. Returns whether this call sent the notice."""
    now = timezone.now()
    with transaction.atomic():
        # One conditional update decides who sends the notice, even with two workers.
        claimed = (
            SocialAccount.unscoped.filter(pk=social_account_id, reconnect_notified_at__isnull=True)
            # The user disconnected it: nothing to reconnect, nobody to tell.
            .exclude(status=SocialAccount.Status.DISCONNECTED)
            .update(
                status=SocialAccount.Status.EXPIRED,
                last_error=reason[:1000],
                reconnect_notified_at=now,
                updated_at=now,
            )
        )
        if not claimed:
            return False
        account = SocialAccount.unscoped.get(pk=social_account_id)
        context = {
            "social_account_id": account.pk,
            "platform": account.get_platform_display(),
            "name": account.name or account.username or account.external_id,
            "reason": reason[:300],
        }
        link = f"/social/accounts/{account.pk}"
        emit(
            account_id=account.account_id,
            event_type="social_account.expired",
            payload={"id": account.pk, "platform": account.platform, "reason": reason[:300]},
        )
        reached = 0
        if account.connected_by_id:
            reached = notify(
                account_id=account.account_id,
                user_ids=[account.connected_by_id],
                notification_type=RECONNECT_NOTICE,
                context=context,
                link=link,
            )
        if not reached:  # nobody connected it, or they left: the owners and admins
            notify(
                account_id=account.account_id,
                user_ids=None,
                notification_type=RECONNECT_NOTICE,
                context=context,
                link=link,
            )
    logger.info("Social account %s marked expired: %s", social_account_id, reason)
    return True


def accounts_due_for_refresh(*, now=None) -> list[int]:
    """Ids of active accounts whose token expires soon and that are not backing off
    after a transient failure."""
    now = now or timezone.now()
    due = Q(token_expires_at__lte=now + timedelta(seconds=settings.SOCIAL_REFRESH_AHEAD))
    for platform, ahead in SHORT_LIVED_AHEAD.items():
        due &= ~Q(platform=platform) | Q(token_expires_at__lte=now + ahead)
    return list(
        SocialAccount.unscoped.filter(
            due, status=SocialAccount.Status.ACTIVE, token_expires_at__isnull=False
        )
        .filter(Q(refresh_retry_at__isnull=True) | Q(refresh_retry_at__lte=now))
        .order_by("token_expires_at")
        .values_list("pk", flat=True)
    )


def refresh_is_due(account: SocialAccount, *, now=None) -> bool:
    """Whether the account's token ends within its refresh-ahead window."""
    if account.token_expires_at is None:
        return False
    ahead = timedelta(seconds=settings.SOCIAL_REFRESH_AHEAD)
    ahead = min(ahead, SHORT_LIVED_AHEAD.get(account.platform, ahead))
    return account.token_expires_at <= (now or timezone.now()) + ahead


def token_health(account: SocialAccount, *, now=None) -> str:
    """How the account's token stands, in a member's words: `healthy`, `refreshing` (due
    for the beat's refresh, or backing off after a failed one: nothing to do yet),
    `needs_reconnect` (the platform refused it) or `disconnected`."""
    now = now or timezone.now()
    if account.status == SocialAccount.Status.DISCONNECTED:
        return "disconnected"
    if account.status != SocialAccount.Status.ACTIVE:
        return "needs_reconnect"
    if account.refresh_retry_at is not None or refresh_is_due(account, now=now):
        return "refreshing"
    return "healthy"


def token_refresh(
    *, social_account_id: int, stale_token: str | None = None, only_if_due: bool = False
) -> SocialAccount:
    """New tokens from the platform, stored. With `stale_token`, nothing is done when the
    stored token is already another one (someone refreshed meanwhile); with `only_if_due`,
    nothing is done when the stored token is no longer due. Raises `AuthorizationError`
    (refused) or `TransientPlatformError` and then stores nothing."""
    with transaction.atomic():
        account = SocialAccount.unscoped.select_for_update().get(pk=social_account_id)
        if stale_token is not None and account.access_token != stale_token:
            return account
        if only_if_due and not refresh_is_due(account):
            return account
        token = connector_for(account.platform).refresh(account)
        now = timezone.now()
        account.access_token = token.access_token
        if token.refresh_token:  # rotated; otherwise the stored one stays valid
            account.refresh_token = token.refresh_token
        account.token_expires_at = (
            now + timedelta(seconds=int(token.expires_in)) if token.expires_in else None
        )
        account.last_refreshed_at = now
        account.refresh_failures = 0
        account.refresh_retry_at = None
        account.last_error = ""
        account.save()
        return account


def refresh_backoff() -> Backoff:
    """After a passing failure: the refresh period's base, doubling six times at most."""
    base = float(settings.SOCIAL_REFRESH_RETRY)
    return Backoff(base=base, cap=base * 2**6, jitter=(1.0, 1.2))


def account_refresh(*, social_account_id: int) -> str:
    """The beat's refresh of one account: "refreshed", "retry" (transient failure, backing
    off), "dead" (the platform refused: marked and notified) or "skipped"."""
    account = selectors.account_to_refresh(social_account_id=social_account_id)
    if account is None:
        return "skipped"
    try:
        # A worker that read the account after another one's refresh committed holds the
        # new token as "stale": only the due check under the row lock stops a second refresh.
        token_refresh(
            social_account_id=account.pk, stale_token=account.access_token, only_if_due=True
        )
    except AuthorizationError as exc:
        account_mark_dead(social_account_id=account.pk, reason=str(exc))
        return "dead"
    except TransientPlatformError as exc:
        failures = account.refresh_failures + 1
        # Jitter, so accounts that failed together do not all come back in the same beat;
        # never sooner than the platform's Retry-After.
        delay = max(refresh_backoff().seconds(failures), exc.retry_after or 0)
        SocialAccount.unscoped.filter(pk=account.pk).update(
            refresh_failures=failures,
            refresh_retry_at=timezone.now() + timedelta(seconds=delay),
            last_error=str(exc)[:1000],
        )
        logger.warning("Refreshing social account %s failed transiently: %s", account.pk, exc)
        return "retry"
    return "refreshed"


def refresh_due_tokens() -> dict[str, int]:
    """Refresh every account due (the beat task); counts per outcome."""
    counts: dict[str, int] = {}
    for account_id in accounts_due_for_refresh():
        outcome = account_refresh(social_account_id=account_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
