"""The article sanitiser (nh3 with our allowlist): only allowed tags and attributes
survive; the outline and the word count are read from the clean HTML.

nh3 parses like a browser (HTML5) and adds `rel` to every `<a>`, so a few expected strings
differ in harmless form from a hand-written cleaner's: an `<a>` whose unsafe `href` was
removed keeps `rel`, a stray `</p>` is an empty paragraph, a `<td>` outside a table is
text, and a `<p>` inside `<svg>` is parsed outside the svg (where a browser puts it)."""

import pytest

from flowline.writer.services.html import sanitize_html

NOHREF = '<a rel="noopener nofollow">x</a>'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="x()" style="color:red" class="a">ok</p>', "<p>ok</p>"),
        ('<a href="javascript:alert(1)">x</a>', NOHREF),
        ('<a href=" java\nscript:alert(1)">x</a>', NOHREF),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', NOHREF),
        ('<a href="data:text/html,<script>1</script>">x</a>', NOHREF),
        ('<a href="//evil.test/">x</a>', NOHREF),
        (
            '<a href="https://e.test/?a=1&b=2" target="_blank">x</a>',
            '<a href="https://e.test/?a=1&amp;b=2" rel="noopener nofollow">x</a>',
        ),
        ('<a href="/relative">x</a>', '<a href="/relative" rel="noopener nofollow">x</a>'),
        ("<img src=x onerror=alert(1)><p>after</p>", "<p>after</p>"),
        ("<svg><script>1</script><p>inside</p></svg><p>out</p>", "<p>inside</p><p>out</p>"),
        ("<iframe src='https://x'>fallback</iframe>", ""),
        ("<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
        ("<!-- a comment --><p>x</p>", "<p>x</p>"),
        ("<div><span>plain</span></div>", "plain"),
        (
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        ),
        ("<h1>Title</h1>", "<h2>Title</h2>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<p>a<p>b", "<p>a</p><p>b</p>"),
        ("<p><strong>bold", "<p><strong>bold</strong></p>"),
        ("</p></div>text", "<p></p>text"),
        ('<td colspan="2" rowspan="x">c</td>', "c"),
        (
            '<table><tr><td colspan="2" rowspan="x">c</td><th scope="row" rowspan="3">h</th>'
            "</tr></table>",
            '<table><tbody><tr><td colspan="2">c</td><th scope="row" rowspan="3">h</th>'
            "</tr></tbody></table>",
        ),
        ('<ol start="3"><li>x</ol>', '<ol start="3"><li>x</li></ol>'),
        ('<ol start="3a"><li>x</ol>', "<ol><li>x</li></ol>"),
        ("<p>a<br>b<br/>c</p>", "<p>a<br>b<br>c</p>"),
        ('<p title="&quot;><script>x</script>">t</p>', "<p>t</p>"),
        (
            '<a href="https://e.test" title="&quot;><b>">x</a>',
            '<a href="https://e.test" title="&quot;&gt;&lt;b&gt;" rel="noopener nofollow">x</a>',
        ),
        # Added with nh3: what ammonia alone would let through or change.
        ('<a href="/\\evil.test/">x</a>', NOHREF),  # a browser reads `\` as `/`
        ('<a href="\\\\evil.test/">x</a>', NOHREF),
        ('<a href="/\t/evil.test/">x</a>', NOHREF),  # tabs are removed from URLs
        ('<a href="java&#x09;script:alert(1)">x</a>', NOHREF),
        ('<a href="vbscript:msgbox(1)">x</a>', NOHREF),
        ('<p lang="en" title="t" id="x" dir="rtl">p</p>', "<p>p</p>"),  # no generic attributes
        (
            '<a href="/a" rel="opener" target="_top">x</a>',
            '<a href="/a" rel="noopener nofollow">x</a>',
        ),
        (
            '<a href="mailto:a@b.test">m</a><a href="page.html?q=1#s">r</a><a href="#top">t</a>',
            '<a href="mailto:a@b.test" rel="noopener nofollow">m</a>'
            '<a href="page.html?q=1#s" rel="noopener nofollow">r</a>'
            '<a href="#top" rel="noopener nofollow">t</a>',
        ),
        ('<h1 class="x" id="t">Title</h1>', "<h2>Title</h2>"),
        (
            '<a href="/a" title="<h1>">x</a>',  # only the tag is renamed, never a value
            '<a href="/a" title="&lt;h1&gt;" rel="noopener nofollow">x</a>',
        ),
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '"&gt;'),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math><p>y</p>', "<p>y</p>"),
        ("<select><option>a</option></select><textarea>b</textarea><p>y</p>", "<p>y</p>"),
        ("<template><p>t</p></template><object><p>o</p></object><p>y</p>", "<p>y</p>"),
        ("<!--><script>alert(1)</script>--><p>y</p>", "--&gt;<p>y</p>"),  # `<!-->` is a comment
        ('<form action="/x"><input value="v"><button>Go</button></form>', "Go"),
        ("a < b & c", "a &lt; b &amp; c"),
    ],
)
def test_only_allowed_markup_survives(raw, expected):
    assert sanitize_html(raw).html == expected


def test_headings_and_word_count():
    clean = sanitize_html(
        "<h2>Why  cold brew?</h2><p>It's smooth &amp; sweet.</p><h3>How</h3>"
        "<script>not counted words here</script><ul><li>Steep 12 hours</li></ul>"
    )

    assert clean.headings == [
        {"level": 2, "text": "Why cold brew?"},
        {"level": 3, "text": "How"},
    ]
    assert clean.word_count == 10  # Why cold brew It's smooth sweet How Steep 12 hours


def test_plain_text_becomes_escaped_paragraphs():
    clean = sanitize_html("First line & more.\n\nSecond paragraph.")

    assert clean.html == "<p>First line &amp; more.</p><p>Second paragraph.</p>"
    assert clean.word_count == 5


def test_h1_counts_as_a_level_2_heading_and_blocks_separate_words():
    clean = sanitize_html(
        "<h1>Top</h1><p>one</p><p>two<br>three</p><ul><li>four</li><li>five</li></ul>"
    )

    assert clean.html.startswith("<h2>Top</h2>")
    assert clean.headings == [{"level": 2, "text": "Top"}]
    assert clean.word_count == 6
    assert clean.text == "Top one two three four five"


def test_empty_and_missing_input_are_empty():
    assert sanitize_html("").html == ""
    assert sanitize_html(None).word_count == 0  # type: ignore[arg-type]
