"""Import a 100,000-row keyword CSV through `POST planner/keywords/import_keywords/`.

    .venv/bin/python benchmarks/planner_import.py [--rows 100000] [--db sqlite|postgres]

Writes the CSV to a temporary file (1 row in 50 bad, 1 in 100 a duplicate), then posts it
in-process through the API client (multipart parsing, JWT authentication, the view, the
streaming import) on a fresh database, and prints the wall time, rows per second and how
much the process's peak memory (max RSS) grew during the import; --trace-memory also
reports the Python heap's peak during the import (tracemalloc, slower). Target: under 30 s for
100,000 rows, memory bounded (the file is streamed and inserted in batches).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import planner_data


def write_csv(path: Path, rows: int) -> tuple[int, int]:
    bad = duplicates = 0
    pairs = planner_data.keywords(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Keyword", "Volume", "KD", "Intent", "CPC"])
        for index, (keyword, _) in enumerate(pairs):
            if index % 50 == 49:
                writer.writerow([keyword, "many", "10", "", ""])
                bad += 1
            elif index % 100 == 1 and index > 1:
                writer.writerow([pairs[index - 1][0].upper(), "10", "10", "", ""])
                duplicates += 1
            else:
                writer.writerow([keyword, (index * 37) % 50_000, index % 101, "commercial", "1.25"])
    return bad, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--trace-memory", action="store_true", help="tracemalloc the import (slower)"
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    args = parser.parse_args()
    planner_data.setup(args.db)

    from django.conf import settings
    from rest_framework.test import APIClient

    from flowline.identity import tokens
    from flowline.planner.models import Keyword

    settings.PLANNER_IMPORT_MAX_ROWS = max(settings.PLANNER_IMPORT_MAX_ROWS, args.rows + 1)
    settings.PLANNER_IMPORT_MAX_BYTES = 64 * 1024 * 1024
    settings.FLOWLINE_MAX_UPLOAD_BYTES = 64 * 1024 * 1024
    user, account_id, _, sector = planner_data.account()
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION="Bearer " + tokens.issue_pair(user=user, account_id=account_id)["access"]
    )
    path = Path(tempfile.mkdtemp()) / "keywords.csv"
    bad, duplicates = write_csv(path, args.rows)
    size = path.stat().st_size
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{args.rows} rows, {size / 1e6:.1f} MB CSV ({bad} bad, {duplicates} duplicates), {engine}"
    )

    if args.trace_memory:
        tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with path.open("rb") as upload:
        response = client.post(
            "/api/v1/planner/keywords/import_keywords/",
            {"file": upload, "sector_id": sector.id},
            format="multipart",
        )
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    traced_peak = tracemalloc.get_traced_memory()[1] if args.trace_memory else None
    assert response.status_code == 200, response.content[:500]
    data = response.json()["data"]
    stored = Keyword.unscoped.filter(account_id=account_id).count()
    assert data["imported_count"] == stored == args.rows - bad - duplicates, (data, stored)
    assert data["error_count"] == bad + duplicates
    print(
        f"imported {data['imported_count']} keywords, {data['error_count']} rows reported "
        f"({data['duplicate_count']} duplicates, {len(data['errors'])} listed)"
    )
    print(f"time: {elapsed:.1f} s ({args.rows / elapsed:,.0f} rows/s)")
    print(
        f"peak RSS grew by {(rss_after - rss_before) / 1024:.0f} MB during the import "
        f"(process peak {rss_after / 1024:.0f} MB, set before by migrations and the CSV)"
    )
    if traced_peak is not None:
        print(f"Python heap peak during the import (tracemalloc): {traced_peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
