"""CPU per request of the benchmarked endpoints, in-process, with no server.

    .venv/bin/python benchmarks/profile_api.py [--db sqlite|postgres] [--n 400]
        [--endpoints me "sites list" "site detail"] [--app flowline|stock|raw]
        [--pyinstrument | --cprofile FILE]

Seeds the benchmark database as run_api.py does (seed.py), then, per app, calls what its
server runs for one request in a loop, in the main thread, with the same settings as the
benchmark (DEBUG off, persistent connections, throttling counted):

- flowline: what PooledASGIHandler runs in its pool thread (`_respond`: request_started,
  the whole middleware chain, the view, the closed response);
- stock: the stock DRF app of `stock_drf/` through Django's WSGIHandler (the same
  steps: request_started, the middleware, the view, the closed response);
- raw: raw_asgi.py's functions for the endpoint and the orjson encoding (no server).

It prints the CPU time per request (process time of the best of --batches batches, so a
busy machine changes it far less than wall-clock figures). Without --app it measures
the three apps, each in a process of its own (one Django settings module per process),
and prints Flowline's CPU against the stock app's and the raw app's; with --app and
--pyinstrument or --cprofile, where one app's time goes.
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
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from apispeed.client import ENDPOINTS  # noqa: E402
from apispeed.servers import base_env, first_site_id  # noqa: E402

APPS = ("flowline", "stock", "raw")


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
    parser.add_argument("--app", choices=APPS, help="measure this app only, in this process")
    parser.add_argument("--pyinstrument", action="store_true", help="print a pyinstrument tree")
    parser.add_argument("--cprofile", help="write cProfile stats to this file")
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if (args.pyinstrument or args.cprofile) and not args.app:
        args.app = "flowline"

    var_dir = Path(tempfile.gettempdir()) / f"flowline-bench-{args.db}"
    var_dir.mkdir(exist_ok=True)
    env = base_env(args.db, var_dir)
    if not args.no_seed or not (var_dir / "bench.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "seed.py"), "--sites", str(args.sites)],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    if args.app:
        figures = measure_app(args, env, var_dir)
    else:
        figures = {app: measure_in_child(app, args) for app in APPS}
        print_ratios(figures, args.db)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


def measure_in_child(app: str, args) -> dict:
    """One app's figures, measured in a process of its own (its own settings module)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            sys.executable, __file__, "--app", app, "--no-seed", "--db", args.db,
            "--n", str(args.n), "--batches", str(args.batches), "--json", out.name,
            "--endpoints", *args.endpoints,
        ]  # fmt: skip
        subprocess.run(command, cwd=ROOT, check=True, timeout=1800)
        return json.loads(Path(out.name).read_text())


def print_ratios(figures: dict, db: str) -> None:
    print()
    print(
        f"| endpoint ({db}) | Flowline ms CPU | stock DRF ms CPU | raw ms CPU "
        "| stock / Flowline (target >= 3) | raw / Flowline |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, flow in figures["flowline"].items():
        stock, raw = figures["stock"][label], figures["raw"][label]
        print(
            f"| {label} | {flow:.3f} | {stock:.3f} | {raw:.3f} | "
            f"{stock / flow:.2f}x | {raw / flow:.2f} |"
        )


def measure_app(args, env: dict, var_dir: Path) -> dict:
    os.environ.update(env)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    bench = json.loads((var_dir / "bench.json").read_text())
    site_id = first_site_id(env, bench)
    paths = {
        label: path.format(site_id=site_id)
        for label, path in ENDPOINTS.items()
        if label in args.endpoints
    }
    call = {"flowline": flowline_caller, "stock": stock_caller, "raw": raw_caller}[args.app](
        bench["token"]
    )
    requests = {label: call(path) for label, path in paths.items()}
    for request in requests.values():
        for _ in range(20):  # warm caches, connections, lazy imports
            request()

    profiler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
    elif args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    figures = {}
    for label, request in requests.items():
        if profiler is not None:
            profiler.start() if args.pyinstrument else profiler.enable()
        per_batch, wall = [], []
        for _ in range(args.batches):
            cpu, started = time.process_time(), time.perf_counter()
            for _ in range(args.n):
                request()
            per_batch.append((time.process_time() - cpu) / args.n * 1000)
            wall.append((time.perf_counter() - started) / args.n * 1000)
        if profiler is not None:
            profiler.stop() if args.pyinstrument else profiler.disable()
        per_batch.sort()
        figures[label] = per_batch[0]
        print(
            f"{args.app:<8} {label:<12} {per_batch[0]:6.3f} ms CPU/request (best of "
            f"{args.batches} batches of {args.n}; median {per_batch[len(per_batch) // 2]:.3f}; "
            f"wall {min(wall):.3f} ms, database waits included) ({args.db})",
            flush=True,
        )
    if args.pyinstrument:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    elif args.cprofile:
        profiler.dump_stats(args.cprofile)
    return figures


def _headers(token: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"host", b"127.0.0.1"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"accept", b"*/*"),
    ]


def flowline_caller(token: str):
    import io

    import django

    django.setup(set_prefix=False)
    from flowline.core.asgi import PooledASGIHandler

    handler = PooledASGIHandler(threads=1)

    def call(path: str):
        path, _, query = path.partition("?")
        scope = {
            "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(),
            "root_path": "", "headers": _headers(token), "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }  # fmt: skip

        def request() -> None:
            # What the pool thread runs for one request (PooledASGIHandler.handle).
            response = handler._respond(scope, io.BytesIO())
            assert response.status_code == 200, (response.status_code, response.content[:300])

        return request

    return call


def stock_caller(token: str):
    import io

    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.stock_drf.settings"
    from django.core.wsgi import get_wsgi_application

    handler = get_wsgi_application()

    def call(path: str):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": "*/*",
            "HTTP_AUTHORIZATION": f"Bearer {token}", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip

        def start_response(status: str, headers) -> None:
            assert status.startswith("200"), status

        def request() -> None:
            response = handler(dict(environ), start_response)
            b"".join(response)
            response.close()  # request_finished, as a WSGI server does

        return request

    return call


def raw_caller(token: str):
    import orjson

    from benchmarks import raw_asgi

    def call(path: str):
        path, _, query = path.partition("?")
        if path == "/api/v1/auth/sites/":
            return lambda: orjson.dumps(raw_asgi.sites_page(query.encode()))
        if path == "/api/v1/auth/me/":
            return lambda: orjson.dumps(raw_asgi.me())
        site_id = int(path.rstrip("/").rsplit("/", 1)[1])
        return lambda: orjson.dumps(raw_asgi.site_detail(site_id))

    return call


if __name__ == "__main__":
    main()
