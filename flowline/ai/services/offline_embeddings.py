"""Offline text vectors by meaning, for the features that group or rank text without a
paid model: keyword clustering, the internal linker, chat product retrieval, agent matching.

`FLOWLINE_EMBEDDINGS` picks the engine:
- "tfidf" (the default): no model; each caller keeps its own TF-IDF (or keyword) method.
- "wordllama": the WordLlama model (256 dimensions, 16 MB) that ships *inside* the
  `wordllama` wheel of the optional `embeddings` extra. It is read from the package's own
  files and never downloaded: `WordLlama.load()` would look for the tokenizer under a
  directory name the wheel does not have and fetch it from a model hub, so the weights and
  the tokenizer are opened here by their paths in the package.
- "auto": "wordllama" when the extra is installed, else "tfidf".

The model is loaded once per process (about 0.4 s of CPU) and shared by its threads.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from importlib.resources import files

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TFIDF, WORDLLAMA, AUTO = "tfidf", "wordllama", "auto"
CHOICES = (TFIDF, WORDLLAMA, AUTO)
PACKAGE = "wordllama"
WEIGHTS = ("weights", "l2_supercat_256.safetensors")
TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
# Texts are padded to the longest one of a batch: small batches keep long articles cheap.
BATCH = 16

_lock = threading.Lock()
_loaded: PackagedModel | None = None


class PackagedModel:
    """Unit sentence vectors from the packaged WordLlama model (average of token vectors)."""

    name = "wordllama l2_supercat 256"

    def __init__(self, inference) -> None:
        self._inference = inference

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One unit row per text, in order; a text with no tokens is a zero row."""
        if not texts:
            return np.zeros((0, self.dimensions))
        raw = self._inference.embed(list(texts), norm=False, batch_size=BATCH).astype(float)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)

    def similarities(self, query: str, texts: list[str]) -> np.ndarray:
        """Cosine similarity of `query` to each of `texts`."""
        vectors = self.vectors([query, *texts])
        return vectors[1:] @ vectors[0]

    @property
    def dimensions(self) -> int:
        return int(self._inference.embedding.shape[1])


def installed() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


def engine() -> str:
    """The engine `FLOWLINE_EMBEDDINGS` selects on this install: "tfidf" or "wordllama"."""
    chosen = getattr(settings, "FLOWLINE_EMBEDDINGS", TFIDF)
    if chosen == AUTO:
        return WORDLLAMA if installed() else TFIDF
    if chosen not in CHOICES:
        raise ImproperlyConfigured(
            f"FLOWLINE_EMBEDDINGS is {chosen!r}; it must be one of {', '.join(CHOICES)}."
        )
    if chosen == WORDLLAMA and not installed():
        raise ImproperlyConfigured(
            'FLOWLINE_EMBEDDINGS is "wordllama" but the `embeddings` extra is not '
            "installed (pip install 'flowline[embeddings]')."
        )
    return chosen


def packaged_model() -> PackagedModel | None:
    """The packaged sentence model when the setting selects it, else None (use TF-IDF)."""
    if engine() != WORDLLAMA:
        return None
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load()
    return _loaded


def _load() -> PackagedModel:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # wordllama's __init__ calls logging.basicConfig(); Django's logging stays as configured.
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama import WordLlamaInference

    root.handlers[:], root.level = handlers, level
    package = files(PACKAGE)
    tokenizer = Tokenizer.from_file(str(package.joinpath(*TOKENIZER)))
    with safe_open(str(package.joinpath(*WEIGHTS)), framework="np", device="cpu") as weights:
        embedding = weights.get_tensor("embedding.weight")
    return PackagedModel(WordLlamaInference(embedding, tokenizer))
