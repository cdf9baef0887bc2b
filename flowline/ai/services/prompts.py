"""Prompts: an account's own text per prompt type, over the shipped defaults."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from flowline.ai import prompts_defaults
from flowline.ai.models import Prompt
from flowline.core import tenancy
from flowline.core.errors import ApplicationError, ConflictError


def prompt_text(*, account_id: int, prompt_type: str) -> str:
    """The text the pipeline uses for `prompt_type`: the account's, else the shipped one."""
    row = Prompt.unscoped.filter(
        account_id=account_id, prompt_type=prompt_type, is_active=True
    ).first()
    if row is not None:
        return row.prompt_value
    default = prompts_defaults.default_for(prompt_type)
    if default is None:
        raise _unknown(prompt_type)
    return default


def prompt_render(*, account_id: int, prompt_type: str, **context: object) -> str:
    """`prompt_text` with its `[[placeholders]]` filled from `context`."""
    return prompts_defaults.render(
        prompt_text(account_id=account_id, prompt_type=prompt_type), **context
    )


def prompt_by_type(*, prompt_type: str) -> dict:
    """What `by_type/{type}` shows: the active account's prompt or the shipped default."""
    row = Prompt.objects.filter(prompt_type=prompt_type).first()
    default = prompts_defaults.default_for(prompt_type)
    if row is None and default is None:
        raise _unknown(prompt_type, status=404)
    return {
        "id": row.id if row else None,
        "prompt_type": prompt_type,
        "prompt_value": row.prompt_value if row else default,
        "is_active": row.is_active if row else True,
        "is_default": row is None or row.prompt_value == default,
        "default_value": default,
    }


@transaction.atomic
def prompt_save(*, prompt_type: str, prompt_value: str, is_active: bool = True) -> Prompt:
    """Create or replace the active account's prompt of `prompt_type`."""
    if not prompt_value.strip():
        raise ApplicationError(
            "The prompt cannot be empty.", errors={"prompt_value": ["This field is required."]}
        )
    account_id = tenancy.require().account_id
    row = Prompt.objects.select_for_update().filter(prompt_type=prompt_type).first()
    if row is None:
        return _create(account_id, prompt_type, prompt_value, is_active)
    row.prompt_value = prompt_value
    row.is_active = is_active
    row.save(update_fields=["prompt_value", "is_active", "updated_at"])
    return row


@transaction.atomic
def prompt_reset(*, prompt_type: str) -> Prompt:
    """Put the shipped default back as the active account's prompt of `prompt_type`."""
    default = prompts_defaults.default_for(prompt_type)
    if default is None:
        raise _unknown(prompt_type)
    return prompt_save(prompt_type=prompt_type, prompt_value=default)


def prompt_create(*, prompt_type: str, prompt_value: str, is_active: bool = True) -> Prompt:
    """A new prompt; a type the account already has is a 409 (use save to replace it)."""
    return _create(tenancy.require().account_id, prompt_type, prompt_value, is_active)


def _create(account_id: int, prompt_type: str, prompt_value: str, is_active: bool) -> Prompt:
    try:
        with transaction.atomic():
            return Prompt.objects.create(
                account_id=account_id,
                prompt_type=prompt_type,
                prompt_value=prompt_value,
                is_active=is_active,
            )
    except IntegrityError as exc:
        raise ConflictError(
            "This account already has a prompt of this type.",
            code="duplicate",
            errors={"prompt_type": ["Already exists; use save to replace it."]},
        ) from exc


def _unknown(prompt_type: str, status: int = 400) -> ApplicationError:
    return ApplicationError(
        f"Unknown prompt type {prompt_type!r}.",
        code="not_found" if status == 404 else "invalid",
        status=status,
        errors={"prompt_type": [f"Known types: {', '.join(prompts_defaults.PROMPT_TYPES)}."]},
    )
