"""What other apps may use of the AI engine: the gateway, its errors, prompts, metering.

from flowline.ai import public as ai
result = ai.chat(account_id=..., messages=[...], operation="generate_ideas", job_id=job.id)
"""

from flowline.ai.gateway import (
    OFFLINE_NOTE,
    AIProviderError,
    AIUsage,
    ChatResult,
    ImageResult,
    chat,
    embed,
    generate_image,
    image_bytes,
    register_usage_listener,
    unregister_usage_listener,
)
from flowline.ai.services.prompts import prompt_render, prompt_text

__all__ = [
    "OFFLINE_NOTE",
    "AIProviderError",
    "AIUsage",
    "ChatResult",
    "ImageResult",
    "chat",
    "embed",
    "generate_image",
    "image_bytes",
    "prompt_render",
    "prompt_text",
    "register_usage_listener",
    "unregister_usage_listener",
]
