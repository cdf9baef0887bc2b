"""AI product descriptions (001 `ai/generate/description/`), through the AI gateway and
paid in credits.

The credits are held before the model is called (402 at once when they are missing, and
no provider call is paid for by nobody), captured when the description came back and
released when it did not, so a failed generation costs nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils import timezone

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.commerce.models import Product
from flowline.core.errors import ApplicationError

OPERATION = "product_description"
LENGTHS = {
    "short": "about 40 words",
    "medium": "about 90 words",
    "long": "about 180 words",
}


@dataclass(frozen=True)
class GeneratedDescription:
    description: str
    bullets: list[str]
    credits_used: int
    offline: bool
    model: str
    saved: bool


def _details(product: Product | None, features: list[str], length: str) -> str:
    lines = [f"- {feature}" for feature in features]
    if product is not None:
        if product.category_id:
            lines.append(f"- Category: {product.category.name}")
        if product.short_description:
            lines.append(f"- {product.short_description}")
        lines.append(f"- Price: {product.price} {product.currency}")
    lines.append(f"- Length: {LENGTHS.get(length, LENGTHS['medium'])}")
    return "\n".join(lines)


def _parse(result: ai.ChatResult) -> tuple[str, list[str]]:
    """The model's JSON answer, or its plain text when it did not answer JSON."""
    try:
        data = result.json()
    except (json.JSONDecodeError, TypeError, ValueError):
        return result.text.strip(), []
    if not isinstance(data, dict):
        return result.text.strip(), []
    bullets = [str(item) for item in data.get("bullets") or [] if str(item).strip()]
    return str(data.get("description") or "").strip(), bullets


def description_generate(
    *,
    account_id: int,
    user_id: int | None,
    product: Product | None = None,
    name: str = "",
    features: list[str] | None = None,
    tone: str = "friendly",
    length: str = "medium",
    save: bool = False,
) -> GeneratedDescription:
    """Write a description for `product` (or a product described by `name` and
    `features`); with `save` it becomes the product's description."""
    if product is None and not name.strip():
        raise ApplicationError(
            "Give a product_id or a name.", errors={"name": ["Required without product_id."]}
        )
    if save and product is None:
        raise ApplicationError("Saving needs a product_id.", errors={"save": ["Needs product_id."]})
    prompt = ai.prompt_render(
        account_id=account_id,
        prompt_type=OPERATION,
        tone=tone,
        name=product.name if product is not None else name,
        details=_details(product, features or [], length),
    )
    with billing.paid_step(
        account_id=account_id, operation_type=OPERATION, user_id=user_id
    ) as step:
        result = step.record(
            ai.chat(
                account_id=account_id,
                messages=[{"role": "user", "content": prompt}],
                operation=OPERATION,
                json_mode=True,
            )
        )
        description, bullets = _parse(result)
        if not description:
            raise ApplicationError(
                "The AI answered with no description.", code="empty_answer", status=502
            )
        if save:
            # Saved inside the paid block: a failed save gives the credits back.
            Product.objects.filter(id=product.id).update(
                description=description, updated_at=timezone.now()
            )
    return GeneratedDescription(
        description=description,
        bullets=bullets,
        credits_used=step.credits,
        offline=result.offline,
        model=result.model,
        saved=save,
    )
