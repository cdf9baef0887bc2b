"""A fake OpenAI-compatible API on 127.0.0.1, speaking enough of the protocol for the SDK.

Routes: POST /v1/chat/completions (JSON, or SSE with "stream": true, usage in a last
chunk when stream_options.include_usage), POST /v1/embeddings, POST /v1/images/generations
(b64_json or url), GET /v1/models. Error modes, chosen by the API key or the model name:

    bad-key       401 invalid_api_key          forbidden-key  403
    rate-limited  429 with Retry-After: 7      server-error   500
    slow          answers only when the fake stops (clients time out first)
    missing-model 404 model_not_found
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import threading

from PIL import Image

from flowline.sandbox.server import FakeServer, Reply

CHAT_MODEL = "fake-chat"
EMBEDDING_MODEL = "fake-embedding"
IMAGE_MODEL = "fake-image"
GOOD_KEY = "sk-fake-good-key-1234"
MODES = {"bad-key", "forbidden-key", "rate-limited", "server-error", "slow", "missing-model"}


def png(color=(30, 120, 200), size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeOpenAI(FakeServer):
    """`base_url` goes into the provider settings; `delay` (seconds) slows every answer."""

    def __init__(self, *, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay
        self.files: dict[str, bytes] = {}
        self._pause = threading.Event()
        # A test may script chat answers: `responder(request_body) -> answer text`.
        self.responder = None
        # ... and the bytes of generated images (a PNG by default).
        self.image: bytes | None = None

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def handle(self, request: dict, reply: Reply) -> None:
        if self.delay:
            self._pause.wait(self.delay)
        body = request["json"] if isinstance(request["json"], dict) else {}
        path = request["path"].split("?")[0]
        if request["method"] == "GET" and path.startswith("/files/"):
            return reply.raw(200, self.files.get(path.rsplit("/", 1)[-1], b""), "image/png")
        mode = self._mode(self.bearer(request), str(body.get("model", "")))
        if mode and self._error(mode, reply, body):
            return None
        if request["method"] == "GET" and path == "/v1/models":
            return reply.json(200, self._models())
        routes = {
            "/v1/chat/completions": self._chat,
            "/v1/embeddings": self._embeddings,
            "/v1/images/generations": self._images,
        }
        route = routes.get(path) if request["method"] == "POST" else None
        if route is None:
            return reply.json(404, _error("Unknown route", "invalid_request_error", None))
        return route(body, reply)

    def _mode(self, key: str, model: str) -> str | None:
        if key in MODES:
            return key
        return model if model in MODES else None

    def _error(self, mode: str, reply: Reply, body: dict) -> bool:
        if mode == "slow":
            self.release.wait(30)
            return False
        status, error = {
            "bad-key": (
                401,
                _error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
            ),
            "forbidden-key": (403, _error("Not allowed.", "invalid_request_error", None)),
            "rate-limited": (429, _error("Rate limit reached.", "requests", "rate_limit_exceeded")),
            "server-error": (500, _error("The server had an error.", "server_error", None)),
            "missing-model": (
                404,
                _error(
                    f"The model `{body.get('model')}` does not exist.",
                    "invalid_request_error",
                    "model_not_found",
                ),
            ),
        }[mode]
        headers = {"Retry-After": "7"} if status == 429 else None
        reply.json(status, error, headers)
        return True

    def _chat(self, body: dict, reply: Reply) -> None:
        messages = body.get("messages") or []
        last = next((m for m in reversed(messages) if m.get("role") == "user"), {})
        text = str(last.get("content", ""))
        if self.responder is not None:
            answer = self.responder(body)
        elif (body.get("response_format") or {}).get("type") == "json_object":
            answer = '{"echo": ' + json.dumps(text[:200]) + "}"
        else:
            answer = f"Fake reply to: {text[:200]}"
        usage = {
            "prompt_tokens": sum(len(str(m.get("content", "")).split()) for m in messages),
            "completion_tokens": len(answer.split()),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        model = body.get("model", CHAT_MODEL)
        if not body.get("stream"):
            return reply.json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": answer},
                        }
                    ],
                    "usage": usage,
                },
            )
        base = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
        }
        words = answer.split(" ")
        chunks = [
            {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
        ]
        for index, word in enumerate(words):
            piece = word + (" " if index < len(words) - 1 else "")
            chunks.append({**base, "choices": [{"index": 0, "delta": {"content": piece}}]})
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            chunks.append({**base, "choices": [], "usage": usage})
        return reply.events(chunks)

    def _embeddings(self, body: dict, reply: Reply) -> None:
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        data = [
            {"object": "embedding", "index": index, "embedding": vector(str(text))}
            for index, text in enumerate(texts)
        ]
        tokens = sum(len(str(text).split()) for text in texts)
        return reply.json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", EMBEDDING_MODEL),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _images(self, body: dict, reply: Reply) -> None:
        image = png() if self.image is None else self.image
        item = {"revised_prompt": f"Revised: {body.get('prompt', '')}"}
        if body.get("response_format") == "url":
            name = hashlib.sha256(str(body.get("prompt")).encode()).hexdigest()[:16] + ".png"
            self.files[name] = image
            item["url"] = f"{self.root}/files/{name}"
        else:
            item["b64_json"] = base64.b64encode(image).decode()
        return reply.json(200, {"created": 0, "data": [item]})

    def _models(self) -> dict:
        names = [CHAT_MODEL, EMBEDDING_MODEL, IMAGE_MODEL]
        return {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "flowline-tests"}
                for name in names
            ],
        }


def vector(text: str, dim: int = 8) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    raw = [digest[i] - 128 for i in range(dim)]
    norm = math.sqrt(sum(v * v for v in raw)) or 1.0
    return [v / norm for v in raw]


def _error(message: str, kind: str, code: str | None) -> dict:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}
