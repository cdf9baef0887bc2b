from flowline.ai.models.content import AuthorProfile, Prompt, Strategy
from flowline.ai.models.integrations import SECRET_KEYS, AICall, IntegrationSetting
from flowline.ai.models.providers import AIAgent, AIModel, LLMProvider

__all__ = [
    "SECRET_KEYS",
    "AIAgent",
    "AICall",
    "AIModel",
    "AuthorProfile",
    "IntegrationSetting",
    "LLMProvider",
    "Prompt",
    "Strategy",
]
