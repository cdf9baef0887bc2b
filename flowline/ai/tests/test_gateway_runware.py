"""Runware image generation against a fake Runware REST API on 127.0.0.1."""

from decimal import Decimal

import pytest

from flowline.ai import public as ai
from flowline.ai.models import AICall
from flowline.ai.testing.fixtures import use_fake_runware

pytestmark = pytest.mark.django_db


def test_runware_image_comes_back_as_a_url_that_can_be_downloaded(owner, fake_runware):
    # given
    use_fake_runware(owner.account_id, fake_runware)

    # when
    image = ai.generate_image(account_id=owner.account_id, prompt="a lighthouse", size="500x700")

    # then: one imageInference task, sizes snapped to Runware's multiples of 64
    task = fake_runware.requests[0]["json"][0]
    assert task["taskType"] == "imageInference"
    assert task["positivePrompt"] == "a lighthouse"
    assert (task["width"], task["height"], task["model"]) == (512, 704, "runware:101@1")
    assert fake_runware.requests[0]["headers"]["authorization"] == "Bearer rw-fake-good-key-5678"
    assert image.url.startswith(fake_runware.root) and image.data is None
    assert ai.image_bytes(image).startswith(b"\x89PNG")


def test_runware_reported_cost_is_recorded(owner, fake_runware):
    # given
    use_fake_runware(owner.account_id, fake_runware)

    # when
    image = ai.generate_image(account_id=owner.account_id, prompt="a lighthouse")

    # then: Runware's own figure wins over the model's list price
    assert image.cost_usd == Decimal("0.0013")
    call = AICall.unscoped.get(id=image.call_id)
    assert (call.provider, call.images, call.cost_usd) == ("Fake Runware", 1, Decimal("0.0013"))


def test_runware_base64_output(owner, fake_runware):
    # given
    use_fake_runware(owner.account_id, fake_runware)

    # when
    image = ai.generate_image(
        account_id=owner.account_id, prompt="a lighthouse", output_type="base64Data"
    )

    # then
    assert image.data.startswith(b"\x89PNG") and image.url is None


@pytest.mark.parametrize(
    ("key", "kind", "retry_after"),
    [("bad-key", "bad_key", None), ("rate-limited", "rate_limited", 3.0),
     ("server-error", "unavailable", None)],
)  # fmt: skip
def test_runware_errors_become_the_same_family(owner, fake_runware, key, kind, retry_after):
    # given
    use_fake_runware(owner.account_id, fake_runware, api_key=key)

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.generate_image(account_id=owner.account_id, prompt="a lighthouse")

    # then
    assert (raised.value.kind, raised.value.retry_after) == (kind, retry_after)
    assert AICall.unscoped.get(account_id=owner.account_id).status == AICall.Status.FAILED


def test_runware_timeout(owner, fake_runware, settings):
    # given
    settings.AI_IMAGE_TIMEOUT_SECONDS = 0.3
    use_fake_runware(owner.account_id, fake_runware, api_key="slow")

    # when
    with pytest.raises(ai.AIProviderError) as raised:
        ai.generate_image(account_id=owner.account_id, prompt="a lighthouse")

    # then
    assert (raised.value.kind, raised.value.transient) == ("timeout", True)
