"""Free-form text generation as a background job (`POST ai/generate/`).

The answer streams from the provider; progress rises as it arrives and the job's
`task_update` events carry it. Credits (operation `ai_text`) are held when the job is
queued and charged only if it completes.
"""

from __future__ import annotations

from flowline.ai import public as ai
from flowline.jobs.public import job_handler

KIND = "ai.generate_text"
OPERATION = "ai_text"


@job_handler(KIND, max_attempts=3)
def generate_text(job) -> dict:
    """Runs the prompt through the account's provider (or the agent's), streaming."""
    payload = job.payload
    messages = []
    if payload.get("system"):
        messages.append({"role": "system", "content": payload["system"]})
    messages.append({"role": "user", "content": payload["prompt"]})
    budget = int(payload.get("max_tokens") or 512)
    received = {"chars": 0, "steps": 0}

    def on_token(piece: str) -> None:
        received["chars"] += len(piece)
        # ~4 characters a token; report every few pieces, never 100 before the end
        received["steps"] += 1
        if received["steps"] % 8 == 0:
            percentage = min(95, 10 + int(85 * received["chars"] / (budget * 4)))
            job.progress(percentage, phase="AI_CALL", message="Writing")

    job.progress(5, phase="PREPARING", message="Calling the model")
    result = ai.chat(
        account_id=job.account_id,
        messages=messages,
        operation=OPERATION,
        job_id=job.id,
        stream=True,
        on_token=on_token,
        max_tokens=budget,
        model=payload.get("model"),
        agent_id=payload.get("agent_id"),
        temperature=payload.get("temperature"),
    )
    job.progress(100, phase="DONE", message="Done")
    return {
        "text": result.text,
        "provider": result.provider,
        "model": result.model,
        "offline": result.offline,
        "tokens_in": result.tokens_in,
        "tokens_out": result.tokens_out,
    }
