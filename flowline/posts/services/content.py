"""Writing posts: the default content, per-platform variants and targets, checked against
each platform's rules before anything is stored.

A variant is `{"text", "media", "link"}`. The content that goes to a platform is the
post's variant for that platform, or else the post's default content. Every platform a
post targets (and every platform it has a variant for) is checked with the platform's
rules; errors come back per platform: `{"variants": {"twitter": {"text": [...]}}}`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from flowline.core import tenancy
from flowline.core.errors import ApplicationError, ConflictError, ForbiddenError
from flowline.core.roles import Role, at_least
from flowline.posts.models import Post, PostTarget, PostVariant
from flowline.posts.services.status import post_resynced
from flowline.social import public as social
from flowline.social.public import validate_variant

T = PostTarget.Status
# Targets whose content can no longer change: it is on its way or already out.
LOCKED = (T.PUBLISHING, T.RETRYING, T.UNKNOWN, T.PUBLISHED)
CONTENT_FIELDS = ("text", "media", "link")


def _content(source) -> dict:
    if isinstance(source, dict):
        return {
            "text": source.get("text") or "",
            "media": list(source.get("media") or []),
            "link": source.get("link") or "",
        }
    return {"text": source.text, "media": list(source.media or []), "link": source.link}


def effective_variants(post: Post, variants: dict[str, dict] | None = None) -> dict[str, dict]:
    """What goes to each platform the post has a target or a variant for."""
    if variants is None:
        variants = {v.platform: _content(v) for v in PostVariant.unscoped.filter(post_id=post.id)}
    platforms = set(variants) | set(
        PostTarget.unscoped.filter(post_id=post.id).values_list("platform", flat=True)
    )
    default = _content(post)
    return {platform: variants.get(platform, default) for platform in sorted(platforms)}


def variant_for(post: Post, platform: str) -> dict:
    """The content that goes to one platform (the scheduler's input to `publish`)."""
    variant = PostVariant.unscoped.filter(post_id=post.id, platform=platform).first()
    return _content(variant if variant is not None else post)


def check_variants(default: dict, variants: dict[str, dict], platforms: set[str]) -> None:
    """400 with field errors per platform when a platform's rules refuse its content."""
    errors: dict[str, dict] = {}
    for platform in sorted(platforms | set(variants)):
        if platform not in social.PLATFORMS:
            errors[platform] = {"platform": [f"Unknown platform {platform!r}."]}
            continue
        problems = validate_variant(platform, variants.get(platform, default))
        if problems:
            errors[platform] = problems
    if errors:
        raise ApplicationError(
            "Some variants break their platform's rules.",
            code="validation_error",
            errors={"variants": errors},
        )


def check_targets(social_accounts) -> None:
    """Targets must be the account's own, connected social accounts (another account's id
    never gets here: the serializer looks ids up in the active account)."""
    dead = [sa for sa in social_accounts if sa.status != sa.Status.ACTIVE]
    if dead:
        names = ", ".join(str(sa) for sa in dead)
        raise ApplicationError(
            "Reconnect these social accounts first.",
            errors={"targets": [f"Not connected: {names}."]},
        )
    seen: set[int] = set()
    for sa in social_accounts:
        if sa.pk in seen:
            raise ApplicationError("A target is listed twice.", errors={"targets": ["Duplicate."]})
        seen.add(sa.pk)


def _check_approval_flag(post: Post | None, requires_approval: bool | None) -> None:
    """Once a post needs approval, only an admin or the owner may drop that need."""
    dropping = requires_approval is False and post is not None and post.requires_approval
    if dropping and not at_least(tenancy.require().role, Role.ADMIN):
        raise ForbiddenError(
            "Only an admin can remove the approval step of a post.", code="approval_required"
        )


@transaction.atomic
def post_create(
    *,
    author_id: int | None,
    targets: list | None = None,
    variants: dict[str, dict] | None = None,
    **fields,
) -> Post:
    """A new draft post with its variants and targets, checked platform by platform."""
    targets = targets or []
    variants = {platform: _content(v) for platform, v in (variants or {}).items()}
    check_targets(targets)
    check_variants(_content(fields), variants, {sa.platform for sa in targets})
    post = Post.objects.create(author_id=author_id, **fields)
    PostVariant.objects.bulk_create(
        PostVariant(account_id=post.account_id, post=post, platform=platform, **content)
        for platform, content in variants.items()
    )
    PostTarget.objects.bulk_create(
        PostTarget(account_id=post.account_id, post=post, social_account=sa, platform=sa.platform)
        for sa in targets
    )
    return post_resynced(post)


@transaction.atomic
def post_update(
    *,
    post: Post,
    targets: list | None = None,
    variants: dict[str, dict] | None = None,
    **fields,
) -> Post:
    """Change content, variants or targets.

    A platform whose target is on its way or published cannot get other content (409
    `post_locked`); its target cannot be removed. Changing what an approved post says
    takes the approval back (and the post off the schedule): it must be approved again.
    """
    post = Post.objects.select_for_update().get(id=post.id)
    _check_approval_flag(post, fields.get("requires_approval"))
    # targets locked too: the scheduler skips locked rows, so none is claimed meanwhile
    current = {
        t.social_account_id: t for t in PostTarget.objects.select_for_update().filter(post=post)
    }
    before = effective_variants(post)
    new_variants = before_variants = {
        v.platform: _content(v) for v in PostVariant.objects.filter(post=post)
    }
    if variants is not None:
        new_variants = {platform: _content(v) for platform, v in variants.items()}
    default = _content({name: fields.get(name, getattr(post, name)) for name in CONTENT_FIELDS})
    new_targets = targets if targets is not None else None
    platforms = (
        {sa.platform for sa in new_targets}
        if new_targets is not None
        else {t.platform for t in current.values()}
    )
    if new_targets is not None:
        check_targets([sa for sa in new_targets if sa.pk not in current])
    check_variants(default, new_variants, platforms)

    locked = {t.platform for t in current.values() if t.status in LOCKED}
    changed = {
        platform
        for platform in platforms | set(before)
        if new_variants.get(platform, default) != before.get(platform)
    }
    if changed & locked:
        raise ConflictError(
            "Published or in-flight platforms cannot get other content.",
            code="post_locked",
            errors={
                "variants": {p: ["Already on its way or published."] for p in changed & locked}
            },
        )
    if new_targets is not None:
        removed = [t for sa_id, t in current.items() if sa_id not in {sa.pk for sa in new_targets}]
        if any(t.status in LOCKED for t in removed):
            raise ConflictError(
                "A target that is on its way or published cannot be removed.",
                code="post_locked",
                errors={"targets": ["Already on its way or published."]},
            )
        PostTarget.objects.filter(id__in=[t.id for t in removed]).delete()
        scheduled = post.scheduled_at is not None
        PostTarget.objects.bulk_create(
            PostTarget(
                account_id=post.account_id,
                post=post,
                social_account=sa,
                platform=sa.platform,
                status=T.SCHEDULED if scheduled else T.DRAFT,
                due_at=post.scheduled_at,
                next_attempt_at=post.scheduled_at,
            )
            for sa in new_targets
            if sa.pk not in current
        )
    if variants is not None and new_variants != before_variants:
        PostVariant.objects.filter(post=post).delete()
        PostVariant.objects.bulk_create(
            PostVariant(account_id=post.account_id, post=post, platform=platform, **content)
            for platform, content in new_variants.items()
        )
    for name, value in fields.items():
        setattr(post, name, value)
    content_changed = bool(changed) or (
        new_targets is not None and set(current) != {sa.pk for sa in new_targets}
    )
    if post.requires_approval and content_changed and post.approval != Post.Approval.NONE:
        _withdraw_approval(post)
    post.save()
    return post_resynced(post)


def _withdraw_approval(post: Post) -> None:
    """Edited content needs a fresh approval: back to "not submitted", off the schedule."""
    post.approval = Post.Approval.NONE
    post.approved_by = None
    post.approved_at = None
    if post.scheduled_at is not None:
        PostTarget.objects.filter(post=post, status=T.SCHEDULED).update(
            status=T.DRAFT, due_at=None, next_attempt_at=None
        )
        post.scheduled_at = None


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Delete a post that has nothing on its way (its published copies stay online)."""
    targets = PostTarget.objects.select_for_update().filter(post=post)
    if any(t.status in (T.PUBLISHING, T.UNKNOWN) for t in targets):
        raise ConflictError(
            "The post is being published; try again in a moment.", code="publishing_in_progress"
        )
    post.delete()


# --- approval ---------------------------------------------------------------------------


def _approvable(post: Post) -> Post:
    post = Post.objects.select_for_update().get(id=post.id)
    if not post.requires_approval:
        raise ConflictError("This post does not need approval.", code="approval_not_required")
    return post


@transaction.atomic
def post_submit(*, post: Post) -> Post:
    """Ask for approval: draft (or rejected) → pending approval."""
    post = _approvable(post)
    if post.approval not in (Post.Approval.NONE, Post.Approval.REJECTED):
        raise ConflictError(f"The post is already {post.approval}.", code="invalid_state")
    post.approval = Post.Approval.PENDING
    post.approval_note = ""
    post.save(update_fields=["approval", "approval_note", "updated_at"])
    return post_resynced(post)


def _decide(post: Post, *, user_id: int) -> Post:
    post = _approvable(post)
    if post.approval != Post.Approval.PENDING:
        raise ConflictError("Only a post pending approval can be decided.", code="invalid_state")
    ctx = tenancy.require()
    if post.author_id == user_id and not at_least(ctx.role, Role.ADMIN):
        # four eyes for editors; admins and owners run the account and may sign off
        raise ForbiddenError("Editors cannot approve their own posts.", code="self_approval")
    return post


@transaction.atomic
def post_approve(*, post: Post, user_id: int, note: str = "") -> Post:
    """pending approval → approved (then it may be scheduled)."""
    post = _decide(post, user_id=user_id)
    post.approval = Post.Approval.APPROVED
    post.approved_by_id = user_id
    post.approved_at = timezone.now()
    post.approval_note = note
    post.save()
    return post_resynced(post)


@transaction.atomic
def post_reject(*, post: Post, user_id: int, note: str = "") -> Post:
    """pending approval → rejected, with a note for the author."""
    post = _decide(post, user_id=user_id)
    post.approval = Post.Approval.REJECTED
    post.approval_note = note
    post.save(update_fields=["approval", "approval_note", "updated_at"])
    return post_resynced(post)
