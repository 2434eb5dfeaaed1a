"""Values as the stores accept them: cleaned when a record is made, each change said in a note."""

from datetime import datetime, timedelta, timezone

import pytest

from clew import values
from clew.records import Document, EmailHeaders, Extraction, SourceFile


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize("value, kept, noted", [
    (None, None, None),
    (datetime(2024, 3, 1, 9, 30, tzinfo=tz(1)), datetime(2024, 3, 1, 9, 30, tzinfo=tz(1)), None),
    (datetime(2024, 3, 1, 9, 30), datetime(2024, 3, 1, 9, 30), None),
    (datetime(2002, 9, 9, 5, 26, tzinfo=tz(14)), datetime(2002, 9, 9, 5, 26, tzinfo=tz(14)), None),
    (datetime(2002, 9, 9, 5, 26, tzinfo=tz(-19)), datetime(2002, 9, 9, 5, 26, tzinfo=timezone.utc), "-19 hours"),
    (datetime(2002, 9, 9, 5, 26, tzinfo=tz(23.5)), datetime(2002, 9, 9, 5, 26, tzinfo=timezone.utc), "+23.5 hours"),
    (datetime(1, 1, 1), None, "0001-01-01"),
    (datetime(9999, 12, 31), None, "not a plausible date"),
    (datetime(1799, 12, 31), None, "years 1800-2100"),
])
def test_values_instant(value, kept, noted):
    got, note = values.instant(value, "email date")
    assert got == kept and (got is None or got.utcoffset() == kept.utcoffset())
    assert (note is None) == (noted is None) and (noted is None or (noted in note and "email date" in note))


@pytest.mark.parametrize("value, kept", [("a\x00b", "a b"), ("plain", "plain"), ("", "")])
def test_values_text_keeps_offsets(value, kept):
    assert values.text(value) == kept and len(values.text(value)) == len(value)


def test_values_keyword_too_long_is_left_out_with_its_length():
    assert values.keyword("a@example.com", "email to") == ("a@example.com", None)
    assert values.keyword("x" * values.KEYWORD_MAX, "f")[0] == "x" * values.KEYWORD_MAX
    kept, note = values.keyword("x" * 80_000, "email to")
    assert kept is None and "80,000 characters" in note and note.startswith("email to:")


def test_values_fields_beyond_the_index_limit_are_cut_with_a_note():
    few = tuple((f"k{i}", "v") for i in range(3))
    assert values.fields(few) == (few, None)
    many = tuple((f"k{i}", "v\x00") for i in range(values.FIELDS_MAX + 7))
    kept, note = values.fields(many)
    assert len(kept) == values.FIELDS_MAX and kept[-1] == (f"k{values.FIELDS_MAX - 1}", "v ")
    assert note.startswith("fields:") and f"{values.FIELDS_MAX + 7:,}" in note
    assert Extraction(text="", fields=many).notes == (note,)


def test_values_an_extraction_is_cleaned_with_notes():
    ex = Extraction(text="a\x00b", title="t\x00", author="A" * 5000, created_at=datetime(1, 1, 1),
                    fields=(("k\x00", "v\x00"),),
                    email=EmailHeaders(sender="x" * 80_000, to=("a@example.com", "y" * 2000), message_id="<id\x00>",
                                       sent_at=datetime(2002, 9, 9, 5, 26, tzinfo=tz(-19))))
    assert (ex.text, ex.title, ex.author, ex.created_at, ex.fields) == ("a b", "t ", None, None, (("k ", "v "),))
    assert ex.email.sender is None and ex.email.to == ("a@example.com",) and ex.email.message_id == "<id >"
    assert ex.email.sent_at == datetime(2002, 9, 9, 5, 26, tzinfo=timezone.utc)
    assert [n.split(":")[0] for n in ex.notes] == ["author", "date", "email sender", "email to", "email date"]


def test_values_a_document_read_back_is_not_changed():
    source = SourceFile(case_id="c", path="p", sha256="s", size=1)
    doc = Document(id="d", case_id="c", source=source, kind="email", text="x", notes=("date: kept as UTC",),
                   created_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert Document.model_validate(doc.model_dump(mode="json")) == doc
