"""Mixed load: simulated users over the main journeys, then "nothing lost" checked in the DB.

    .venv/bin/python benchmarks/mixed_load.py --mode embedded [--users 200] [--duration 600]
    .venv/bin/python benchmarks/mixed_load.py --mode scaled   # PostgreSQL + Redis, the Procfile
    .venv/bin/python benchmarks/mixed_load.py --mode embedded --soak 3600 --users 100

Needs the `bench` extra (Locust, psutil): `.venv/bin/pip install -e '.[bench]'`.

1. Seeds a fresh database (SQLite in a temp FLOWLINE_VAR_DIR for `embedded`; for `scaled` a
   `flowline_h7_load` PostgreSQL database, dropped and made again, next to `--database-url`):
   `--accounts` accounts on a plan without limits, each with `--users-per-account` members,
   two sites with two sectors, 2,000 keywords, 200 products, a WhatsApp inbox and each site
   connected to the sandbox WordPress. No AI provider is configured, so AI jobs run on the
   offline provider. The sandbox WordPress (flowline/sandbox/wordpress) runs as its own
   process, so what it stores does not count in Flowline's memory.
2. Starts Flowline: `embedded` is `make run`'s uvicorn with its embedded worker (SQLite,
   in-memory broker); `scaled` is the Procfile under honcho (two web nodes, two Celery
   workers, beat) on PostgreSQL and Redis, users split evenly between the two web nodes.
3. Runs `--users` Locust users (one process, gevent) for `--duration` seconds: each logs
   in, then picks weighted journeys with 1-5 s of thought between them (see JOURNEYS):
   browse lists, search keywords, start AI jobs (text generation, keyword clustering),
   write and publish an article to WordPress, answer a customer's chat message (the
   sandbox customer's signed Meta webhook), ingest analytics events, log in again.
4. Waits up to `--grace` seconds for every job to end, then checks in the database: every
   job the API answered exists and ended; every held credit was charged or given back,
   each completed paid job charged exactly once (one deduction per captured hold, none
   for failed jobs), balances equal to their ledger; every chat message and analytics
   event the API accepted stored.
5. Prints p50/p95/p99 and errors per journey and overall against the targets (p99 <
   800 ms, errors < 0.1%), and the RSS of the web process(es) and workers, sampled every
   `--sample` seconds: after warm-up (`--warmup`, default a fifth of the run), at the end,
   the peak, and growth after warm-up against the 10% limit. `--soak 3600` is the same run
   for an hour (the memory soak). The load average is printed with every figure.
"""

from __future__ import annotations
