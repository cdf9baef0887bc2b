"""`ai/chat/suggestions/` (001): reply suggestions from the conversation's recent messages
and the shop's products, through the AI gateway, paid in credits only when they come."""

from __future__ import annotations

import json

from flowline.ai import public as ai
from flowline.billing import public as billing
from flowline.chat import selectors
from flowline.chat.models import Conversation
from flowline.core.errors import ApplicationError

OPERATION = "chat_suggestions"
RECENT = 10


def suggestions_for(
    *, conversation: Conversation, count: int = 3, user_id: int | None = None
) -> dict:
    with billing.paid_step(
        account_id=conversation.account_id, operation_type=OPERATION, user_id=user_id
    ) as step:
        recent = list(
            selectors.messages_of(conversation=conversation).order_by("-created_at")[:RECENT]
        )
        transcript = "\n".join(
            f"{'Customer' if m.direction == 'inbound' else 'Shop'}: {m.body}"
            for m in reversed(recent)
        )
        try:
            from flowline.commerce.public import shop_context

            asked = " ".join(m.body for m in recent if m.direction == "inbound")
            products = shop_context(about=asked)
        except ImportError:  # commerce not installed
            products = []
        prompt = ai.prompt_render(
            account_id=conversation.account_id,
            prompt_type="chat_reply",
            context=json.dumps({"products": products}, ensure_ascii=False),
            conversation=transcript,
        )
        result = step.record(
            ai.chat(
                account_id=conversation.account_id,
                operation="chat_reply",
                json_mode=True,
                messages=[{"role": "user", "content": prompt}],
            )
        )
        suggestions = _parse(result.text)[:count]
        if not suggestions:
            raise ApplicationError(
                "The model gave no suggestions.", code="ai_empty_answer", status=502
            )
    return {
        "conversation_id": conversation.id,
        "suggestions": suggestions,
        "offline": result.offline,
        "products": [p["id"] for p in products],
    }


def _parse(text: str) -> list[str]:
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start >= 0 else {}
    except json.JSONDecodeError:
        data = {}
    items = data.get("suggestions") if isinstance(data, dict) else None
    return [str(item).strip() for item in items or [] if str(item).strip()]
