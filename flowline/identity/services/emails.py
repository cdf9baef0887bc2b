"""Transactional emails, rendered from templates and sent through Django's mail framework."""

import logging
import smtplib
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context, engines

logger = logging.getLogger("flowline.identity.emails")


def frontend_link(path: str, **params) -> str:
    """A link into the frontend app, e.g. `/verify-email?token=...`."""
    return f"{settings.FRONTEND_URL.rstrip('/')}{path}?{urlencode(params)}"


def send_templated(*, to: str, template: str, context: dict) -> bool:
    """Render `identity/email/<template>.txt` (first line: subject) and send it.

    A mail server that is down or refuses the message is logged and reported as False,
    never raised: the request that triggered the mail has done its work by then, and a
    failure only for existing addresses (password reset) would tell who has an account.
    """
    # Plain text, not HTML: autoescaping would turn the `&` between a link's parameters
    # into `&amp;` (breaking the link) and an account named "Tom & Jerry's" into entities.
    source = engines["django"].engine.get_template(f"identity/email/{template}.txt")
    rendered = source.render(Context(context, autoescape=False)).strip()
    subject, _, body = rendered.partition("\n")
    try:
        send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the %s mail", template)
        return False
    return True
