"""Highlights as the UI shows them: everything escaped, only the <mark> tags Clew asked for."""

import pytest

from search.ui.highlight import marked


@pytest.mark.parametrize("fragment, shown", [
    ("paid a <em>bribe</em> in cash", "paid a <mark>bribe</mark> in cash"),
    ("&lt;script&gt;alert(1)&lt;/script&gt; <em>bribe</em>",
     "&lt;script&gt;alert(1)&lt;/script&gt; <mark>bribe</mark>"),
    ("a literal &lt;em&gt;tag&lt;/em&gt; stays text", "a literal &lt;em&gt;tag&lt;/em&gt; stays text"),
    ("<em>blue</em> <em>van</em>", "<mark>blue</mark> <mark>van</mark>"),
    ("O&#39;Brien &amp; <em>Sons</em>", "O&#39;Brien &amp; <mark>Sons</mark>"),
    ("stray </em>close and <em>open", "stray close and <mark>open</mark>"),
    ("<em><em>twice</em></em>", "<mark>twice</mark>"),
])
def test_ui_highlight_escapes_everything_but_the_marks_it_asked_for(fragment, shown):
    assert str(marked(fragment)) == shown


def test_ui_highlight_unescaped_markup_from_the_engine_stays_inert():
    """Even were the engine to hand back raw markup, it is escaped: only <em> becomes a tag."""
    out = str(marked('<img src=x onerror="alert(1)"><em>hit</em><b>bold</b>'))
    assert out == "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;<mark>hit</mark>&lt;b&gt;bold&lt;/b&gt;"
