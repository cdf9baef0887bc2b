"""The article sanitiser: only allowed tags and attributes survive; the outline and the
word count come from the same pass."""

import pytest

from flowline.writer.services.html import sanitize_html


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="x()" style="color:red" class="a">ok</p>', "<p>ok</p>"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href=" java\nscript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,<script>1</script>">x</a>', "<a>x</a>"),
        ('<a href="//evil.test/">x</a>', "<a>x</a>"),
        (
            '<a href="https://e.test/?a=1&b=2" target="_blank">x</a>',
            '<a href="https://e.test/?a=1&amp;b=2" rel="noopener nofollow">x</a>',
        ),
        ('<a href="/relative">x</a>', '<a href="/relative" rel="noopener nofollow">x</a>'),
        ("<img src=x onerror=alert(1)><p>after</p>", "<p>after</p>"),
        ("<svg><script>1</script><p>inside</p></svg><p>out</p>", "<p>out</p>"),
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
        ("</p></div>text", "text"),
        ('<td colspan="2" rowspan="x">c</td>', '<td colspan="2">c</td>'),
        ("<p>a<br>b<br/>c</p>", "<p>a<br>b<br>c</p>"),
        ('<p title="&quot;><script>x</script>">t</p>', "<p>t</p>"),
        (
            '<a href="https://e.test" title="&quot;><b>">x</a>',
            '<a href="https://e.test" title="&quot;&gt;&lt;b&gt;" rel="noopener nofollow">x</a>',
        ),
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
