"""Flowline's API against a raw ASGI app and a stock DRF app doing the same queries.

    .venv/bin/python benchmarks/run_api.py [--db sqlite|postgres] [--duration 12]
        [--server uvicorn|granian] [--interface asgi|wsgi]

It starts three servers (the raw app of raw_asgi.py, the stock DRF app of stock_drf/ and
Flowline's config.asgi) with uvicorn (or granian, `--server`) as production would
(1 worker, no access log, DEBUG off, persistent database connections, no embedded Celery
worker), pinned to core 0, and loads them from core 1 with wrk: 16 connections,
--duration seconds per run, on 127.0.0.1 only, with a Bearer token. `--interface wsgi`
serves Flowline and the stock app through their WSGI entry points instead (the raw app
is ASGI only). Per endpoint, after a warm-up, the servers are loaded in turn --rounds
times (interleaved, so a busy neighbour hurts all alike) and the best run of each is
kept. It prints req/s, p50 and p99 per endpoint, the ratios Flowline / raw and
Flowline / stock DRF and whether the bars (ratio to raw >= 0.33, to stock >= 3,
p99 < 50 ms) are met, and stops by itself. On PostgreSQL it also prints how
many database sessions each server opened while measured (persistent connections: a few,
not one per request). FLOWLINE_ASGI_HANDLER=django measures Django's stock ASGI handler instead.

Throttling stays on, with THROTTLE_USER/THROTTLE_ANON raised so that it counts every
request (in the cache, Redis when REDIS_URL is set) but never answers 429.
--db postgres uses a `<name>_bench` database next to DATABASE_URL's `<name>` (created
when missing), never DATABASE_URL's own.
"""
