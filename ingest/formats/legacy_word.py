"""Word 97-2003 documents (.doc, [MS-DOC]) on olefile: the text through the piece table
(ingest.formats.word_text), table rows as `cell | cell` lines as the docx format writes them, and
title, author and creation time from the summary information; the text its metafile pictures draw
(ingest.formats.ole_pictures) after its own; the objects embedded in it (its ObjectPool storages)
as children, by ingest.formats.ole_objects. A Word 6/95 document gives the one
run of text its FIB points at; when the piece table cannot be followed, the text is scanned for
(best effort, and `processed_by` says so). A document saved with a password fails."""

from clew.records import Extraction
from ingest.errors import Unreadable
from ingest.formats import common, ole, ole_objects, ole_pictures, word_text
from ingest.formats.base import Limits, Probe
from ingest.formats.word_text import Damaged, Fib

WHAT = "Word document (.doc)"
ENCRYPTED = "encrypted Word document (password protected): Clew cannot read it without the password"
SCANNED = "piece table unreadable ({}): text recovered by a byte scan, best effort"


class LegacyWord:
    name = "doc"
    version = "v2"      # v2: embedded OLE objects (ObjectPool) as children, the text of metafile pictures
    media_types = frozenset({ole.DOC})
    extensions = frozenset({"doc", "dot"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        compound = ole.Compound(data, WHAT, limits.max_expanded_bytes)
        if not compound.exists("WordDocument"):
            raise Unreadable(f"corrupt {WHAT}: no WordDocument stream")
        stream = compound.read("WordDocument")
        try:
            fib = word_text.fib(stream)
        except Damaged as exc:
            raw, cut, notes = word_text.scan(stream, 0, limits.max_text_chars), False, [SCANNED.format(exc)]
        else:
            if fib.encrypted:
                raise Unreadable(ENCRYPTED)
            raw, cut, notes = _text(compound, stream, fib, limits)
        pictures, damaged = ole_pictures.in_compound(compound, ("Data",), limits, stream)
        objects = ole_objects.in_storages(compound, [f"ObjectPool/{n}" for n in compound.names("ObjectPool")], limits)
        text = "\n".join(filter(None, [word_text.clean(raw), pictures, *objects.lines]))
        cut = cut or len(text) > limits.max_text_chars
        summary = compound.summary()
        return Extraction(
            text=text[: limits.max_text_chars],
            children=objects.children,
            title=summary.title,
            author=summary.author,
            created_at=summary.created,
            processed_by=(common.stamp(self), common.library("olefile"), *notes, *damaged,
                          *((common.truncated(limits.max_text_chars),) if cut else ())),
        )


def _text(compound: ole.Compound, stream: bytes, fib: Fib, limits: Limits) -> tuple[str, bool, list[str]]:
    """(text, whether it was cut, notes): from the piece table (Word 97-2003), the FIB's text run
    (Word 6/95), else by a scan."""
    try:
        if fib.version < 0xC0:                             # Word 6/95: the text is one run, unless fast-saved
            start, end = fib.text_range
            if fib.complex or not start < end <= len(stream):
                raise Damaged("a Word 6/95 document saved fast" if fib.complex else "a Word 6/95 FIB")
            run = stream[start: min(end, start + limits.max_text_chars + 1)]
            return run.decode("cp1252", "replace"), end - start > limits.max_text_chars, ["Word 6/95 document"]
        if not compound.exists(fib.table):
            raise Damaged(f"no {fib.table} stream")
        text, cut = word_text.pieces(stream, compound.read(fib.table), fib.clx, limits.max_text_chars)
        return text, cut, []
    except Damaged as exc:
        return word_text.scan(stream, fib.end, limits.max_text_chars), False, [SCANNED.format(exc)]
