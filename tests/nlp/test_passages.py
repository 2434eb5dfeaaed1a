"""nlp.passages: sentences, page spans and passages within the token limit, offsets exact."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clew.ids import passage_id
from clew.records import Document, Page, SourceFile
from nlp.passages import Segment, passages, segments, sentences, token_counter

SOURCE = SourceFile(case_id="c", path="a.pdf", sha256="0" * 64, size=1)


def words(text: str) -> int:
    return len(text.split())


def make_doc(text: str = "", pages: tuple[str, ...] = ()) -> Document:
    text = text or "\n\n".join(pages)
    return Document(id="doc", case_id="c", source=SOURCE, kind="pdf", text=text,
                    pages=tuple(Page(number=n, text=t) for n, t in enumerate(pages, 1)))


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
    ("Mr. Smith met D.S. Jones. They left.", ["Mr. Smith met D.S. Jones.", "They left."]),
    ("Sgt. Brown and Insp. Lee arrived. Det. Supt. Khan did not.",
     ["Sgt. Brown and Insp. Lee arrived.", "Det. Supt. Khan did not."]),
    ("It cost £3.50 at 2.30pm. Paid.", ["It cost £3.50 at 2.30pm.", "Paid."]),
    ("See www.example.co.uk. Then J. R. Hartley rang.", ["See www.example.co.uk.", "Then J. R. Hartley rang."]),
    ("Exhibit No. 5 was seized. I said no. Then he left.",
     ["Exhibit No. 5 was seized.", "I said no.", "Then he left."]),
    ('He shouted "Stop!" and ran. "Why?" he asked.', ['He shouted "Stop!" and ran.', '"Why?" he asked.']),
    ("Apples, pears etc. and plums. Done", ["Apples, pears etc. and plums.", "Done"]),
    ("WITNESS STATEMENT\n\nName: Jo Bloggs\nAge: 34\n\n\nI live in Leeds.",
     ["WITNESS STATEMENT", "Name: Jo Bloggs\nAge: 34", "I live in Leeds."]),
    ("Wait... What happened?", ["Wait...", "What happened?"]),
    ("   \n\n  ", []),
])
def test_passages_sentences(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_passages_sentences_within_a_range_keep_document_offsets() -> None:
    text = "Ignore me. Keep this. And this. Not this."
    assert [text[a:b] for a, b in sentences(text, 11, 31)] == ["Keep this.", "And this."]


def test_passages_segments_locate_pages_joined_by_a_blank_line() -> None:
    doc = make_doc(pages=("Page one.", "Page two.", "Page three."))
    assert segments(doc) == [Segment(1, 0, 9), Segment(2, 11, 20), Segment(3, 22, 33)]


def test_passages_segments_skip_empty_pages_and_find_a_truncated_last_page() -> None:
    doc = make_doc("First page.\n\nThird page is cu",
                   ("First page.", "", "Third page is cut short by the text limit."))
    doc = doc.model_copy(update={"pages": tuple(Page(number=n, text=t) for n, t in
                                                enumerate(("First page.", "", "Third page is cut short."), 1))})
    assert segments(doc) == [Segment(1, 0, 11), Segment(3, 13, 29)]


def test_passages_segments_without_pages_or_with_text_outside_them() -> None:
    assert segments(make_doc("Just text.")) == [Segment(None, 0, 10)]
    assert segments(make_doc("")) == []
    doc = make_doc("Cover note.\n\nPage one.", ("Page one.",))
    doc = doc.model_copy(update={"text": "Cover note.\n\nPage one."})
    assert segments(doc) == [Segment(None, 0, 13), Segment(1, 13, 22)]


def test_passages_pack_sentences_with_one_sentence_overlap() -> None:
    text = "A a a. B b b. C c c. D d d. E e e."
    got = passages(make_doc(text), words, model_name="m", sizes=(6,))
    assert [p.text for p in got] == ["A a a. B b b.", "B b b. C c c.", "C c c. D d d.", "D d d. E e e."]
    assert [p.ordinal for p in got] == [0, 1, 2, 3]
    assert got[1].id == passage_id("doc", 1, "m") and got[0].vector is None and got[0].model is None


def test_passages_without_overlap_and_when_overlap_does_not_fit() -> None:
    text = "A a a. B b b. C c c c c. D."
    assert [p.text for p in passages(make_doc(text), words, model_name="m", sizes=(6,), overlap_sentences=0)] \
        == ["A a a. B b b.", "C c c c c. D."]
    assert [p.text for p in passages(make_doc(text), words, model_name="m", sizes=(6,))] \
        == ["A a a. B b b.", "C c c c c. D."]      # "B b b." + "C c c c c." would be 8 words


def test_passages_never_cross_a_page() -> None:
    doc = make_doc(pages=("One. Two.", "Three. Four."))
    got = passages(doc, words, model_name="m", sizes=(50,))
    assert [(p.page, p.text) for p in got] == [(1, "One. Two."), (2, "Three. Four.")]


def test_passages_split_a_long_sentence_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(25)) + "."
    got = passages(make_doc(text), words, model_name="m", sizes=(10,), overlap_sentences=0)
    assert [words(p.text) for p in got] == [10, 10, 5]
    assert " ".join(p.text for p in got) == text


def test_passages_cut_a_word_longer_than_the_limit() -> None:
    blob = "QUJD" * 300                                   # 1,200 characters, no spaces
    def count(s: str) -> int:
        return sum(math.ceil(len(w) / 4) for w in s.split())
    got = passages(make_doc(f"Start. {blob} end."), count, model_name="m", sizes=(100,))
    assert all(count(p.text) <= 100 for p in got)
    assert "".join(p.text for p in got if "QUJD" in p.text).replace("Start. ", "").replace(" end.", "") == blob


def test_passages_cut_once_per_size_with_ordinals_running_on_and_no_span_twice() -> None:
    text = "A a a. B b b. C c c."
    got = passages(make_doc(text), words, model_name="m", sizes=(9, 6, 3))
    assert [(p.size, p.ordinal, p.text) for p in got] == [
        (9, 0, "A a a. B b b. C c c."),
        (6, 1, "A a a. B b b."), (6, 2, "B b b. C c c."),
        (3, 3, "A a a."), (3, 4, "B b b."), (3, 5, "C c c.")]
    assert len({p.id for p in got}) == 6 and got[3].id == passage_id("doc", 3, "m")
    short = passages(make_doc("Only one. Sentence pair."), words, model_name="m", sizes=(200, 64))
    assert [(p.size, p.text) for p in short] == [(200, "Only one. Sentence pair.")]   # 64 adds nothing


def test_passages_reject_no_size_or_a_negative_overlap() -> None:
    for kwargs in ({"sizes": ()}, {"overlap_sentences": -1}):
        with pytest.raises(ValueError, match="at least"):
            passages(make_doc("Text."), words, model_name="m", **kwargs)


def test_passages_reject_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        passages(make_doc("Text."), words, model_name="m", sizes=(0,))


PIECES = [*"abcXY .!?\n\t\"'", "\xa0", "\r\n", "word ", "Mr. ", "D.S. ", "3.5", "\n\n", "No. 5", "etc. x", "…"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(pages=st.lists(TEXT, max_size=4), limit=st.integers(1, 30), overlap=st.integers(0, 2))
def test_passages_property_spans_exact_within_limit_and_covering(pages: list[str], limit: int,
                                                                 overlap: int) -> None:
    doc = make_doc(pages=tuple(pages))
    got = passages(doc, words, model_name="m", sizes=(limit,), overlap_sentences=overlap)
    spans = {s.page: s for s in segments(doc)}
    covered = [False] * len(doc.text)
    for p in got:
        assert p.text == doc.text[p.start:p.end] and p.text == p.text.strip() and p.text
        assert words(p.text) <= limit
        assert spans[p.page].start <= p.start < p.end <= spans[p.page].end
        covered[p.start:p.end] = [True] * (p.end - p.start)
    assert all(c or ch.isspace() for c, ch in zip(covered, doc.text))
    assert [p.ordinal for p in got] == list(range(len(got)))
    assert [p.start for p in got] == sorted(p.start for p in got)


def test_passages_with_the_real_tokenizer_stay_within_the_model_limit() -> None:
    from nlp.embeddings import get_embedder

    tokenizer = get_embedder().model.tokenizer
    count = token_counter(tokenizer)
    sentence = ("On 12 March 2024 DS Smith interviewed Mr. O'Neill about payments of £1,234.56 "
                "to Acme Holdings Ltd and the unexplained withdrawals from accounts in Manchester. ")
    text = sentence * 40 + ("unbelievably-hyphenated-extraordinarily-long-token " * 120) + "x" * 3000
    got = passages(make_doc(text), count, model_name="all-MiniLM-L6-v2@384")
    assert len(got) > 5
    for p in got:
        assert count(p.text) <= 200
        assert len(tokenizer(p.text)["input_ids"]) <= tokenizer.model_max_length
