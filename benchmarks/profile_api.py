"""CPU per request of the benchmarked endpoints, in-process, with no server.

    .venv/bin/python benchmarks/profile_api.py [--db sqlite|postgres] [--n 400]
        [--endpoints me "sites list" "site detail"] [--pyinstrument | --cprofile FILE]

Seeds the benchmark database as run_api.py does (seed.py), then calls the request path
that PooledASGIHandler runs in its pool thread (`_respond`: request_started, the whole
middleware chain, the view, the closed response) in a loop, in the main thread, with the
same settings as the benchmark (DEBUG off, persistent connections, throttling counted).
It prints the CPU time per request (process time of the best of --batches batches, so a
busy machine changes it far less than wall-clock figures) and, with --pyinstrument or
--cprofile, where it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run_api import ENDPOINTS, base_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    parser.add_argument("--n", type=int, default=200, help="requests per batch")
    parser.add_argument(
        "--batches", type=int, default=5, help="batches per endpoint; the best is the figure"
    )
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=list(ENDPOINTS))
    parser.add_argument("--pyinstrument", action="store_true", help="print a pyinstrument tree")
    parser.add_argument("--cprofile", help="write cProfile stats to this file")
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()

    var_dir = Path(tempfile.gettempdir()) / f"flowline-bench-{args.db}"
    var_dir.mkdir(exist_ok=True)
    env = base_env(args.db, var_dir)
    if not args.no_seed or not (var_dir / "bench.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "seed.py"), "--sites", str(args.sites)],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    os.environ.update(env)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    bench = json.loads((var_dir / "bench.json").read_text())

    import django

    django.setup(set_prefix=False)
    import io

    from flowline.core.asgi import PooledASGIHandler

    handler = PooledASGIHandler(threads=1)
    site_id = _first_site_id(bench["account_id"])
    headers = [
        (b"host", b"127.0.0.1"),
        (b"authorization", f"Bearer {bench['token']}".encode()),
        (b"accept", b"*/*"),
    ]

    def environ_for(path: str) -> dict:
        path, _, query = path.partition("?")
        return {
            "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(),
            "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }  # fmt: skip

    def call(scope: dict) -> None:
        # What the pool thread runs for one request (PooledASGIHandler.handle).
        response = handler._respond(scope, io.BytesIO())
        assert response.status_code == 200, (response.status_code, response.content[:300])

    environs = {
        label: environ_for(path.format(site_id=site_id))
        for label, path in ENDPOINTS.items()
        if label in args.endpoints
    }
    for environ in environs.values():
        for _ in range(20):  # warm caches, connections, lazy imports
            call(environ)

    profiler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
    elif args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    for label, environ in environs.items():
        if profiler is not None:
            profiler.start() if args.pyinstrument else profiler.enable()
        per_batch, wall = [], []
        for _ in range(args.batches):
            cpu, started = time.process_time(), time.perf_counter()
            for _ in range(args.n):
                call(environ)
            per_batch.append((time.process_time() - cpu) / args.n * 1000)
            wall.append((time.perf_counter() - started) / args.n * 1000)
        if profiler is not None:
            profiler.stop() if args.pyinstrument else profiler.disable()
        per_batch.sort()
        print(
            f"{label:<12} {per_batch[0]:6.3f} ms CPU/request (best of {args.batches} batches "
            f"of {args.n}; median {per_batch[len(per_batch) // 2]:.3f}; wall "
            f"{min(wall):.3f} ms, database waits included) ({args.db})",
            flush=True,
        )
    if args.pyinstrument:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    elif args.cprofile:
        profiler.dump_stats(args.cprofile)


def _first_site_id(account_id: int) -> int:
    from flowline.sites.models import Site

    return Site.unscoped.filter(account_id=account_id).order_by("id").values_list("id")[0][0]


if __name__ == "__main__":
    main()
