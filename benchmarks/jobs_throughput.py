"""Jobs per second end to end: HTTP submit -> queue -> worker -> fake provider (50 ms) -> done.

    .venv/bin/python benchmarks/jobs_throughput.py --mode embedded [--jobs 200]
    DATABASE_URL=postgres://...  .venv/bin/python benchmarks/jobs_throughput.py --mode scaled \
        --redis redis://127.0.0.1:6379/N   # the database is emptied and migrated: a scratch one

Embedded: one uvicorn process with its in-process worker (concurrency 4). Scaled: the web
process plus a separate `celery worker` (threads, concurrency 4) on Redis. Each job is a
real `ai/generate/` call: credits held, the OpenAI-compatible fake answers after 50 ms
(streaming), credits charged, task_update published. The bound is concurrency / delay.

`--submitters` clients post the jobs at once (1 is one client posting one after another,
which bounds the rate by its own round trips). Every process that runs jobs writes the
time of each phase of each job (`flowline.jobs.timings`); the script prints the mean
wall and CPU time per job of each phase, the p50/p99 of the whole run, and the CPU time
of the worker process per job: the figure to trust on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _server import ROOT, flowline_server, login, percentile, throwaway


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["embedded", "scaled"], default="embedded")
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--submitters", type=int, default=4)
    args = parser.parse_args()
    timings_file = os.path.join(tempfile.mkdtemp(prefix="flowline-jobs-"), "timings.jsonl")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from flowline.ai.testing.fake_openai import GOOD_KEY, FakeOpenAI

    env = {
        "FLOWLINE_EMBEDDED_WORKER": "true",
        "FLOWLINE_EMBEDDED_CONCURRENCY": str(args.concurrency),
        "FLOWLINE_JOB_TIMINGS": timings_file,
    }
    if args.mode == "scaled":
        env = {
            "REDIS_URL": args.redis,
            "FLOWLINE_EMBEDDED_WORKER": "false",
            "FLOWLINE_JOB_TIMINGS": timings_file,
        }
    with (
        FakeOpenAI(delay=args.delay) as fake,
        # The fake model server is on 127.0.0.1: allow-listed, as a local one would be.
        flowline_server(
            {**env, "FLOWLINE_ALLOWED_PRIVATE_HOSTS": fake.root.removeprefix("http://")}
        ) as (base_url, server_env, creds),
    ):
        # The bootstrap account's plan allows a few hundred AI requests a period.
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from flowline.billing.models import Plan; "
                "Plan.objects.update(max_ai_requests=10**9)",
            ],
            env=server_env,
            cwd=ROOT,
            check=True,
        )
        worker = None
        if args.mode == "scaled":
            throwaway.redis_flush(args.redis)
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
                    str(args.concurrency),
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
            warm_up = wait_for_worker(http) if worker is not None else None
            started_at = time.time()
            started = time.perf_counter()

            def submit(numbers: range) -> None:
                with httpx.Client(
                    base_url=base_url, timeout=30, headers=dict(http.headers)
                ) as client:
                    for n in numbers:
                        client.post(
                            "/api/v1/ai/generate/", json={"prompt": f"tagline {n}"}
                        ).raise_for_status()

            with ThreadPoolExecutor(args.submitters) as pool:
                list(
                    pool.map(
                        submit,
                        [range(s, args.jobs, args.submitters) for s in range(args.submitters)],
                    )
                )
            submitted = time.perf_counter() - started
            deadline = time.monotonic() + 300
            while True:
                done = http.get(
                    "/api/v1/jobs/", params={"status": "completed", "page_size": 1}
                ).json()["count"] - (warm_up is not None)
                if done >= args.jobs or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
            failed = http.get("/api/v1/jobs/", params={"status": "failed", "page_size": 1}).json()[
                "count"
            ]
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)
    runs, starts = read_timings(timings_file, started_at, warm_up)
    if runs:  # the last completion as the worker wrote it, not when the poll saw it
        elapsed = max(line["at"] for line in runs) - started_at
    bound = args.concurrency / args.delay
    print(
        f"Jobs end to end ({args.mode}, fake provider {args.delay * 1000:.0f} ms, "
        f"{args.concurrency} worker threads, {args.submitters} submitting clients, "
        f"load average {os.getloadavg()[0]:.1f}):"
    )
    print(f"  {args.jobs} jobs submitted in {submitted:.1f}s, {done} completed, {failed} failed")
    rate = done / elapsed
    print(
        f"  {rate:.1f} jobs/s from first submit to last completion ({elapsed:.1f}s); "
        f"bound {bound:.0f}, target {bound / 2:.0f}: {'met' if rate >= bound / 2 else 'NOT met'}"
    )
    report_phases("per job run (worker thread)", runs)
    report_phases("per job start (web request, after the hold)", starts)
    if len(runs) > 1:
        ordered = sorted(runs, key=lambda line: line["at"])
        cpu = ordered[-1]["process_cpu"] - ordered[0]["process_cpu"]
        label = "web + embedded worker" if args.mode == "embedded" else "celery worker"
        print(
            f"  CPU of the {label} process per job (first to last completion): "
            f"{cpu / (len(ordered) - 1) * 1000:.1f} ms"
        )


def wait_for_worker(http: httpx.Client) -> str:
    """Until the Celery worker takes jobs, so its start-up is not counted; the job's id."""
    job = http.post("/api/v1/ai/generate/", json={"prompt": "warm-up"}).json()["data"]
    for _ in range(600):
        status = http.get(f"/api/v1/jobs/{job['task_id']}/").json()["data"]["status"]
        if status == "completed":
            return job["task_id"]
        time.sleep(0.1)
    raise RuntimeError("the worker did not run the warm-up job")


def read_timings(path: str, since: float, warm_up: str | None) -> tuple[list[dict], list[dict]]:
    """The runs and starts of the measured jobs (not the warm-up)."""
    if not os.path.exists(path):
        return [], []
    with open(path) as lines:
        rows = [
            row
            for row in map(json.loads, lines)
            if row["at"] >= since and (warm_up is None or row.get("job") != warm_up)
        ]
    return [row for row in rows if row["where"] == "run"], [
        row for row in rows if row["where"] == "start"
    ]


def report_phases(title: str, rows: list[dict]) -> None:
    if not rows:
        return
    walls: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        for name, figures in row["phases"].items():
            walls[name].append(figures["wall"] * 1000)
            cpus[name].append(figures["cpu"] * 1000)
            counts[name] += figures["n"]
    print(f"  {title}, {len(rows)} jobs: ms per job (own time, nested phases apart)")
    print(f"    {'phase':<32} {'calls':>5} {'wall mean':>9} {'p50':>7} {'p99':>7} {'CPU mean':>8}")
    total_wall = total_cpu = 0.0
    for name in sorted(walls, key=lambda n: -sum(walls[n])):
        wall, cpu = walls[name], cpus[name]
        total_wall += sum(wall) / len(rows)
        total_cpu += sum(cpu) / len(rows)
        print(
            f"    {name:<32} {counts[name] / len(rows):>5.1f} {sum(wall) / len(rows):>9.2f} "
            f"{percentile(wall, 50):>7.2f} {percentile(wall, 99):>7.2f} "
            f"{sum(cpu) / len(rows):>8.2f}"
        )
    print(f"    {'total':<32} {'':>5} {total_wall:>9.2f} {'':>7} {'':>7} {total_cpu:>8.2f}")


if __name__ == "__main__":
    main()
