"""PowerPoint 97-2003 presentations (.ppt, [MS-PPT]) on olefile: a page a slide, in the order
the presentation shows them, each with its text (placeholders' text from the slide list, then the
slide's text boxes and tables), its comments ('Comment (author): text') and its speaker notes
('Notes: ...'), the text its master shows on it when the slide shows its master's objects and its
header and footer (ingest.formats.ppt_masters); title, author and creation time from the summary information. After
the slides, the text its metafile pictures draw (ingest.formats.ole_pictures); the objects embedded in it
(ExOleObjStg records) as children, by ingest.formats.ole_objects.

The slides are found as PowerPoint finds them: the last UserEditAtom names the document by its
persist id, the persist directories (later ones override earlier ones, as an incremental save
appends) give each slide's offset, so text a fast save left behind in old copies of a slide is
not read. When that structure cannot be followed, every text record in the stream is read in
stream order as one text without pages, and `processed_by` says so."""

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, ole, ole_objects, ole_pictures, ppt_masters, ppt_records
from ingest.formats import ppt_records as r
from ingest.formats.base import Limits, Probe

WHAT = "PowerPoint presentation (.ppt)"
ENCRYPTED = "encrypted PowerPoint presentation (password protected): Clew cannot read it without the password"
UNSTRUCTURED = "slide structure unreadable: the text of every text record, without slides"
_ENCRYPTED_TOKEN = 0xF3D1C4DF                          # CurrentUserAtom.headerToken of an encrypted file
_TEXTS = (r.TEXT_CHARS, r.TEXT_BYTES)


class LegacyPowerpoint:
    name = "ppt"
    version = "v2"      # v2: embedded objects as children; the text of masters, comments in tags, pictures
    media_types = frozenset({ole.PPT})
    extensions = frozenset({"ppt", "pps", "pot"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        compound = ole.Compound(data, WHAT, limits.max_expanded_bytes)
        user = compound.read("Current User") if compound.exists("Current User") else b""
        if compound.exists("EncryptedSummary") or user[12:16] == _ENCRYPTED_TOKEN.to_bytes(4, "little"):
            raise Unreadable(ENCRYPTED)
        if not compound.exists("PowerPoint Document"):
            raise Unreadable(f"corrupt {WHAT}: no PowerPoint Document stream")
        stream = compound.read("PowerPoint Document")
        persist = _persist(stream)
        slides = _slides(stream, persist)
        pages = tuple(Page(number=n, text=t) for n, t in enumerate(slides or (), start=1))
        text = "\n\n".join(p.text for p in pages) if slides is not None else _every_text(stream)
        pictures, damaged = ole_pictures.in_compound(compound, ("Pictures",), limits)
        objects = ole_objects.in_presentation(stream, persist, limits)
        text = "\n\n".join(filter(None, [text, pictures, "\n".join(objects.lines)]))
        summary = compound.summary()
        notes = (UNSTRUCTURED,) if slides is None else ()
        cut = (common.truncated(limits.max_text_chars),) if len(text) > limits.max_text_chars else ()
        return Extraction(text=text[: limits.max_text_chars], pages=pages, children=objects.children,
                          title=summary.title, author=summary.author, created_at=summary.created,
                          processed_by=(common.stamp(self), common.library("olefile"), *notes, *damaged, *cut))


def _persist(stream: bytes) -> dict[int, int]:
    """Persist id -> offset of the record it names, later persist directories overriding earlier ones."""
    persist: dict[int, int] = {}
    for record in r.children(stream):
        if record.type == r.PERSIST_DIRECTORY:
            persist.update(r.persist_directory(stream, record))
    return persist


def _slides(stream: bytes, persist: dict[int, int]) -> list[str] | None:
    """Each slide's text, or None when the document or its slide list cannot be found."""
    edit = last_document = None
    for record in r.children(stream):
        edit = record if record.type == r.USER_EDIT else edit
        last_document = record if record.type == r.DOCUMENT else last_document
    document = r.at(stream, persist.get(r.u32(stream, edit, 16) or -1)) if edit else None
    if document is None or document.type != r.DOCUMENT:
        document = last_document
    if document is None:
        return None
    lists = {record.instance: record for record in r.children(stream, document) if record.type == r.SLIDE_LIST}
    notes = {slide_id: texts + _inside(stream, persist.get(ref), r.NOTES)
             for ref, slide_id, texts in _listed(stream, lists.get(2))}
    masters = {slide_id: ppt_masters.text(stream, persist.get(ref))
               for ref, slide_id, _ in _listed(stream, lists.get(1))}
    footers = ppt_masters.footers(stream, document) or []
    pages = []
    for ref, _, texts in _listed(stream, lists.get(0)):
        slide = r.at(stream, persist.get(ref))
        atom = next((a for a in r.children(stream, slide) if a.type == r.SLIDE_ATOM), None) \
            if slide and slide.type == r.SLIDE else None
        said = notes.get(r.u32(stream, atom, 16) if atom else None, [])
        shown = masters.get(r.u32(stream, atom, 12)) if atom and (r.u32(stream, atom, 20) or 0) & 1 else None
        own = ppt_masters.footers(stream, slide if atom else None)
        lines = texts + _inside(stream, persist.get(ref), r.SLIDE) + (shown or []) + (footers if own is None else own)
        lines = list(dict.fromkeys(lines))
        pages.append("\n".join(lines + ([f"Notes: {chr(10).join(said)}"] if said else [])))
    return pages


def _listed(stream: bytes, slide_list: ppt_records.Record | None) -> list[tuple[int, int, list[str]]]:
    """(persist id, slide id, texts) of each SlidePersistAtom in a SlideListWithText, with the text
    records after it (the slide's placeholders' text)."""
    found: list[tuple[int, int, list[str]]] = []
    for record in r.children(stream, slide_list) if slide_list else ():
        if record.type == r.SLIDE_PERSIST:
            found.append((r.u32(stream, record, 0) or 0, r.u32(stream, record, 12) or 0, []))
        elif record.type in _TEXTS and found and (text := r.text(stream, record)):
            found[-1][2].append(text)
    return found


def _inside(stream: bytes, offset: int | None, kind: int) -> list[str]:
    """The text records of the slide or notes container at `offset`, and its comments."""
    container, found = r.at(stream, offset), []
    if container is None or container.type != kind:
        return []
    for record in r.walk(stream, container):
        if record.type in _TEXTS and (text := r.text(stream, record)):
            found.append(text)
        elif record.type == r.COMMENT:                   # CString records: 0 its author, 1 its text, 2 initials
            said = {c.instance: r.text(stream, c) for c in r.children(stream, record) if c.type == r.CSTRING}
            found += [f"Comment ({said.get(0) or 'unknown'}): {said[1]}"] if said.get(1) else []
    return found


def _every_text(stream: bytes) -> str:
    return "\n".join(filter(None, (r.text(stream, record) for record in r.every(stream) if record.type in _TEXTS)))
