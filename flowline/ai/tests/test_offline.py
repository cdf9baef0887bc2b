"""The built-in offline provider: deterministic, sensible, and labelled as offline."""

import io
import json
import math

import pytest
from PIL import Image

from flowline.ai import prompts_defaults
from flowline.ai import public as ai
from flowline.ai.models import AICall

pytestmark = pytest.mark.django_db

KEYWORDS = ["running shoes", "trail running shoes", "best running shoes", "yoga mat",
            "thick yoga mat", "protein powder"]  # fmt: skip


def _ask(account_id, prompt_type, **context):
    prompt = prompts_defaults.render(prompts_defaults.DEFAULTS[prompt_type], **context)
    return ai.chat(
        account_id=account_id,
        messages=[{"role": "user", "content": prompt}],
        operation=prompt_type,
    )


def test_unconfigured_account_gets_the_offline_provider_and_is_told_so(owner):
    # when
    result = ai.chat(
        account_id=owner.account_id,
        messages=[{"role": "user", "content": "Summarise our spring campaign"}],
        operation="summary",
    )

    # then
    assert result.offline is True
    assert result.provider == "offline"
    assert result.metadata["note"] == ai.OFFLINE_NOTE
    assert ai.OFFLINE_NOTE in result.text
    call = AICall.unscoped.get(id=result.call_id)
    assert call.offline is True and call.cost_usd == 0


def test_offline_answers_are_deterministic(owner):
    # when
    first = _ask(owner.account_id, "auto_cluster", keywords=KEYWORDS)
    second = _ask(owner.account_id, "auto_cluster", keywords=KEYWORDS)

    # then
    assert first.text == second.text


def test_offline_clustering_groups_keywords_that_share_words(owner):
    # when
    answer = _ask(owner.account_id, "auto_cluster", keywords=KEYWORDS).json()

    # then
    clusters = {c["name"]: sorted(c["keywords"]) for c in answer["clusters"]}
    assert clusters["Running"] == ["best running shoes", "running shoes", "trail running shoes"]
    assert clusters["Yoga"] == ["thick yoga mat", "yoga mat"]
    assert sorted(kw for c in answer["clusters"] for kw in c["keywords"]) == sorted(KEYWORDS)
    assert answer["note"] == ai.OFFLINE_NOTE


@pytest.mark.parametrize("prompt_type", prompts_defaults.PROMPT_TYPES)
def test_every_shipped_prompt_type_gets_json_built_from_its_input(owner, prompt_type):
    # given: the shipped prompt filled with data
    context = {
        "keywords": ["running shoes", "trail running shoes"],
        "cluster_name": "Running shoes",
        "idea_title": "How to choose running shoes",
        "title": "How to choose running shoes",
        "content": "<h2>Cushioning</h2><p>...</p>",
        "count": 2,
        "prompt": "a runner at dawn",
        "name": "Trail running shoes 2",
        "details": ["waterproof", "grippy sole"],
        "text": "New running shoes for trail lovers",
        "subject": "Our new trail running shoes",
        "platform": "twitter",
        "conversation": "Customer: do you ship running shoes to Spain?",
        "input": "running shoes",
    }

    # when
    answer = _ask(owner.account_id, prompt_type, **context).json()

    # then: valid JSON, labelled, and about the input
    assert answer.pop("note") == ai.OFFLINE_NOTE
    assert answer
    assert "running" in json.dumps(answer).lower() or prompt_type == "generate_image"


def test_offline_streaming_calls_on_token(owner):
    # given
    pieces = []

    # when
    result = ai.chat(
        account_id=owner.account_id,
        messages=[{"role": "user", "content": "Write a tagline for running shoes"}],
        operation="tagline",
        stream=True,
        on_token=pieces.append,
    )

    # then
    assert len(pieces) > 3
    assert "".join(pieces) == result.text


def _cosine(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_offline_embeddings_are_unit_vectors_and_similar_texts_are_close(owner):
    # when
    shoes, trail, yoga = ai.embed(
        account_id=owner.account_id,
        texts=["running shoes for men", "trail running shoes", "yoga mat for beginners"],
    )

    # then
    assert math.isclose(math.sqrt(sum(x * x for x in shoes)), 1.0)
    assert _cosine(shoes, trail) > _cosine(shoes, yoga)
    assert ai.embed(account_id=owner.account_id, texts=["trail running shoes"])[0] == trail


def test_offline_image_is_a_real_png_of_the_requested_size(owner):
    # when
    image = ai.generate_image(
        account_id=owner.account_id, prompt="A lighthouse at dusk", size="320x240"
    )

    # then
    picture = Image.open(io.BytesIO(image.data))
    assert (picture.format, picture.size) == ("PNG", (320, 240))
    assert image.offline is True and image.metadata["note"] == ai.OFFLINE_NOTE
    again = ai.generate_image(
        account_id=owner.account_id, prompt="A lighthouse at dusk", size="320x240"
    )
    assert again.data == image.data


def test_offline_image_is_titled_with_its_subject_not_the_prompt():
    from flowline.ai.gateway.offline_media import subject

    # the writer's prompts, as the generate_image prompt wraps them
    prompt = (
        "Editorial photograph illustrating Pour-over coffee at home, natural light. "
        "Style: editorial photograph. High quality, sharp focus, no text, no watermark."
    )
    assert subject(prompt) == "Pour-over coffee at home"
    assert subject("Photograph showing grind size, clean composition. Style: x") == "Grind size"
    assert subject("A lighthouse at dusk") == "A lighthouse at dusk"
