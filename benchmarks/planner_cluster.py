"""Cluster 10,000 keywords offline with `planner.public.cluster_keywords`.

    .venv/bin/python benchmarks/planner_cluster.py [--keywords 10000] [--db sqlite|postgres]

Seeds a fresh account with N synthetic keywords (a topic noun with a search modifier, so
every keyword has a known topic), runs the clustering the `planner.auto_cluster` job runs
(offline TF-IDF vectors, agglomerative clustering, naming through the offline provider,
saving) and prints the wall time per phase, the number of clusters and how well they match
the topics (homogeneity: a cluster holds one topic; completeness: a topic sits in one
cluster; V-measure: their harmonic mean). Target: under 60 s for 10,000 keywords.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import planner_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=10_000)
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
    )
    args = parser.parse_args()
    planner_data.setup(args.db)

    from sklearn.metrics import completeness_score, homogeneity_score, v_measure_score

    from flowline.core.tenancy import tenant_scope
    from flowline.planner.models import Keyword
    from flowline.planner.public import cluster_keywords

    _, account_id, site, sector = planner_data.account()
    pairs = planner_data.keywords(args.keywords)
    with tenant_scope(account_id):
        Keyword.unscoped.bulk_create(
            [
                Keyword(
                    account_id=account_id,
                    site=site,
                    sector=sector,
                    keyword=text,
                    normalized=text,
                    volume=(index * 37) % 5000,
                )
                for index, (text, _) in enumerate(pairs)
            ],
            batch_size=2000,
        )
    topic_of = dict(pairs)
    ids = list(Keyword.unscoped.filter(account_id=account_id).values_list("id", flat=True))
    print(f"{len(ids)} keywords, {len(set(topic_of.values()))} topics, offline vectors")

    marks: list[tuple[float, str]] = []
    started = time.perf_counter()
    with tenant_scope(account_id):
        clusters = cluster_keywords(
            account_id=account_id,
            keyword_ids=ids,
            progress=lambda pct, message: marks.append((time.perf_counter(), message)),
        )
    elapsed = time.perf_counter() - started

    phases: dict[str, float] = {}
    ends = [moment for moment, _ in marks[1:]] + [started + elapsed]
    for (moment, message), end in zip(marks, ends, strict=True):
        phases[message] = phases.get(message, 0.0) + end - moment
    rows = Keyword.unscoped.filter(account_id=account_id).values_list("keyword", "cluster_id")
    truth, labels = zip(*((topic_of[text], cluster) for text, cluster in rows), strict=True)
    sizes = sorted((c.keywords_count for c in clusters), reverse=True)
    print(f"time: {elapsed:.1f} s for {len(ids)} keywords -> {len(clusters)} clusters")
    print("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
    print(
        f"cluster sizes: largest {sizes[:5]}, median {sizes[len(sizes) // 2]}, "
        f"single-keyword clusters {sum(1 for size in sizes if size == 1)}"
    )
    print(
        f"against the topics: homogeneity {homogeneity_score(truth, labels):.3f}, "
        f"completeness {completeness_score(truth, labels):.3f}, "
        f"V-measure {v_measure_score(truth, labels):.3f}"
    )
    print("the five largest clusters:")
    for cluster in sorted(clusters, key=lambda c: -c.keywords_count)[:5]:
        sample = list(
            Keyword.unscoped.filter(cluster=cluster).values_list("keyword", flat=True)[:4]
        )
        print(f"  {cluster.name!r} ({cluster.keywords_count}): {sample}")


if __name__ == "__main__":
    main()
