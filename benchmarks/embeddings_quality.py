"""Offline embeddings, TF-IDF against the packaged sentence model (FLOWLINE_EMBEDDINGS).

    .venv/bin/python benchmarks/embeddings_quality.py [--keywords 2000] [--sweep]

Needs the `embeddings` extra (it is in the dev extra). No database: it runs the planner's
grouping and the linker's similarity, the code the `planner.auto_cluster` job and
`linker/process` run, on labelled sets, once per engine:

- clustering, V-measure (with homogeneity and completeness) against the known topics of
  (1) the planner benchmark's synthetic set (`planner_data.keywords`: a topic noun with a
  search modifier, so the words say the topic) and (2) `embeddings_data.SYNONYM_TOPICS`
  (keywords of one topic in other words: "cheap flights", "budget airfare");
- link suggestions, precision at 3 and mean reciprocal rank of the first related article
  when each article of `embeddings_data.ARTICLES` ranks the 19 others (3 are related);
- the CPU time (process time) each engine takes to make the vectors.

`--sweep` also prints the packaged model's V-measure at other clustering thresholds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import embeddings_data
import planner_data

ENGINES = ("tfidf", "wordllama")


def _cluster(engine: str, texts: list[str], threshold: float | None = None):
    from django.conf import settings

    from flowline.ai import public as ai
    from flowline.planner.services import grouping

    started = time.process_time()
    if engine == "tfidf":
        vectors = grouping.tfidf_vectors(texts)
        default = settings.PLANNER_CLUSTER_THRESHOLD
    else:
        vectors = grouping.packaged_vectors(ai.packaged_model(), texts)
        default = settings.PLANNER_PACKAGED_CLUSTER_THRESHOLD
    vectorised = time.process_time() - started
    result = grouping.group(vectors, threshold=threshold or default)
    return result, vectorised, time.process_time() - started


def _clustering_scores(truth: list[str], labels: list[int]) -> str:
    from sklearn.metrics import completeness_score, homogeneity_score, v_measure_score

    return (
        f"V-measure {v_measure_score(truth, labels):.3f} "
        f"(homogeneity {homogeneity_score(truth, labels):.3f}, "
        f"completeness {completeness_score(truth, labels):.3f})"
    )


def _links() -> tuple[float, float, float]:
    """precision@3, MRR, CPU seconds for ranking every article's 19 others."""
    from flowline.optimizer import linking
    from flowline.optimizer.document import parse_html

    slugs = [slug for slug, *_ in embeddings_data.ARTICLES]
    texts = [
        # the linker's own corpus text: title twice, primary keyword, body text
        f"{title} {title} {keyword} {parse_html(f'<p>{body}</p>').text}"
        for _, title, keyword, body in embeddings_data.ARTICLES
    ]
    precisions, reciprocal = [], []
    started = time.process_time()
    for index, slug in enumerate(slugs):
        others = [other for other in range(len(slugs)) if other != index]
        closeness = linking.similarities([texts[index]] + [texts[other] for other in others])
        ranked = [slugs[others[i]] for i in sorted(range(len(others)), key=lambda i: -closeness[i])]
        related = embeddings_data.RELATED[slug]
        precisions.append(sum(other in related for other in ranked[:3]) / 3)
        first = next(rank for rank, other in enumerate(ranked, 1) if other in related)
        reciprocal.append(1 / first)
    seconds = time.process_time() - started
    return sum(precisions) / len(slugs), sum(reciprocal) / len(slugs), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=2000)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    os.environ.update(planner_data.environment("sqlite"))
    sys.path.insert(0, str(planner_data.ROOT))
    import django

    django.setup()
    from django.test import override_settings
    from threadpoolctl import threadpool_limits

    from flowline.ai import public as ai

    print(f"load average {os.getloadavg()[0]:.1f}; one BLAS thread, as the clustering job")
    with override_settings(FLOWLINE_EMBEDDINGS="wordllama"):
        started = time.process_time()
        model = ai.packaged_model()
        print(f"packaged model: {model.name}, loaded in {time.process_time() - started:.2f} s CPU")

    synonyms = [
        (keyword, topic)
        for topic, keywords in embeddings_data.SYNONYM_TOPICS.items()
        for keyword in keywords
    ]
    sets = {
        f"planner benchmark set ({args.keywords} keywords)": planner_data.keywords(args.keywords),
        f"synonym set ({len(synonyms)} keywords)": synonyms,
    }
    with threadpool_limits(limits=1):
        for name, pairs in sets.items():
            texts, truth = [text for text, _ in pairs], [topic for _, topic in pairs]
            print(f"\nclustering, {name}, {len(set(truth))} topics:")
            for engine in ENGINES:
                with override_settings(FLOWLINE_EMBEDDINGS=engine):
                    result, vectorised, total = _cluster(engine, texts)
                    print(
                        f"  {engine:9} {_clustering_scores(truth, result.labels)}, "
                        f"{result.count} clusters; CPU {vectorised:.2f} s vectors, "
                        f"{total:.2f} s in all"
                    )
                    if args.sweep and engine == "wordllama":
                        for threshold in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
                            swept, _, _ = _cluster(engine, texts, threshold)
                            print(
                                f"    threshold {threshold}: "
                                f"{_clustering_scores(truth, swept.labels)}, {swept.count} clusters"
                            )
        count = len(embeddings_data.ARTICLES)
        print(f"\nlink suggestions, {count} articles in 5 subjects (3 related each):")
        for engine in ENGINES:
            with override_settings(FLOWLINE_EMBEDDINGS=engine):
                precision, mrr, seconds = _links()
            print(f"  {engine:9} precision@3 {precision:.3f}, MRR {mrr:.3f}; CPU {seconds:.2f} s")


if __name__ == "__main__":
    main()
