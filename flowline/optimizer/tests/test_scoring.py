"""The SEO score's checks, each on an article made to pass or fail it."""

from flowline.optimizer.document import Document, parse_html
from flowline.optimizer.scoring import score

GOOD = (
    "<h1>Pour over coffee at home</h1>"
    "<p>Pour over coffee is a simple way to brew a clean cup. You pour hot water by hand.</p>"
    '<img src="/m/kettle.jpg" alt="A kettle pouring water">'
    "<h2>What you need</h2><p>You need a dripper, a filter and fresh beans. "
    'Read our <a href="/grind-size">grind size guide</a> first.</p>'
    "<h3>The dripper</h3><p>A cone dripper is easy to use. Rinse the paper filter well.</p>"
    "<h2>How to brew</h2><p>Heat the water. Wet the grounds. Pour slowly in circles. "
    'Our <a href="https://blog.example.com/kettles">kettle review</a> helps.</p>'
)


def _doc(**fields):
    base = {
        "html": GOOD,
        "title": "Pour over coffee: a guide for beginners",
        "meta_title": "Pour over coffee at home: a simple guide",
        "meta_description": (
            "Learn to brew pour over coffee at home with a dripper, a filter and fresh beans. "
            "A step by step guide for your first clean cup."
        ),
        "primary_keyword": "pour over coffee",
        "target_word_count": 80,
        "site_url": "https://blog.example.com",
    }
    return Document(**{**base, **fields})


def _checks(result):
    return {check.id: check for check in result.checks}


def test_a_well_built_article_passes_every_structural_check():
    result = score(_doc())
    checks = _checks(result)
    failed = {cid for cid, c in checks.items() if not c.passed}
    assert failed <= {"keyword_density"}, {c: checks[c].message for c in failed}
    assert result.score >= 90
    assert checks["internal_links"].value == 2  # a relative and a same-host link


def test_missing_keyword_everywhere_fails_the_keyword_checks_and_says_where():
    result = score(
        _doc(title="A guide", meta_title="", meta_description="", primary_keyword="cold brew")
    )
    checks = _checks(result)
    for cid in (
        "keyword_in_title",
        "keyword_in_h1",
        "keyword_in_first_paragraph",
        "keyword_in_meta",
    ):
        assert checks[cid].passed is False
        assert "cold brew" in checks[cid].message
    assert result.score < score(_doc()).score


def test_keyword_match_is_whole_words_and_case_insensitive():
    checks = _checks(score(_doc(primary_keyword="POUR OVER")))
    assert checks["keyword_in_title"].passed
    checks = _checks(score(_doc(primary_keyword="pour ov")))
    assert not checks["keyword_in_title"].passed


def test_no_primary_keyword_is_explained_not_crashed():
    checks = _checks(score(_doc(primary_keyword="")))
    assert checks["keyword_in_title"].message == "Set a primary keyword to check this."


def test_the_title_is_the_h1_when_the_body_has_none():
    html = GOOD.replace("<h1>Pour over coffee at home</h1>", "")
    checks = _checks(score(_doc(html=html)))
    assert checks["keyword_in_h1"].passed
    assert checks["heading_structure"].passed


def test_two_h1s_and_a_skipped_level_fail_the_heading_structure():
    html = "<h1>One</h1><h1>Two</h1><h2>Part</h2><h4>Deep</h4><p>Text.</p>"
    check = _checks(score(_doc(html=html)))["heading_structure"]
    assert not check.passed
    assert "2 H1 headings" in check.message and "H4" in check.message


def test_length_gives_partial_credit_below_the_target():
    check = _checks(score(_doc(target_word_count=1000)))["length"]
    assert not check.passed
    assert 0 < check.score < 0.2
    assert check.value["target"] == 1000 and "Add about" in check.message


def test_meta_lengths_are_measured_against_search_result_limits():
    checks = _checks(score(_doc(meta_title="x" * 70, meta_description="short")))
    assert not checks["meta_title_length"].passed and checks["meta_title_length"].value == 70
    assert not checks["meta_description_length"].passed
    assert "120-160" in checks["meta_description_length"].message


def test_images_without_alt_are_counted():
    html = GOOD + '<img src="/a.jpg"><img src="/b.jpg" alt="">'
    check = _checks(score(_doc(html=html)))["images_alt"]
    assert check.value == {"images": 3, "missing_alt": 2}
    assert round(check.score, 2) == 0.33
    assert not _checks(score(_doc(html="<p>No pictures</p>")))["images_alt"].passed


def test_external_links_are_not_internal():
    html = '<p>See <a href="https://other.example.org/x">this</a> and <a href="#top">top</a>.</p>'
    check = _checks(score(_doc(html=html)))["internal_links"]
    assert check.value == 0 and not check.passed


def test_long_winding_sentences_fail_readability():
    sentence = (
        "Notwithstanding considerable organisational complications, comprehensive "
        "institutional documentation unquestionably necessitates extraordinarily "
        "meticulous administrative reconsideration regarding interdepartmental "
        "communication responsibilities and accountability "
    )
    check = _checks(score(_doc(html=f"<p>{sentence * 2}.</p>")))["readability"]
    assert not check.passed
    assert check.value["words_per_sentence"] > 25


def test_keyword_density_counts_whole_phrases():
    html = "<p>" + "pour over coffee " * 3 + "word " * 91 + "</p>"
    check = _checks(score(_doc(html=html)))["keyword_density"]
    assert check.value == 9.0 and not check.passed and "stuffing" in check.message


def test_the_parser_keeps_linked_text_out_of_anchor_candidates():
    parsed = parse_html(
        '<p>Try <a href="/x">pour over</a> then cold brew.</p><script>var a=1</script>'
    )
    assert parsed.unlinked_blocks == ["Try", "then cold brew."]
    assert "var a" not in parsed.text
    assert parsed.links[0].text == "pour over"
