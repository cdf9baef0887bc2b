"""Internal link suggestions: related articles, anchors found in the text, no self-links,
no duplicate targets, nothing already linked."""

from flowline.optimizer.document import Document
from flowline.optimizer.linking import suggest

SOURCE = Document(
    id=1,
    url="https://blog.example.com/pour-over",
    title="Pour over coffee guide",
    primary_keyword="pour over coffee",
    html=(
        "<p>Pour over coffee needs the right grind size and a gooseneck kettle.</p>"
        "<p>The grind size matters more than the beans. A gooseneck kettle gives control.</p>"
        '<p>We also wrote about <a href="https://blog.example.com/french-press">'
        "french press</a>.</p>"
    ),
)


def _doc(id_, title, keyword, body, url=None, secondary=()):
    return Document(
        id=id_,
        title=title,
        primary_keyword=keyword,
        secondary_keywords=secondary,
        html=f"<p>{body}</p>",
        url=url if url is not None else f"https://blog.example.com/{id_}",
    )


GRIND = _doc(
    2,
    "Grind size explained",
    "grind size",
    "Grind size for coffee: fine, medium, coarse grind size.",
)
KETTLE = _doc(
    3, "Best kettles", "gooseneck kettle", "A gooseneck kettle pours slowly for pour over coffee."
)
PRESS = _doc(
    4,
    "French press",
    "french press",
    "French press coffee brewing.",
    url="https://blog.example.com/french-press",
)
TEA = _doc(5, "Green tea", "green tea", "Green tea leaves steep at low temperature.")


def test_related_articles_are_suggested_with_the_anchor_found_in_the_text():
    found = suggest(SOURCE, [GRIND, KETTLE, TEA])
    targets = {s.target_id: s for s in found}
    assert set(targets) == {2, 3}
    assert targets[2].anchor_text == "grind size" and targets[2].matched == "primary_keyword"
    assert "grind size" in targets[2].context
    assert targets[3].anchor_text == "gooseneck kettle"
    assert "similarity" in targets[2].reason
    assert found == sorted(found, key=lambda s: -s.score)


def test_never_a_link_to_itself_nor_twice_to_the_same_target():
    twin = Document(**{**SOURCE.__dict__, "url": ""})
    found = suggest(SOURCE, [twin, GRIND, GRIND, KETTLE])
    ids = [s.target_id for s in found]
    assert 1 not in ids
    assert len(ids) == len(set(ids))


def test_targets_already_linked_from_the_source_are_skipped():
    found = suggest(SOURCE, [PRESS, GRIND])
    assert [s.target_id for s in found] == [2]


def test_no_anchor_in_the_text_means_no_suggestion():
    assert suggest(SOURCE, [TEA]) == []


def test_a_secondary_keyword_can_be_the_anchor_and_limit_is_respected():
    beans = _doc(
        6,
        "Coffee beans",
        "arabica",
        "Coffee beans matter, arabica beans.",
        secondary=("the beans",),
    )
    found = suggest(SOURCE, [beans, GRIND, KETTLE], limit=1)
    assert len(found) == 1
    [beans_link] = suggest(SOURCE, [beans])
    assert beans_link.matched == "secondary_keyword" and beans_link.anchor_text == "the beans"


def test_nothing_to_compare_gives_nothing():
    assert suggest(SOURCE, []) == []
    assert (
        suggest(
            Document(html="<p>the and of</p>"), [Document(id=9, html="<p>a the</p>", title="the")]
        )
        == []
    )
