"""ingest.formats.metafile_text and ole_pictures: the text an EMF or WMF picture draws, lines by
baseline, glyph indices left out, a damaged picture giving what comes before the damage; pictures
found in a stream by their BLIP headers, deflated or not, within their limits."""

import struct
import zlib

from ingest.formats import metafile_text, ole_pictures
from ingest.formats.base import Limits
from tests.ingest.formats.embedded_samples import blip, emf, wmf


def test_metafile_text_emf_lines_by_baseline_words_by_advance() -> None:
    picture = emf([(100, 10, "Part"), (140, 10, "ners"), (200, 10, "R&D"), (20, "Total")], glyphs="\x03\x04")
    assert metafile_text.text(picture, 1000) == "Partners R&D\nTotal"            # 'ners' starts where 'Part' ends


def test_metafile_text_wmf_in_the_font_character_set() -> None:
    picture = wmf(["\u041f\u0440\u0438\u0432\u0435\u0442", "second line"], charset=204, codec="cp1251")
    assert metafile_text.text(picture, 1000) == "\u041f\u0440\u0438\u0432\u0435\u0442\nsecond line"
    placeable = b"\xd7\xcd\xc6\x9a" + bytes(18) + wmf(["behind a placeable header"])
    assert metafile_text.text(placeable, 1000) == "behind a placeable header"


def test_metafile_text_damaged_or_foreign_data() -> None:
    picture = emf([(10, "Before the damage"), (20, "After")])
    cut = picture[: picture.index("After".encode("utf-16-le")) - 8]
    assert metafile_text.text(cut, 1000) == "Before the damage"
    looping = picture[:88] + struct.pack("<II", 84, 0) + picture[96:]            # a record of size 0
    assert metafile_text.text(looping, 1000) == ""
    assert metafile_text.text(b"\x89PNG\r\n\x1a\n" + bytes(100), 1000) == ""
    assert metafile_text.text(emf([(10, "x" * 500)]), 20) == "x" * 20


def test_ole_pictures_found_by_their_headers_within_limits() -> None:
    first, second = blip(emf([(10, "Chart title")])), blip(wmf(["Legend"]), kind="wmf", compressed=False)
    stream = b"\x00" * 77 + first + b"junk" + second
    assert ole_pictures.text([stream], Limits()) == "Chart title\n\nLegend"
    assert ole_pictures.text([stream], Limits(max_members=1)) == "Chart title"
    zero = bytearray(blip(emf([(10, "hidden")])))
    zero[24:28] = bytes(4)                                        # declares 0 bytes: never inflated unbounded
    bomb = blip(bytes(1)) [:24] + struct.pack("<I", 1 << 30) + blip(bytes(1))[28:]    # declares 1 GiB
    assert ole_pictures.text([bytes(zero) + bomb + zlib.compress(b"")], Limits()) == ""
    assert ole_pictures.text([first[:40]], Limits()) == ""                    # cut short
