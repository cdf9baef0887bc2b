"""Jobs per second end to end: HTTP submit -> queue -> worker -> fake provider (50 ms) -> done.

    .venv/bin/python benchmarks/jobs_throughput.py --mode embedded [--jobs 200]
    .venv/bin/python benchmarks/jobs_throughput.py --mode scaled   [--jobs 200]  # needs Redis

Embedded: one uvicorn process with its in-process worker (concurrency 4). Scaled: the web
process plus a separate `celery worker` (threads, concurrency 8) on Redis. Each job is a
real `ai/generate/` call: credits held, the OpenAI-compatible fake answers after 50 ms
(streaming), credits charged, task_update published.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import httpx

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _server import ROOT, flowline_server, login


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["embedded", "scaled"], default="embedded")
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from flowline.ai.testing.fake_openai import GOOD_KEY, FakeOpenAI

    env = {"FLOWLINE_EMBEDDED_WORKER": "true", "FLOWLINE_EMBEDDED_CONCURRENCY": "4"}
    if args.mode == "scaled":
        env = {"REDIS_URL": args.redis, "FLOWLINE_EMBEDDED_WORKER": "false"}
    with (
        FakeOpenAI(delay=args.delay) as fake,
        # The fake model server is on 127.0.0.1: allow-listed, as a local one would be.
        flowline_server(
            {**env, "FLOWLINE_ALLOWED_PRIVATE_HOSTS": fake.root.removeprefix("http://")}
        ) as (base_url, server_env, creds),
    ):
        worker = None
        if args.mode == "scaled":
            subprocess.run(
                ["redis-cli", "-u", args.redis, "flushdb"], check=False, capture_output=True
            )
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "threads",
                    "-c",
                    "8",
                    "-l",
                    "WARNING",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                env=server_env,
                cwd=ROOT,
            )
        try:
            http = httpx.Client(
                base_url=base_url,
                timeout=30,
                headers={"Authorization": f"Bearer {login(base_url, creds)}"},
            )
            http.post(
                "/api/v1/automations/llm-providers/",
                json={
                    "name": "Fake",
                    "kind": "openai_compatible",
                    "base_url": fake.base_url,
                    "api_key": GOOD_KEY,
                    "is_default": True,
                },
            ).raise_for_status()
            http.post(
                "/api/v1/admin/billing/credits/adjust/",
                json={"account_id": 1, "amount": 1_000_000, "reason": "benchmark"},
            ).raise_for_status()
            started = time.perf_counter()
            for n in range(args.jobs):
                http.post(
                    "/api/v1/ai/generate/", json={"prompt": f"tagline {n}"}
                ).raise_for_status()
            submitted = time.perf_counter() - started
            deadline = time.monotonic() + 300
            while True:
                done = http.get(
                    "/api/v1/jobs/", params={"status": "completed", "page_size": 1}
                ).json()["count"]
                if done >= args.jobs or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            failed = http.get("/api/v1/jobs/", params={"status": "failed", "page_size": 1}).json()[
                "count"
            ]
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)
    print(f"Jobs end to end ({args.mode}, fake provider {args.delay * 1000:.0f} ms):")
    print(f"  {args.jobs} jobs submitted in {submitted:.1f}s, {done} completed, {failed} failed")
    print(f"  {done / elapsed:.1f} jobs/s from first submit to last completion ({elapsed:.1f}s)")


if __name__ == "__main__":
    main()
