"""The AI gateway: the one way Flowline calls chat, embedding and image models."""

from flowline.ai.gateway.calls import chat, embed, generate_image, image_bytes
from flowline.ai.gateway.errors import AIProviderError
from flowline.ai.gateway.metering import (
    AIUsage,
    register_usage_listener,
    unregister_usage_listener,
)
from flowline.ai.gateway.types import OFFLINE_NOTE, ChatResult, ImageResult

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
    "register_usage_listener",
    "unregister_usage_listener",
]
