"""Posts in the console: the list, a post's page (each target's state, live, and retrying
only the failed ones), the approval queue and the CSV import. Over `social/posts/` and
`social/schedules/`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator

from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.core.pages.views import Page, safe_next
from flowline.core.roles import Role
from flowline.posts.models import Post
from flowline.posts.pages import endpoints as api
from flowline.posts.pages.composer import next_step

# What a member reads for each target state (the API's names are the scheduler's).
TARGET_STATES = {
    "draft": "Draft",
    "scheduled": "Queued",
    "publishing": "Publishing",
    "retrying": "Waiting to retry",
    "unknown": "Outcome unknown, being checked",
    "published": "Published",
    "failed": "Failed",
    "missed": "Missed",
}
RETRYABLE = ("failed", "missed")
SCHEDULING = ("now", "schedule", "next_slot")


class PostListPage(ListPage):
    title = "Posts"
    template_name = "posts/posts.html"
    endpoint = api.posts
    columns = [
        Column("title", "Title", link=True),
        Column("text", "Text", cell="posts/cells/text.html"),
        Column("targets", "Goes to", cell="posts/cells/targets.html"),
        Column("status", "Status", sort="status", cell="pages/cells/status.html"),
        Column("scheduled_at", "When (UTC)", sort="scheduled_at", cell="pages/cells/date.html"),
    ]
    filters = [
        Filter("status", "Status", Post.Status.choices),
        Filter("approval", "Approval", Post.Approval.choices),
    ]
    bulk_actions = [
        BulkAction("bulk_delete", "Delete", api.posts_delete, confirm="Delete the selected posts?")
    ]
    search_placeholder = "Search posts"
    row_url_name = "console-post"
    create_url_name = "console-post-new"
    create_label = "New post"
    empty_heading = "No posts yet"
    empty_text = "Compose a post, or import a CSV of them; connect a social account first."


class PostPage(Page):
    """A post: what it says, where it goes and how each target stands, live; retry the
    failed targets, approve or reject, take it off the schedule."""

    template_name = "posts/post.html"
    action_roles = {"approve": Role.EDITOR, "reject": Role.EDITOR}

    def stored(self) -> dict:
        return self.fetched(api.post, pk=self.kwargs["pk"])

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "live":
            return ["posts/post_live.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.stored()
        names = api.account_names(self.request)
        targets = [
            {
                **target,
                "state": TARGET_STATES.get(target["status"], target["status"]),
                "account": names.get(target["social_account"], {}),
                "label": api.PLATFORM_LABELS.get(target["platform"], target["platform"]),
                "retryable": target["status"] in RETRYABLE,
            }
            for target in post["targets"]
        ]
        context.update(
            title=post["title"] or Truncator(post["text"]).chars(60) or "Untitled post",
            post=post,
            scheduled_at=parse_datetime(post["scheduled_at"]) if post["scheduled_at"] else None,
            variants=[
                (api.PLATFORM_LABELS.get(name, name), variant)
                for name, variant in post["variants"].items()
            ],
            targets=targets,
            failed=[t["id"] for t in targets if t["retryable"]],
            editable=all(t["status"] in ("draft", "scheduled") for t in targets),
            # Drafts go on the schedule once approved (or when no approval is needed).
            schedulable=any(t["status"] == "draft" for t in targets)
            and (not post["requires_approval"] or post["approval"] == "approved"),
            now=timezone.now().strftime("%Y-%m-%dT%H:%M"),
            may_write=self.can(Role.EDITOR),
            crumbs=[{"label": "Posts", "url": reverse("console-posts")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        pk = self.stored()["id"]
        action = request.POST.get("action", "")
        if action == "retry":
            ids = [int(v) for v in request.POST.getlist("target_ids") if v.isdigit()]
            answer = api.post_retry.call(request, "POST", body={"target_ids": ids}, pk=pk)
        elif action in ("approve", "reject"):
            endpoint = api.post_approve if action == "approve" else api.post_reject
            body = {"note": request.POST.get("note", "")}
            answer = endpoint.call(request, "POST", body=body, pk=pk)
        elif action == "submit":
            answer = api.post_submit.call(request, "POST", pk=pk)
        elif action == "schedule":
            intent = request.POST.get("intent", "")
            answer = next_step(request, intent if intent in SCHEDULING else "schedule", pk)
        elif action == "cancel":
            answer = api.schedule_cancel.call(request, "POST", pk=pk)
        else:
            raise Http404
        if answer.ok:
            messages.success(request, answer.message)
            skipped = (answer.data or {}).get("skipped") if isinstance(answer.data, dict) else None
            for item in skipped or []:
                messages.warning(request, f"Not retried: {item.get('reason', item)}")
        else:
            messages.error(request, answer.message)
        return redirect(safe_next(request, request.path))


class ApprovalQueuePage(Page):
    """Posts waiting for a reviewer: approve (then schedule) or reject with a note."""

    template_name = "posts/approvals.html"
    title = "Approval queue"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = api.posts.call(
            self.request, query={"approval": "pending", "ordering": "created_at", "page_size": 50}
        )
        context.update(
            pending=answer.body.get("results", []) if answer.ok else [],
            count=answer.body.get("count", 0),
            may_review=self.can(Role.EDITOR),
        )
        return context


class ImportPage(Page):
    """A CSV of posts: the good rows are created (and scheduled), each bad row is listed
    with its line and the API's reasons."""

    template_name = "posts/import.html"
    title = "Import posts"
    read_role = Role.EDITOR

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [{"label": "Posts", "url": reverse("console-posts")}]
        return context

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None:
            context = self.get_context_data(errors={"file": ["Choose a CSV file."]})
            return self._answer(context, 400)
        schedule = "true" if request.POST.get("schedule") in ("true", "on") else "false"
        answer = api.posts_import.call(
            request, "POST", body={"schedule": schedule}, files={"file": upload}
        )
        rows = answer.data if answer.ok else {}
        bad_rows = (rows or {}).get("errors") or answer.body.get("errors", {}).get("rows") or []
        context = self.get_context_data(
            result=rows,
            bad_rows=[
                {"line": row.get("line"), "reasons": api.messages_of(row.get("errors", {}))}
                for row in bad_rows
            ],
            refused=None if answer.ok or bad_rows else answer.message,
            errors={} if answer.ok or bad_rows else answer.errors,
        )
        return self._answer(context, 200 if answer.ok else 400)

    def _answer(self, context, status):
        response = self.render_to_response(context)
        response.status_code = status
        return response
