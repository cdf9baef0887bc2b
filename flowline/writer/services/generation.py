"""Writing articles for tasks through the AI gateway.

The account's `generate_content` prompt is filled with the task (title, brief, keywords,
shape, length), its author profile (the task's, else the account's first active one,
else the site's brand voice) and its strategy. The model's answer is untrusted: its HTML
is sanitised, its title and meta fields are cut to their limits, and an answer with no
usable article is an error. Credits are the caller's business (the job holds them).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.text import slugify

from flowline.ai import public as ai
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.writer.models import Content, Task, Taxonomy
from flowline.writer.services.html import sanitize_html

logger = logging.getLogger("flowline.writer")

PROMPT_TYPE = "generate_content"
Progress = Callable[[int, str], None]


class EmptyAnswer(ApplicationError):
    """The model answered nothing that could be stored (not worth retrying)."""

    status_code = 502
    default_code = "empty_answer"


def _author(task: Task) -> str:
    profile = task.author_profile
    if profile is None:
        profile = ai.author_profile_default(task.account_id)
    if profile is None:
        return " ".join(task.site.voice.split()) or "Clear, helpful and friendly."
    parts = [profile.name, profile.description, f"tone {profile.tone}" if profile.tone else ""]
    parts.append(f"language {profile.language}")
    return "; ".join(" ".join(part.split()) for part in parts if part)


def _strategy(task: Task) -> str:
    strategy = task.strategy
    if strategy is None:
        strategy = ai.strategy_default(task.account_id)
    if strategy is None:
        return "Answer the searcher's question first, then go into detail."
    sections = ", ".join(str(section) for section in strategy.sections or [])
    rules = "; ".join(f"{key}: {value}" for key, value in (strategy.rules or {}).items())
    parts = [strategy.name, strategy.description, f"sections {sections}" if sections else ""]
    parts.append(f"rules {rules}" if rules else "")
    return "; ".join(" ".join(part.split()) for part in parts if part)


def _brief(task: Task) -> str:
    """Labelled lines after the idea's title (the offline provider reads labels too)."""
    lines = []
    if task.description.strip():
        lines.append(f"Brief: {' '.join(task.description.split())}")
    lines.append(
        f"Content type: {task.get_content_type_display()} ({task.get_content_structure_display()})"
    )
    lines.append(f"Target length: about {task.word_count} words")
    return "\n".join(lines)


def content_prompt(task: Task) -> str:
    """The filled `generate_content` prompt for `task`."""
    return ai.prompt_render(
        account_id=task.account_id,
        prompt_type=PROMPT_TYPE,
        author_profile=_author(task),
        strategy=_strategy(task),
        idea_title=task.title,
        idea_description=_brief(task),
        keywords=task.keyword_list or [task.title],
    )


def _answer(result: ai.ChatResult) -> dict:
    """The model's JSON object, or its text taken as the article when it is not JSON."""
    try:
        data = result.json()
    except (json.JSONDecodeError, TypeError, ValueError):
        return {"content": result.text}
    return data if isinstance(data, dict) else {"content": result.text}


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _tags(site_id: int, account_id: int, names) -> list[Taxonomy]:
    """The site's tags for the model's tag names, created when missing."""
    tags = []
    for name in list(names or [])[:10] if isinstance(names, list) else []:
        name = _text(name, 100)
        slug = slugify(name)[:200]
        if not slug:
            continue
        tag, _ = Taxonomy.objects.get_or_create(
            account_id=account_id,
            site_id=site_id,
            taxonomy_type=Taxonomy.Type.TAG,
            slug=slug,
            defaults={"name": name},
        )
        tags.append(tag)
    return tags


def content_write(*, task: Task, job_id=None) -> Content:
    """Write (or rewrite) the article of one task and put the task in review. The task
    goes back to `draft` with its error when writing fails; the error is raised."""
    Task.objects.filter(id=task.id).update(status=Task.Status.IN_PROGRESS, error="")
    try:
        result = ai.chat(
            account_id=task.account_id,
            messages=[{"role": "user", "content": content_prompt(task)}],
            operation=PROMPT_TYPE,
            job_id=job_id,
            json_mode=True,
            max_tokens=min(16_000, max(1_000, task.word_count * 2)),
        )
        answer = _answer(result)
        clean = sanitize_html(str(answer.get("content") or answer.get("html") or ""))
        if not clean.html or clean.word_count == 0:
            raise EmptyAnswer("The AI answered with no article.")
        return _save(task, result, answer, clean, job_id)
    except BaseException as exc:
        # A job retries passing errors: its task stays in progress until the job ends.
        retried = job_id is not None and getattr(exc, "transient", False)
        Task.objects.filter(id=task.id).update(
            status=Task.Status.IN_PROGRESS if retried else Task.Status.DRAFT,
            error=(str(exc) or type(exc).__name__)[:500],
        )
        raise


@transaction.atomic
def _save(task: Task, result: ai.ChatResult, answer: dict, clean, job_id) -> Content:
    title = _text(answer.get("title"), 255) or task.title
    description = _text(answer.get("meta_description"), 500) or _text(clean.text, 155)
    fields = {
        "account_id": task.account_id,
        "site_id": task.site_id,
        "sector_id": task.sector_id,
        "title": title,
        "html_content": clean.html,
        "headings": clean.headings,
        "word_count": clean.word_count,
        "meta_title": _text(answer.get("meta_title"), 255) or title[:60],
        "meta_description": description,
        "keywords": task.keywords,
        "content_type": task.content_type,
        "status": Content.Status.REVIEW,
        "generation": {
            "provider": result.provider,
            "model": result.model,
            "offline": result.offline,
            "tokens_in": result.tokens_in,
            "tokens_out": result.tokens_out,
            "job_id": str(job_id) if job_id else None,
        },
    }
    content, _ = Content.objects.update_or_create(task=task, defaults=fields)
    tags = _tags(task.site_id, task.account_id, answer.get("tags"))
    if tags:
        content.taxonomies.add(*tags)
    Task.objects.filter(id=task.id).update(status=Task.Status.REVIEW, error="")
    return content


def contents_write(
    *,
    account_id: int,
    task_ids: list[int],
    progress: Progress | None = None,
    job_id=None,
) -> list[Content]:
    """Write the article of each task of `account_id`, in order, reporting progress.

    Inside a job (`job_id`), a task already written by this same job is not written
    again, so a retried job pays for no article twice.
    """
    tasks = list(
        Task.objects.filter(account_id=account_id, id__in=task_ids)
        .select_related("site", "author_profile", "strategy")
        .order_by("id")
    )
    missing = sorted(set(task_ids) - {task.id for task in tasks})
    if missing:
        raise NotFoundError("Some tasks do not exist in this account.", errors={"ids": missing})
    written = []
    for index, task in enumerate(tasks):
        done = _already_written(task, job_id)
        if done is None:
            if progress:
                progress(int(100 * index / len(tasks)), f"Writing '{task.title[:80]}'")
            done = content_write(task=task, job_id=job_id)
        written.append(done)
    if progress:
        progress(100, f"Wrote {len(written)} articles")
    return written


def _already_written(task: Task, job_id) -> Content | None:
    if not job_id:
        return None
    content = Content.objects.filter(task=task).first()
    if content is not None and (content.generation or {}).get("job_id") == str(job_id):
        return content
    return None
