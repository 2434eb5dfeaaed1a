"""Word 97-2003 (.doc) and PowerPoint 97-2003 (.ppt) files built for the tests, laid out by hand
from [MS-DOC], [MS-PPT] and [MS-OLEPS] on ole_writer: only the structures Clew reads, each as
Office writes it."""

import struct
import uuid
from datetime import UTC, datetime

from tests.ingest.formats.ole_writer import Tree, compound

SUMMARY = uuid.UUID("F29F85E0-4FF9-1068-AB91-08002B27B3D9")
TEXT_START = 0x800                                      # where the text pieces go in WordDocument


def summary_information(title: str = "", author: str = "", created: datetime | None = None) -> bytes:
    """A \\x05SummaryInformation property set: code page 1252, title (2), author (4), created (12)."""
    values = [(1, struct.pack("<HHh2x", 2, 0, 1252))]
    for pid, text in ((2, title), (4, author)):
        if text:
            raw = text.encode("cp1252") + b"\0"
            values.append((pid, struct.pack("<HHI", 30, 0, len(raw)) + raw.ljust(-(-len(raw) // 4) * 4, b"\0")))
    if created:
        ticks = int((created - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
        values.append((12, struct.pack("<HHQ", 64, 0, ticks)))
    offsets, at = [], 8 + 8 * len(values)
    for pid, value in values:
        offsets.append(struct.pack("<II", pid, at))
        at += len(value)
    section = struct.pack("<II", at, len(values)) + b"".join(offsets) + b"".join(v for _, v in values)
    return (struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + bytes(16) + struct.pack("<I", 1)
            + SUMMARY.bytes_le + struct.pack("<I", 48) + section)


def doc(pieces: list[tuple[str, bool]], encrypted: bool = False, title: str = "", author: str = "",
        created: datetime | None = None, table: str = "1Table", clx: bytes | None = None,
        fast_saved: bool = False, extra: Tree | None = None) -> bytes:
    """A Word 97 document whose text is `pieces`, each (text, compressed): 8-bit Windows-1252 or
    UTF-16LE; `fast_saved` lays the pieces' bytes out in reverse order, as a fast save may; `extra`
    adds streams and storages (an ObjectPool, a Data stream) at its root."""
    stream, plc_cps, fcs = bytearray(TEXT_START), [0], {}
    for number in reversed(range(len(pieces))) if fast_saved else range(len(pieces)):
        text, compressed = pieces[number]
        fcs[number] = len(stream) * 2 | 0x40000000 if compressed else len(stream)
        stream += text.encode("cp1252" if compressed else "utf-16-le")
    for text, _ in pieces:
        plc_cps.append(plc_cps[-1] + len(text))
    plc_pcds = [struct.pack("<HIH", 0, fcs[number], 0) for number in range(len(pieces))]
    cp = plc_cps[-1]
    plc = struct.pack(f"<{len(plc_cps)}I", *plc_cps) + b"".join(plc_pcds)
    prc = b"\x01" + struct.pack("<h", 2) + b"\x00\x00"                  # one Prc (formatting) first, as Word writes
    clx = clx if clx is not None else prc + b"\x02" + struct.pack("<I", len(plc)) + plc
    table_stream = bytes(64) + clx
    fc_lcb = bytearray(93 * 8)
    struct.pack_into("<II", fc_lcb, 33 * 8, 64, len(clx))
    rg_lw = bytearray(22 * 4)
    struct.pack_into("<I", rg_lw, 3 * 4, cp)                     # ccpText
    flags = (0x0200 if table == "1Table" else 0) | (0x0100 if encrypted else 0)
    fib = (struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0409, 0, flags) + bytes(20) + struct.pack("<H", 14)
           + bytes(28) + struct.pack("<H", 22) + bytes(rg_lw) + struct.pack("<H", 93) + bytes(fc_lcb)
           + struct.pack("<H", 0))
    stream[: len(fib)] = fib
    return compound({"WordDocument": bytes(stream), table: table_stream,
                     "\x05SummaryInformation": summary_information(title, author, created), **(extra or {})})


def record(kind: int, body: bytes = b"", instance: int = 0, container: bool = False) -> bytes:
    return struct.pack("<HHI", instance << 4 | (0xF if container else 0), kind, len(body)) + body


def _chars(text: str) -> bytes:
    return record(0x0F9F, struct.pack("<I", 1)) + record(0x0FA0, text.encode("utf-16-le"))


def _drawing(texts: list[str]) -> bytes:
    """A PPDrawing holding a shape a text: OfficeArtClientTextbox records in shape containers."""
    shapes = b"".join(record(0xF004, record(0xF00D, _chars(t), container=True), container=True) for t in texts)
    return record(0x040C, record(0xF002, record(0xF003, shapes, container=True), container=True), container=True)


def _shape(text: str, placeholder: int | None) -> bytes:
    """A shape with a text box, a placeholder of that type (its OEPlaceholderAtom) when not None."""
    data = record(0xF011, record(0x0BC3, struct.pack("<iBB2x", 0, placeholder, 0)), container=True) \
        if placeholder is not None else b""
    return record(0xF004, data + record(0xF00D, _chars(text), container=True), container=True)


def ppt(slides: list[dict], encrypted: bool = False, title: str = "", author: str = "",
        stale: str = "", objects: tuple[bytes, ...] = (), pictures: bytes = b"",
        master: tuple[tuple[str, int | None], ...] = (), footer: str = "") -> bytes:
    """A presentation of `slides`, each {'title', 'body' (placeholder text in the slide list),
    'boxes' (text boxes on the slide), 'notes', 'comment': (author, text), 'bytes': a TextBytesAtom
    text}; `stale` puts an old copy of slide 1 holding that text first, as a fast save leaves;
    `objects` are ExOleObjStg records the persist directory names, `pictures` the Pictures stream,
    `master` the shapes of a MainMaster every slide shows: (text, placeholder type or None);
    `footer` a footer every slide shows (the document's HeadersFootersContainer)."""
    count = len(slides)
    slide_ids, notes_ids = [256 + n for n in range(count)], [0x300 + n for n in range(count)]
    slide_refs, notes_refs = [2 + n for n in range(count)], [2 + count + n for n in range(count)]
    outline = b""
    for number, slide in enumerate(slides):
        outline += record(0x03F3, struct.pack("<IIIII", slide_refs[number], 0, 2, slide_ids[number], 0))
        outline += _chars(slide.get("title", "")) + _chars(slide.get("body", ""))
        if "bytes" in slide:
            outline += record(0x0F9F, struct.pack("<I", 1)) + record(0x0FA8, slide["bytes"].encode("latin-1"))
    notes_list = b"".join(record(0x03F3, struct.pack("<IIIII", notes_refs[n], 0, 0, notes_ids[n], 0))
                          for n in range(count))
    master_ref = 2 * count + 2 + len(objects)                  # after the slides, notes and objects
    masters = record(0x0FF0, record(0x03F3, struct.pack("<IIIII", master_ref, 0, 0, 0x80000000, 0)), 1, True) \
        if master else b""
    footers = record(0x0FD9, record(0x0FDA, struct.pack("<HH", 0, 0x20)) + record(0x0FBA, footer.encode("utf-16-le"),
                                                                                  2), 3, True) if footer else b""
    document = record(0x03E8, record(0x03E9, bytes(40)) + record(0x0FF0, outline, 0, True) + masters + footers
                      + record(0x0FF0, notes_list, 2, True), container=True)
    stream, offsets = bytearray(), {}
    if stale:
        stream += record(0x03EE, _drawing([stale]), container=True)
    offsets[1] = len(stream)
    stream += document
    for number, slide in enumerate(slides):
        offsets[slide_refs[number]] = len(stream)
        atom = record(0x03EF, struct.pack("<I8sIIHH", 0, bytes(8), 0x80000000, notes_ids[number],
                                          1 if master else 0, 0), 0)       # fMasterObjects: shows the master's
        comments = b""
        if "comment" in slide:
            who, said = slide["comment"]
            comment = record(0x2EE0, record(0x0FBA, who.encode("utf-16-le"), 0) + record(0x0FBA, b"D\0", 2)
                             + record(0x0FBA, said.encode("utf-16-le"), 1) + record(0x2EE1, bytes(28)), container=True)
            tag = record(0x0FBA, "___PPT10".encode("utf-16-le")) + record(0x138B, comment)   # recVer 0, as written
            comments = record(0x1388, record(0x138A, tag, container=True), container=True)
        stream += record(0x03EE, atom + _drawing(slide.get("boxes", [])) + comments, container=True)
    for number, slide in enumerate(slides):
        offsets[notes_refs[number]] = len(stream)
        stream += record(0x03F0, record(0x03F1, struct.pack("<IHH", slide_ids[number], 0, 0))
                         + _drawing([slide["notes"]] if slide.get("notes") else []), container=True)
    for extra in (*objects, *([record(0x03F8, record(0x040C, record(0xF002, record(0xF003, b"".join(
            _shape(text, kind) for text, kind in master), container=True), container=True), container=True),
            container=True)] if master else [])):
        offsets[len(offsets) + 1] = len(stream)
        stream += extra
    directory = struct.pack("<I", (len(offsets) << 20) | 1) + b"".join(struct.pack("<I", offsets[i])
                                                                       for i in sorted(offsets))
    persist_at = len(stream)
    stream += record(0x1772, directory)
    edit_at = len(stream)
    stream += record(0x0FF5, struct.pack("<IHBBIIIIHH", slide_ids[-1] if slides else 0, 0, 0, 3, 0, persist_at,
                                         1, len(offsets) + 1, 1, 0))
    token = 0xF3D1C4DF if encrypted else 0xE391C05F
    user = record(0x0FF6, struct.pack("<IIIHHBBH", 0x14, token, edit_at, 4, 0x03F4, 3, 0, 0) + b"DC J"
                  + struct.pack("<I", 8))
    return compound({"PowerPoint Document": bytes(stream), "Current User": user,
                     "\x05SummaryInformation": summary_information(title, author),
                     **({"Pictures": pictures} if pictures else {})})
