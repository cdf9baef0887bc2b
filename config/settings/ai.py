"""The AI gateway's environment fallback, used when an account has configured no provider.

With no key at all Flowline answers with its built-in offline provider, so every feature
works with no external service; the results say that they come from it.
"""

import environ

env = environ.Env()

OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
# Any OpenAI-compatible API: OpenAI, Gemini's OpenAI endpoint, Ollama, vLLM.
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
AI_CHAT_MODEL = env.str("AI_CHAT_MODEL", default="gpt-4o-mini")
AI_EMBEDDING_MODEL = env.str("AI_EMBEDDING_MODEL", default="text-embedding-3-small")
AI_IMAGE_MODEL = env.str("AI_IMAGE_MODEL", default="dall-e-3")
# "openai" or "runware"; empty picks Runware when only its key is set.
AI_IMAGE_PROVIDER = env.str("AI_IMAGE_PROVIDER", default="")
RUNWARE_API_KEY = env.str("RUNWARE_API_KEY", default="")
RUNWARE_BASE_URL = env.str("RUNWARE_BASE_URL", default="https://api.runware.ai/v1")
RUNWARE_IMAGE_MODEL = env.str("RUNWARE_IMAGE_MODEL", default="runware:101@1")

# Every outbound call has a deadline; the jobs layer retries what times out.
AI_TIMEOUT_SECONDS = env.float("AI_TIMEOUT_SECONDS", default=60.0)
AI_IMAGE_TIMEOUT_SECONDS = env.float("AI_IMAGE_TIMEOUT_SECONDS", default=120.0)
AI_CONNECT_TIMEOUT_SECONDS = env.float("AI_CONNECT_TIMEOUT_SECONDS", default=10.0)
# Size of the offline provider's hashed bag-of-words embeddings.
AI_OFFLINE_EMBEDDING_DIM = env.int("AI_OFFLINE_EMBEDDING_DIM", default=256)
# Offline vectors for clustering, the linker, chat product retrieval and agent matching:
# "tfidf" (no model), "wordllama" (the model packaged in the `embeddings` extra, never
# downloaded) or "auto" (wordllama when that extra is installed).
FLOWLINE_EMBEDDINGS = env.str("FLOWLINE_EMBEDDINGS", default="tfidf")
