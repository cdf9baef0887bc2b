"""Reads of the writer: the API's lists, and what other apps ask for through `public.py`
(what is waiting for the automation pipeline, the content integration publishes, the
articles the optimizer scores).

They read through the scoped managers, so they run inside a tenant scope: a request's, or
the one a job (automation steps, the publish queue) enters for its account. The
`account_id` they take must be the scope's. Querysets are returned where the caller
composes them further (counts, batches by id, `Exists` subqueries).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from flowline.core.errors import NotFoundError
from flowline.writer.models import Content, Image, Task, Taxonomy

# Candidates for internal links: everything of a site that is not archived.
_LINKABLE = [Content.Status.DRAFT, Content.Status.REVIEW, Content.Status.PUBLISHED]


def idea_has_task(idea_ref: OuterRef) -> Exists:
    """True for a planner idea (`OuterRef("pk")` of an ideas queryset) with a writer task."""
    return Exists(Task.objects.filter(idea_id=idea_ref))


def tasks_waiting_for_content(*, account_id: int, site_id: int) -> QuerySet[Task]:
    """The site's draft tasks that have no content yet."""
    return Task.objects.filter(
        account_id=account_id, site_id=site_id, status=Task.Status.DRAFT, content__isnull=True
    )


def _in_review(account_id: int, site_id: int) -> QuerySet[Content]:
    return Content.objects.filter(
        account_id=account_id, site_id=site_id, status=Content.Status.REVIEW
    )


def contents_without_images(*, account_id: int, site_id: int) -> QuerySet[Content]:
    """The site's content in review that has no image (not even a prompt) yet."""
    images = Image.objects.filter(content_id=OuterRef("pk"))
    return _in_review(account_id, site_id).filter(~Exists(images))


def contents_with_pending_images(*, account_id: int, site_id: int) -> QuerySet[Content]:
    """The site's content in review with an image whose picture is still to make."""
    pending = Image.objects.filter(content_id=OuterRef("pk"), status=Image.Status.PENDING)
    return _in_review(account_id, site_id).filter(Exists(pending))


def contents_ready_to_publish(
    *, account_id: int, site_id: int, illustrated: bool
) -> QuerySet[Content]:
    """The site's content in review with no picture still to make; with `illustrated`,
    only content that has at least one image."""
    pending = Image.objects.filter(content_id=OuterRef("pk"), status=Image.Status.PENDING)
    queryset = _in_review(account_id, site_id).filter(~Exists(pending))
    if illustrated:
        queryset = queryset.filter(Exists(Image.objects.filter(content_id=OuterRef("pk"))))
    return queryset


def contents_none() -> QuerySet[Content]:
    return Content.objects.none()


def content_for_publishing(
    *, account_id: int, content_id: int
) -> tuple[Content, list[Image], list[Taxonomy]] | None:
    """The account's content with its finished featured and in-article images (in order;
    desktop and mobile variants are other renditions, not sent) and its categories and
    tags, or None."""
    content = Content.objects.filter(account_id=account_id, id=content_id).first()
    if content is None:
        return None
    images = Image.objects.filter(
        content_id=content.id,
        status=Image.Status.COMPLETED,
        image_type__in=[Image.Kind.FEATURED, Image.Kind.IN_ARTICLE],
        file__gt="",
    ).order_by("position", "id")
    terms = Taxonomy.objects.filter(account_id=account_id, contents=content)
    return content, list(images), list(terms)


def content_site_ids(*, account_id: int, content_ids: list[int]) -> dict[int, int]:
    """{content id: site id} for the account's content among `content_ids`."""
    return dict(
        Content.objects.filter(account_id=account_id, id__in=content_ids).values_list(
            "id", "site_id"
        )
    )


def content_with_task(*, account_id: int, content_id: int) -> Content | None:
    """The account's content with its task and site joined, or None."""
    return (
        Content.objects.select_related("task", "site")
        .filter(account_id=account_id, id=content_id)
        .first()
    )


def linkable_contents(content: Content) -> QuerySet[Content]:
    """Every other article of the content's site that is not archived (link candidates),
    with task and site joined."""
    return (
        Content.objects.filter(
            account_id=content.account_id, site_id=content.site_id, status__in=_LINKABLE
        )
        .exclude(id=content.id)
        .select_related("task", "site")
        .order_by("id")
    )


def visible_content_ids(content_ids: list[int]) -> set[int]:
    """Which of `content_ids` the member of the current tenant scope may see (site grants
    included): call it inside a request."""
    return set(Content.objects.filter(id__in=content_ids).values_list("id", flat=True))


def tasks_for_list(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with `content_ref`, their content's id. A subquery, not a join: bulk actions
    lock these rows FOR UPDATE, which PostgreSQL refuses on the nullable side of an
    outer join."""
    content = Content.objects.filter(task=OuterRef("pk")).values("id")[:1]
    return queryset.annotate(content_ref=Subquery(content))


def content_require(*, content_id: int) -> None:
    """A 404 unless the active account has the content `content_id`."""
    if not Content.objects.filter(id=content_id).exists():
        raise NotFoundError("No such content in this account.")
