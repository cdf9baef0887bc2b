"""The offline embedding engine: TF-IDF by default, the model packaged in the `embeddings`
extra when FLOWLINE_EMBEDDINGS selects it, loaded from the package with no network."""

import socket

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from flowline.ai import public as ai
from flowline.ai.services import offline_embeddings


@pytest.fixture
def fresh_load(monkeypatch):
    """Forget the model this process loaded, so the test sees a first load."""
    monkeypatch.setattr(offline_embeddings, "_loaded", None)


def test_the_default_keeps_tfidf_and_loads_no_model(settings):
    assert settings.FLOWLINE_EMBEDDINGS == "tfidf"
    assert ai.packaged_model() is None


def test_the_packaged_model_groups_words_of_one_meaning(settings):
    # given
    settings.FLOWLINE_EMBEDDINGS = "wordllama"
    model = ai.packaged_model()

    # when
    vectors = model.vectors(["cheap flights", "budget airfare", "yoga mat", ""])

    # then: unit rows, related phrases close, unrelated ones apart, an empty text a zero row
    assert vectors.shape == (4, model.dimensions) == (4, 256)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0)
    assert not vectors[3].any()
    closeness = vectors @ vectors.T
    assert closeness[0, 1] > 0.35 > closeness[0, 2]
    assert np.allclose(model.similarities("cheap flights", ["budget airfare"]), closeness[0, 1])
    # and: the same text always gives the same vector
    assert np.array_equal(model.vectors(["budget airfare"])[0], vectors[1])


def test_the_model_loads_once_per_process(settings, fresh_load):
    settings.FLOWLINE_EMBEDDINGS = "wordllama"
    assert ai.packaged_model() is ai.packaged_model()


def test_the_model_loads_with_no_network(settings, fresh_load, monkeypatch, tmp_path):
    # given: every connection and name lookup fails, and no model cache in the home directory
    def refuse(*args, **kwargs):
        raise AssertionError("the packaged model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))
    settings.FLOWLINE_EMBEDDINGS = "wordllama"

    # when
    model = ai.packaged_model()

    # then: it embeds, and wrote nothing (no download cache) under the home directory
    assert model.vectors(["budget airfare"]).shape == (1, 256)
    assert list(tmp_path.iterdir()) == []


def test_auto_picks_the_packaged_model_when_the_extra_is_installed(settings):
    settings.FLOWLINE_EMBEDDINGS = "auto"
    assert isinstance(ai.packaged_model(), ai.PackagedModel)


def test_auto_keeps_tfidf_without_the_extra(settings, monkeypatch):
    monkeypatch.setattr(offline_embeddings, "installed", lambda: False)
    settings.FLOWLINE_EMBEDDINGS = "auto"
    assert ai.packaged_model() is None


@pytest.mark.parametrize(
    ("value", "extra_installed", "message"),
    [
        ("bert", True, "must be one of tfidf, wordllama, auto"),
        ("wordllama", False, "the `embeddings` extra is not installed"),
    ],
)
def test_a_wrong_setting_fails_the_start_up_checks(
    settings, monkeypatch, value, extra_installed, message
):
    monkeypatch.setattr(offline_embeddings, "installed", lambda: extra_installed)
    settings.FLOWLINE_EMBEDDINGS = value
    with pytest.raises(SystemCheckError, match=message):
        call_command("check")
