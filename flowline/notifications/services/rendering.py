"""Word a notification from its type's template and the context the raising app gave."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from flowline.notifications.models import NotificationTemplate

logger = logging.getLogger("flowline.notifications")


@dataclass(frozen=True)
class Rendered:
    """What every channel shows for one notification."""

    title: str
    body: str
    email_subject: str
    email_body: str


def absolute_link(link: str) -> str:
    """Turn an app path (`/jobs/12`) into a frontend URL for emails and pushes."""
    if not link or "://" in link:
        return link
    return f"{settings.FRONTEND_URL.rstrip('/')}/{link.lstrip('/')}"


def _render(source: str, context: dict) -> str:
    # Plain text everywhere (app, email, push): HTML-escaping would show "&amp;" in a
    # product called "Salt & Pepper". Clients escape when they put it into HTML.
    try:
        return Template(source).render(Context(context, autoescape=False)).strip()
    except TemplateSyntaxError:
        logger.exception("Broken notification template: %r", source)
        return ""


def render(notification_type: str, context: dict, *, link: str = "") -> Rendered:
    """Render the four texts of `notification_type`. A type with no template still
    reaches users: its title comes from the context or the type's name."""
    template = NotificationTemplate.objects.filter(notification_type=notification_type).first()
    values = {**context, "link": absolute_link(link)}
    if template is None:
        logger.warning("No template for notification type %r", notification_type)
        title = str(context.get("title") or notification_type.replace("_", " ").capitalize())
        body = str(context.get("message") or context.get("body") or "")
        return Rendered(title[:255], body, title[:255], body)
    title = _render(template.title_template, values)[:255] or notification_type
    body = _render(template.body_template, values)
    subject = (
        _render(template.email_subject_template, values)
        if template.email_subject_template
        else title
    )
    email_body = (
        _render(template.email_body_template, values) if template.email_body_template else body
    )
    return Rendered(title, body, " ".join(subject.split())[:255], email_body)
