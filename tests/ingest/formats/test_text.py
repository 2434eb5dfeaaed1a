import pytest

from ingest.errors import Unreadable

SENTENCE = "Met Sam at the café; he paid “€500” in cash."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_text_decodes_common_encodings(read, encoding: str) -> None:
    data = ((SENTENCE + "\n") * 3).encode(encoding)
    extraction = read("notes.txt", data)
    assert extraction.text.startswith(SENTENCE)
    assert "\ufeff" not in extraction.text


def test_text_latin1_guessed(read) -> None:
    data = "Rendez-vous au café près de la gare, façade crème, à midi.\n".encode("latin-1")
    assert "café" in read("notes.txt", data).text


def test_text_markdown_title(read) -> None:
    extraction = read("case.md", b"# Operation Kestrel\n\nNotes from the briefing.\n")
    assert extraction.title == "Operation Kestrel"
    assert "briefing" in extraction.text


def test_text_records_format_and_library(read) -> None:
    by = read("notes.txt", b"hello").processed_by
    assert by[0] == "text.v1" and by[1].startswith("charset-normalizer ")


def test_text_truncated_and_said_so(read) -> None:
    extraction = read("long.txt", b"kestrel " * 1000, max_text_chars=100)
    assert len(extraction.text) == 100
    assert "text truncated to 100 characters" in extraction.processed_by


def test_text_binary_junk_is_unreadable(read) -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(Unreadable, match="binary data, not text"):
        read("junk.txt", junk)


def test_text_stray_nul_is_dropped(read) -> None:
    assert read("notes.txt", b"Kest\x00rel was here.\n").text == "Kestrel was here.\n"


def test_text_empty_file_reads_as_empty(read) -> None:
    assert read("empty.txt", b"").text == ""


def test_text_cut_utf8_sequence_is_not_an_error(read) -> None:
    data = "é".encode() * 50
    assert read("e.txt", data, max_text_chars=10).text == "é" * 10
