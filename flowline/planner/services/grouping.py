"""Grouping keywords by meaning: vectors and the clustering algorithm (no database here).

Vectors come from an embedding model when the account has one, then from the packaged
offline sentence model when `FLOWLINE_EMBEDDINGS` selects it, and otherwise from a
TF-IDF of the keywords' words (unigrams and bigrams) and character n-grams (so "mat" and
"mats", "grinder" and "grinders" meet), reduced by truncated SVD (LSA) when there are
many keywords, so that words seen together count as related.

Clustering is average-linkage agglomerative clustering on cosine distance with a
distance threshold: the number of clusters follows from how far apart the keywords are,
not from a guessed k. Above `DIRECT_LIMIT` keywords the pairwise matrix would not fit, so
MiniBatchKMeans first gathers them into small micro-clusters (about `MICRO_SIZE` each) and
the agglomerative step joins those by their centroids. Keywords left alone are attached to
the nearest cluster when it is close enough (`ATTACH_MARGIN` beyond the threshold), and a
cluster larger than `MAX_CLUSTER_SIZE` is split with k-means, since one page cannot target
hundreds of keywords.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

DIRECT_LIMIT = 2_000
MICRO_SIZE = 6
MAX_MICRO = 1_500
SVD_ABOVE = 300
SVD_COMPONENTS = 128
ATTACH_MARGIN = 0.1
MAX_CLUSTER_SIZE = 60
SEED = 7

# Words that say how people search, not what about: they must not pull topics together.
MODIFIERS = frozenset(
    [
        "best",
        "top",
        "cheap",
        "cheapest",
        "buy",
        "price",
        "prices",
        "cost",
        "review",
        "reviews",
        "vs",
        "versus",
        "near",
        "me",
        "online",
        "free",
        "new",
        "good",
        "great",
        "how",
        "what",
        "why",
        "when",
        "where",
        "which",
        "who",
        "guide",
        "tips",
        "ideas",
        "list",
        "easy",
        "2023",
        "2024",
        "2025",
        "2026",
        "sale",
        "deals",
        "deal",
        "shop",
        "store",
    ]
)
STOP = ENGLISH_STOP_WORDS | MODIFIERS
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Grouping:
    """`labels[i]` is the cluster of text i (0..k-1); `representatives[c]` the index of
    the text nearest the centroid of cluster c."""

    labels: list[int]
    representatives: list[int]

    @property
    def count(self) -> int:
        return len(self.representatives)


def content_words(text: str) -> str:
    words = _WORD.findall(text.lower())
    kept = [word for word in words if word not in STOP]
    return " ".join(kept or words)


def tfidf_vectors(texts: list[str]) -> np.ndarray | sparse.csr_matrix:
    """Unit vectors for `texts` without any model: word and character TF-IDF (+ LSA)."""
    cleaned = [content_words(text) for text in texts]
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = sparse.hstack(
        [words.fit_transform(cleaned), chars.fit_transform(cleaned) * 0.8]
    ).tocsr()
    matrix = normalize(matrix)
    if len(texts) > SVD_ABOVE:
        components = min(SVD_COMPONENTS, matrix.shape[1] - 1, len(texts) - 1)
        reduced = TruncatedSVD(n_components=components, random_state=SEED).fit_transform(matrix)
        return normalize(reduced)
    return matrix


def packaged_vectors(model, texts: list[str]) -> np.ndarray:
    """Unit vectors for `texts` from the packaged sentence model (`ai.packaged_model()`),
    modifiers left out as for TF-IDF: "cheap" must not pull topics together here either."""
    return model.vectors([content_words(text) for text in texts])


def group(vectors, *, threshold: float) -> Grouping:
    """Cluster unit `vectors` (rows) by cosine distance; see the module docstring."""
    n = vectors.shape[0]
    if n == 0:
        return Grouping([], [])
    if n == 1:
        return Grouping([0], [0])
    dense = vectors.toarray() if sparse.issparse(vectors) else np.asarray(vectors, dtype=float)
    dense = normalize(dense)
    if n <= DIRECT_LIMIT:
        labels = _agglomerate(dense, threshold)
    else:
        micro_count = min(MAX_MICRO, max(2, n // MICRO_SIZE))
        micro = MiniBatchKMeans(
            n_clusters=micro_count, random_state=SEED, batch_size=2048, n_init=1, max_iter=50
        ).fit(dense)
        micro_labels = micro.labels_
        centroids = normalize(micro.cluster_centers_)
        joined = _agglomerate(centroids, threshold)
        labels = joined[micro_labels]
    labels = _attach_singletons(dense, labels, threshold + ATTACH_MARGIN)
    labels = _split_large(dense, labels)
    return _finish(dense, labels)


def _agglomerate(dense: np.ndarray, threshold: float) -> np.ndarray:
    if dense.shape[0] < 2:
        return np.zeros(dense.shape[0], dtype=int)
    distances = np.clip(1.0 - dense @ dense.T, 0.0, 2.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=threshold,
    )
    return model.fit_predict(distances)


def _centroids(dense: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    sums = np.zeros((len(ids), dense.shape[1]))
    np.add.at(sums, inverse, dense)
    return ids, normalize(sums), sizes


def _attach_singletons(dense: np.ndarray, labels: np.ndarray, limit: float) -> np.ndarray:
    ids, centroids, sizes = _centroids(dense, labels)
    groups = sizes > 1
    if groups.sum() == 0 or groups.all():
        return labels
    labels = labels.copy()
    lonely = np.isin(labels, ids[~groups])
    similarity = dense[lonely] @ centroids[groups].T
    best = similarity.argmax(axis=1)
    close = (1.0 - similarity[np.arange(len(best)), best]) <= limit
    targets = ids[groups][best]
    positions = np.flatnonzero(lonely)
    labels[positions[close]] = targets[close]
    return labels


def _split_large(dense: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Split clusters over MAX_CLUSTER_SIZE with k-means, again while a part is still too
    big (k-means parts are uneven); identical vectors are cut into even slices."""
    labels = labels.copy()
    next_label = int(labels.max()) + 1
    queue = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    while queue:
        members = queue.pop()
        if len(members) <= MAX_CLUSTER_SIZE:
            continue
        parts = math.ceil(len(members) / MAX_CLUSTER_SIZE)
        split = KMeans(n_clusters=parts, random_state=SEED, n_init=1).fit_predict(dense[members])
        pieces = [members[split == part] for part in range(parts)]
        if max(len(piece) for piece in pieces) == len(members):
            pieces = np.array_split(members, parts)
        for piece in pieces[1:]:
            labels[piece] = next_label
            next_label += 1
        queue.extend(piece for piece in pieces if len(piece))
    return labels


def _finish(dense: np.ndarray, labels: np.ndarray) -> Grouping:
    """Renumber clusters 0..k-1 (largest first) and find each one's representative."""
    ids, centroids, sizes = _centroids(dense, labels)
    order = np.argsort(-sizes, kind="stable")
    renumber = {int(ids[old]): new for new, old in enumerate(order)}
    final = [renumber[int(label)] for label in labels]
    representatives = []
    for old in order:
        members = np.flatnonzero(labels == ids[old])
        scores = dense[members] @ centroids[old]
        representatives.append(int(members[int(scores.argmax())]))
    return Grouping(final, representatives)
