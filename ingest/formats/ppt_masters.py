"""The text a PowerPoint 97-2003 slide master (a MainMaster, or a title master's Slide record) shows
on the slides that show its objects: text boxes drawn on it, and its date, footer and header
placeholders; not its title and body placeholders, whose text is the prompt PowerPoint shows
('Click to edit Master title style'), nor its slide number. A shape (OfficeArt SpContainer) is a
placeholder when its client data holds an OEPlaceholderAtom, whose byte 4 says which placeholder
([MS-PPT] 2.5.10, PlaceholderEnum). The header and footer texts (a HeadersFootersContainer, a
slide's own or else the document's) are shown on the slides when their atom's flags say so."""

from ingest.formats import ppt_records as r

_SHOWN = frozenset({0x07, 0x09, 0x0A})                 # MasterDate, MasterFooter, MasterHeader
_HEADERS_FOOTERS, _HEADERS_FOOTERS_ATOM, _SLIDES = 0x0FD9, 0x0FDA, 3
_TEXT_SHOWN = 0x04 | 0x10 | 0x20                       # fHasUserDate, fHasHeader, fHasFooter
_TEXTS = (r.TEXT_CHARS, r.TEXT_BYTES)


def text(stream: bytes, offset: int | None) -> list[str]:
    """Each line of text the master (or title master) at `offset` shows on its slides, once."""
    master, lines = r.at(stream, offset), []
    if master is None or master.type not in (r.MAIN_MASTER, r.SLIDE):
        return []
    for shape in (record for record in r.walk(stream, master) if record.type == r.SHAPE):
        if _shown(stream, shape):
            lines += [t for box in r.children(stream, shape) if box.type == r.CLIENT_TEXTBOX
                      for record in r.children(stream, box) if record.type in _TEXTS
                      and (t := r.text(stream, record)) and t != "*"]
    return list(dict.fromkeys(lines))


def _shown(stream: bytes, shape: r.Record) -> bool:
    """A shape that is no placeholder, or one whose text shows on the slides."""
    for data in (record for record in r.children(stream, shape) if record.type == r.CLIENT_DATA):
        for atom in r.children(stream, data):
            if atom.type == r.PLACEHOLDER:
                return atom.start + 5 <= atom.end and stream[atom.start + 4] in _SHOWN
    return True


def footers(stream: bytes, container: r.Record | None) -> list[str] | None:
    """The header, footer and date texts a slide's HeadersFootersContainer in `container` shows
    (PowerPoint writes them in CString records); None when `container` has none."""
    found = next((record for record in r.children(stream, container) if record.type == _HEADERS_FOOTERS
                  and record.instance == _SLIDES), None) if container else None
    if found is None:
        return None
    atom = next((record for record in r.children(stream, found) if record.type == _HEADERS_FOOTERS_ATOM), None)
    flags = int.from_bytes(stream[atom.start + 2: atom.start + 4], "little") if atom else 0
    return [t for record in r.children(stream, found) if record.type == r.CSTRING and flags & _TEXT_SHOWN
            and (t := r.text(stream, record))]
