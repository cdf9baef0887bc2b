"""The writer in the console: tasks and their generation (the credit estimate first, then
the job followed live), the content list, and an article's editor with its preview,
images and publishing to WordPress. Over `writer/...`, `billing/credits/balance/estimate/`
and `publisher/...`."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from flowline.billing.api.credits import CreditBalanceViewSet
from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.integration.api.views import PublishRecordViewSet, PublishView
from flowline.jobs.pages.follow import FollowsJobMixin, followed_job
from flowline.writer import jobs
from flowline.writer.api.views import ContentViewSet, ImageViewSet, TaskViewSet
from flowline.writer.models import Content, Task

tasks = Endpoint(TaskViewSet, {"get": "list"})
task = Endpoint(TaskViewSet, {"get": "retrieve"})
tasks_delete = Endpoint(TaskViewSet, {"post": "bulk_delete"})
tasks_write = Endpoint(TaskViewSet, {"post": "auto_generate_content"})
contents = Endpoint(ContentViewSet, {"get": "list"})
content = Endpoint(ContentViewSet, {"get": "retrieve", "patch": "partial_update"})
contents_delete = Endpoint(ContentViewSet, {"post": "bulk_delete"})
image_prompts = Endpoint(ContentViewSet, {"post": "generate_image_prompts"})
images = Endpoint(ImageViewSet, {"get": "list"})
images_generate = Endpoint(ImageViewSet, {"post": "generate_images"})
estimate = Endpoint(CreditBalanceViewSet, {"post": "estimate"})
publish = Endpoint(PublishView)
publish_records = Endpoint(PublishRecordViewSet, {"get": "list"})

# What writing an article costs is the job's own credit operation.
CONTENT_OPERATION = jobs.PAID[jobs.GENERATE_CONTENT][0]
MAX_TASKS = 50


class TaskListPage(FollowsJobMixin, ListPage):
    title = "Writer tasks"
    template_name = "writer/tasks.html"
    endpoint = tasks
    columns = [
        Column("title", "Task", sort="title", classes="fw-medium"),
        Column("content_type", "Type", cell="pages/cells/status.html"),
        Column("word_count", "Words", sort="word_count", classes="text-end"),
        Column("status", "Status", sort="status", cell="writer/cells/task_status.html"),
        Column("content_id", "Article", cell="writer/cells/article.html"),
    ]
    filters = [Filter("status", "Status", Task.Status.choices)]
    bulk_actions = [
        BulkAction("write", "Write articles", style="primary", url_name="console-writer-write"),
        BulkAction("bulk_delete", "Delete", tasks_delete, confirm="Delete the selected tasks?"),
    ]
    search_placeholder = "Search tasks"
    empty_heading = "No tasks yet"
    empty_text = "Queue ideas to the writer from the Ideas page: each becomes a task here."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contents_url"] = reverse("console-contents")
        return context


class WritePage(Page):
    """Writing the selected tasks: what it costs and what the account has, then the job."""

    title = "Write articles"
    template_name = "writer/write.html"

    def ids(self) -> list[str]:
        return [i for i in self.request.GET.getlist("ids") if i.isdigit()][:MAX_TASKS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = self.ids()
        found = [task.call(self.request, pk=i) for i in ids]
        chosen = [answer.data for answer in found if answer.ok]
        cost = estimate.call(
            self.request,
            "POST",
            body={"operation_type": CONTENT_OPERATION, "quantity": max(1, len(chosen))},
        )
        context.update(
            tasks=chosen,
            estimate=cost.data if cost.ok else None,
            estimate_error="" if cost.ok else cost.message,
            crumbs=[{"label": "Writer tasks", "url": reverse("console-writer-tasks")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        answer = tasks_write.call(request, "POST", body={"ids": self.ids()})
        if answer.ok:
            return redirect(f"{reverse('console-writer-tasks')}?job={answer.data['task_id']}")
        context = self.get_context_data(
            refused=answer.message, no_credits=answer.status == 402, refused_code=answer.code
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response


class ContentListPage(FollowsJobMixin, ListPage):
    title = "Content"
    template_name = "writer/contents.html"
    endpoint = contents
    columns = [
        Column("title", "Title", sort="title", link=True),
        Column("word_count", "Words", sort="word_count", classes="text-end"),
        Column("status", "Status", sort="status", cell="pages/cells/status.html"),
        Column("published_at", "Published", sort="published_at", cell="pages/cells/date.html"),
    ]
    filters = [Filter("status", "Status", Content.Status.choices)]
    bulk_actions = [
        BulkAction(
            "publish",
            "Publish to WordPress",
            publish,
            style="primary",
            starts_job=True,
            ids_key="content_ids",
        ),
        BulkAction(
            "bulk_delete", "Delete", contents_delete, confirm="Delete the selected articles?"
        ),
    ]
    search_placeholder = "Search content"
    row_url_name = "console-content"
    empty_heading = "No content yet"
    empty_text = "Write articles from the Writer tasks page; they appear here to edit and publish."


class ContentPage(ApiFormPage):
    """An article: edit its title, meta and body (the API sanitises the HTML), see the
    preview, its images and where it was published; publish or retry."""

    template_name = "writer/content.html"
    endpoint = content
    method = "PATCH"
    fields = ("title", "meta_title", "meta_description", "html_content")
    success_message = "Article saved."
    action_roles = {"publish": Role.EDITOR, "image_prompts": Role.EDITOR, "images": Role.EDITOR}

    def load(self) -> dict:
        return self.fetched(content, **self.kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.load()
        pk = self.kwargs["pk"]
        context.update(
            title=stored["title"] or "Untitled",
            article=stored,
            images=images.call(self.request, query={"content_id": pk, "page_size": 50}).body.get(
                "results", []
            ),
            records=publish_records.call(
                self.request, query={"content": pk, "ordering": "-updated_at"}
            ).body.get("results", []),
            followed_job=followed_job(self.request),
            crumbs=[{"label": "Content", "url": reverse("console-contents")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action in ("publish", "image_prompts", "images"):
            return self.start(action)
        return super().post(request, *args, **kwargs)

    def start(self, action: str):
        pk = self.kwargs["pk"]
        if action == "publish":
            body = {"content_ids": [pk], "force": request_flag(self.request, "force")}
            answer = publish.call(self.request, "POST", body=body)
        elif action == "images":
            # The pictures of the article's images; the API skips those already made.
            listed = images.call(self.request, query={"content_id": pk, "page_size": 50})
            ids = [row["id"] for row in listed.body.get("results", [])]
            answer = images_generate.call(self.request, "POST", body={"ids": ids})
        else:
            answer = image_prompts.call(self.request, "POST", body={"ids": [pk]})
        if answer.ok:
            return redirect(f"{self.request.path}?job={answer.data['task_id']}")
        context = self.get_context_data(
            action_error=answer.message, no_credits=answer.status == 402
        )
        return self.render_to_response(
            context, status=answer.status if answer.status < 500 else 400
        )

    def success_url(self, answer) -> str:
        return self.request.path


def request_flag(request, name: str) -> bool:
    return request.POST.get(name) in ("true", "on", "1")
