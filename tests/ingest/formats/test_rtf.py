"""The rtf format (ingest/formats/rtf.py, rtf_clean.py) on RTF written by hand: Unicode and code-page
escapes, tables, the \\info group, pictures and objects skipped, and the input on which striprtf
alone raised or took minutes."""

import codecs
import os
import time

import pytest
from striprtf.striprtf import charset_map

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.formats import rtf_clean

HEADER = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\froman\fcharset204 Times;}}"
          rb"{\info{\title Caf\'e9 notes \u8364?}{\author DC Jones}{\operator Someone Else}"
          rb"{\creatim\yr2024\mo5\dy3\hr9\min5}}" + b"\n")
MEMO = HEADER + (
    rb"\pard\f0 Operation Kestrel: paid \u8364?500 at the caf\'e9.\par" + b"\r\n"
    rb"\f1 \'cf\'f0\'e8\'e2\'e5\'f2\f0\par" + b"\n"                               # Cyrillic, Windows-1251 font
    rb"Emoji \u-10179?\u-8704? and \{braces\} and a back\\slash.\par" + b"\n"
    rb"\trowd\cellx2000\cellx4000\intbl Name\cell Phone\cell\row"
    rb"\trowd\cellx2000\cellx4000\intbl Sam Ray\cell 07700 900123\cell\row"
    rb"\pard After the table.\par}")


def test_rtf_text_escapes_tables_and_info(read) -> None:
    found = read("memo.rtf", MEMO)
    assert found.text.splitlines() == [
        "Operation Kestrel: paid €500 at the café.", "Привет", "Emoji 😀 and {braces} and a back\\slash.",
        "Name | Phone", "Sam Ray | 07700 900123", "After the table."]
    assert (found.title, found.author, str(found.created_at)) == (
        "Café notes €", "DC Jones", "2024-05-03 09:05:00+00:00")
    assert found.processed_by == ("rtf.v1", found.processed_by[1]) and found.processed_by[1].startswith("striprtf ")


def test_rtf_footnotes_and_comments_on_lines_of_their_own(read) -> None:
    data = (rb"{\rtf1\ansi The van{\super\chftn}{\footnote\pard\plain{\super\chftn} Seen by DC Jones.} was blue."
            rb"{\*\atnid SP}{\*\atnauthor Sgt Patel}\chatn{\*\annotation{\*\atndate 1}\pard\plain Check the plates.}"
            rb"\par Next.\par}")
    assert read("notes.rtf", data).text.splitlines() == [
        "The van", "Note: Seen by DC Jones.", "was blue.", "Comment: Check the plates.", "", "Next."]


def test_rtf_detected_by_content_whatever_the_name() -> None:
    for name in ("memo.rtf", "memo.doc", "memo.txt", "memo"):
        probe = detect.probe(name, MEMO)
        assert probe.media_type == "application/rtf" and registry.choose(probe).name == "rtf"


def test_rtf_pictures_and_objects_are_skipped_in_linear_time(read) -> None:
    picture = os.urandom(10 << 20).hex().encode()                           # 20 MB of hex
    lines = b"\n".join(picture[i : i + 128] for i in range(0, len(picture), 128))
    data = HEADER + (rb"Before.\par{\*\shppict{\pict\pngblip\picw10\pich10 " + lines + rb"}}\par "
                     rb"{\object\objemb{\*\objdata 0105000002000000" + b"ab" * 100_000 + rb"}}Shown.\par "
                     rb"{\pict\bin8 {}}{\}\\}After.\par}")                  # binary data holding braces
    started = time.monotonic()
    found = read("pictures.rtf", data)
    assert time.monotonic() - started < 10                                 # striprtf alone: ~8 s, idle machine
    assert [line for line in found.text.splitlines() if line] == ["Before.", "Shown.", "After."]
    assert "pictures, embedded objects and other binary data skipped (3)" in found.processed_by


@pytest.mark.parametrize(("body", "text"), [
    (rb"\u99999999? big", "? big"),                                       # striprtf: chr() out of range
    (rb"\uc no number", "no number"),                                     # striprtf: int(None)
    (rb"{\fonttbl{\f9\fcharset78 Osaka;}}\f9 \'82\'a0", "あ"),            # striprtf: no codec mac_japanese
    (rb"{\pict\bin}x", "x"),                                              # striprtf: int('')
])
def test_rtf_input_striprtf_raised_on(read, body: bytes, text: str) -> None:
    assert read("odd.rtf", rb"{\rtf1\ansi " + body + b"}").text == text


def test_rtf_input_striprtf_took_minutes_on(read) -> None:
    field = b'{\\field{\\*\\fldinst{ HYPERLINK "http://x.example" }}{\\fldrslt{link}}} '
    fields = b"{\\rtf1\\ansi " + field * 20_000 + b"}"
    fonts = b"{\\rtf1\\ansi{\\fonttbl" + b"\\f1 x" * 200_000 + b"}hello}"
    started = time.monotonic()
    assert read("fields.rtf", fields).text == " ".join(["link"] * 20_000)   # striprtf alone: minutes
    assert read("fonts.rtf", fonts).text == "hello"                         # striprtf alone: ~14 s
    assert time.monotonic() - started < 10


def test_rtf_every_character_set_striprtf_names_has_a_codec_after_cleaning() -> None:
    for number, codec in charset_map.items():
        codecs.lookup(charset_map[rtf_clean._MAC.get(number, number)])


def test_rtf_truncated_and_limits(read) -> None:
    cut = read("cut.rtf", MEMO[: len(MEMO) // 2])                          # no closing braces: what is there
    assert cut.text.startswith("Operation Kestrel")
    limited = read("memo.rtf", MEMO, max_text_chars=20)
    assert limited.text == "Operation Kestrel: p" and "text truncated to 20 characters" in limited.processed_by


def test_rtf_a_font_without_a_character_set_does_not_take_the_next_ones(read) -> None:
    data = rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}{\f1\fcharset204 Times;}}\f0 caf\'e9 \f1 \'cf\'f0\'e8}"
    assert read("fonts.rtf", data).text == "café При"                     # striprtf alone: 'cafй Ïðè'


def test_rtf_a_bad_code_page_byte_is_replaced_not_fatal(read) -> None:
    assert read("odd.rtf", rb"{\rtf1\ansi\ansicpg932 \'82\'ff\'82\'a0 end}").text.endswith("end")


def test_rtf_what_striprtf_still_raises_on_is_a_failure(read, monkeypatch) -> None:
    from ingest.formats import rtf

    monkeypatch.setattr(rtf, "rtf_to_text", lambda *a, **k: chr(-1))
    with pytest.raises(Unreadable, match=r"^corrupt RTF: ValueError"):
        read("odd.rtf", MEMO)
