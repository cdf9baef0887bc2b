"""A fake Runware REST API on 127.0.0.1: POST a JSON array of tasks to /v1.

Tasks: `authentication` and `imageInference` (outputType URL, served by this fake at
/images/<uuid>.png, or base64Data; `includeCost` adds a cost). The key comes from the
Authorization header or an authentication task. Error modes by key or model name:
`bad-key` (401 invalidApiKey), `rate-limited` (429, Retry-After: 3), `server-error`
(500), `slow` (answers only when the fake stops).
"""

from __future__ import annotations

import base64
import uuid

from flowline.ai.testing.fake_openai import png
from flowline.sandbox.server import FakeServer, Reply

GOOD_KEY = "rw-fake-good-key-5678"
COST = 0.0013
_ERRORS = {
    "bad-key": (401, "invalidApiKey", "Invalid API key."),
    "rate-limited": (429, "rateLimitExceeded", "Too many requests."),
    "server-error": (500, "internalServerError", "Something went wrong."),
}


class FakeRunware(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, bytes] = {}

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def handle(self, request: dict, reply: Reply) -> None:
        path = request["path"].split("?")[0]
        if request["method"] == "GET" and path.startswith("/images/"):
            name = path.rsplit("/", 1)[-1].removesuffix(".png")
            if name not in self.images:
                return reply.json(404, {"errors": [{"code": "notFound", "message": "No image"}]})
            return reply.raw(200, self.images[name], "image/png")
        tasks = request["json"]
        if request["method"] != "POST" or path != "/v1" or not isinstance(tasks, list):
            return reply.json(
                400,
                {"errors": [{"code": "invalidPayload", "message": "POST a JSON array of tasks."}]},
            )
        key = self.bearer(request)
        for task in tasks:
            if task.get("taskType") == "authentication":
                key = task.get("apiKey", key)
        mode = key if key in _ERRORS or key == "slow" else None
        mode = mode or next((t.get("model") for t in tasks if t.get("model") in _ERRORS), None)
        if mode == "slow":
            self.release.wait(30)
        elif mode:
            status, code, message = _ERRORS[mode]
            headers = {"Retry-After": "3"} if status == 429 else None
            return reply.json(status, {"errors": [{"code": code, "message": message}]}, headers)
        if not key:
            return reply.json(401, {"errors": [{"code": "missingApiKey", "message": "No key."}]})
        return reply.json(200, {"data": [self._task(task) for task in tasks]})

    def _task(self, task: dict) -> dict:
        if task.get("taskType") == "authentication":
            return {"taskType": "authentication", "connectionSessionUUID": str(uuid.uuid4())}
        image_uuid = str(uuid.uuid4())
        result = {
            "taskType": task.get("taskType"),
            "taskUUID": task.get("taskUUID"),
            "imageUUID": image_uuid,
        }
        image = png(size=(task.get("width", 64) // 8, task.get("height", 64) // 8))
        if task.get("outputType") == "base64Data":
            result["imageBase64Data"] = base64.b64encode(image).decode()
        else:
            self.images[image_uuid] = image
            result["imageURL"] = f"{self.root}/images/{image_uuid}.png"
        if task.get("includeCost"):
            result["cost"] = COST
        return result
