"""Runware image generation over its REST API: POST a JSON array of tasks to one endpoint.

An `imageInference` task answers `data[0].imageURL` or `imageBase64Data` (per
`outputType`); failures answer an `errors` array with an HTTP status. "Test connection"
sends an `authentication` task. Calls go through the gateway's outbound client (guarded,
redirects not followed).
"""

from __future__ import annotations

import base64
import uuid
from decimal import Decimal

from django.conf import settings

from flowline.ai.gateway import errors
from flowline.ai.gateway.types import Picture, Target
from flowline.core import outbound


def generate_image(
    target: Target, *, prompt: str, size: str, output_type: str = "URL", negative_prompt: str = ""
) -> Picture:
    width, height = _dimensions(size)
    task = {
        "taskType": "imageInference",
        "taskUUID": str(uuid.uuid4()),
        "positivePrompt": prompt,
        "model": target.model,
        "width": width,
        "height": height,
        "numberResults": 1,
        "outputType": output_type,
        "outputFormat": "PNG",
        "includeCost": True,
    }
    if negative_prompt:
        task["negativePrompt"] = negative_prompt
    data = _post(target, [task], timeout=settings.AI_IMAGE_TIMEOUT_SECONDS)
    result = next((item for item in data if item.get("taskUUID") == task["taskUUID"]), None)
    if result is None:
        raise errors.AIProviderError(
            "Runware answered without the image.", kind=errors.UNAVAILABLE, provider="runware"
        )
    encoded = result.get("imageBase64Data")
    cost = result.get("cost")
    return Picture(
        model=target.model,
        data=base64.b64decode(encoded) if encoded else None,
        url=result.get("imageURL"),
        reported_cost=Decimal(str(cost)) if cost is not None else None,
        metadata={"image_uuid": result.get("imageUUID", ""), "task_uuid": task["taskUUID"]},
    )


def check_key(target: Target) -> None:
    """Authenticate with the key; raises AIProviderError when Runware refuses it."""
    _post(target, [{"taskType": "authentication", "apiKey": target.api_key}], timeout=None)


def _post(target: Target, tasks: list[dict], *, timeout: float | None) -> list[dict]:
    timeout = timeout or settings.AI_TIMEOUT_SECONDS
    with errors.ProviderClient(
        provider=target.provider, model=target.model, timeout=timeout
    ) as client:
        response = client.request(
            "POST",
            target.base_url or settings.RUNWARE_BASE_URL,
            json=tasks,
            headers={"Authorization": f"Bearer {target.api_key}"},
            check=False,
        )
    body = outbound.json_body(response)
    if not response.is_success or body.get("errors") or body.get("error"):
        # Runware also reports a failed task in a 200 answer; a redirect is not followed.
        status = response.status_code if not response.is_success else 400
        raise errors.from_status(
            status,
            headers=response.headers,
            detail=outbound.error_detail(body),
            timeout=timeout,
            provider=target.provider,
            model=target.model,
        )
    return body.get("data") or []


def _dimensions(size: str) -> tuple[int, int]:
    """Runware takes multiples of 64 between 128 and 2048."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        width = height = 1024
    return _snap(width), _snap(height)


def _snap(value: int) -> int:
    return max(128, min(2048, round(value / 64) * 64))
