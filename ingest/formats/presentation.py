"""PowerPoint presentations (.pptx, .pptm, .ppsx, .potx and their macro-enabled kin), read by
python-pptx: a page per slide (numbered from 1; hidden slides too, marked so), holding its title,
then its shapes in order (a group's shapes inside it, a table as 'cell | cell' rows, a chart's or
diagram's lines: ingest.formats.ooxml_slide), then its speaker notes and comments; embedded files
as children, listed after the slides (ingest.formats.ooxml_embedded); the core properties' title,
author and created time. Macros are noted, never run.

python-pptx holds the whole package in memory, parsed, so it reads in a child process allowed
MAX_MEMORY (ingest.formats.contained); the package's sizes are checked first, as a DOCX's are.
"""

import io
from collections.abc import Iterator
from datetime import datetime

from lxml.etree import LxmlError
from pptx.exc import PythonPptxError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import PartFactory
from pptx.package import Package
from pptx.parts.presentation import PresentationPart
from pptx.presentation import Presentation as Deck
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, ooxml_embedded, ooxml_package, ooxml_slide
from ingest.formats.base import Limits, Probe
from ingest.formats.contained import contained
from ingest.formats.zip import ZIP_ERRORS

WHAT = "PowerPoint presentation"
MAX_MEMORY = 2 << 30                 # what python-pptx's child process may allocate beyond the worker's
ENCRYPTED = ("encrypted Office file (password-protected PowerPoint presentation): "
             "Clew cannot read it without the password")
HIDDEN = "(hidden slide)"
Properties = tuple[str | None, str | None, datetime | None]          # title, author, created
_ERRORS = (PythonPptxError, LxmlError, KeyError, ValueError, TypeError, AttributeError, IndexError, *ZIP_ERRORS)
_MACRO_MAINS = ("application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",      # .ppsm and .potm: python-pptx
                "application/vnd.ms-powerpoint.template.macroEnabled.main+xml")      # knows the other main parts


class Presentation:
    name = "pptx"
    version = "v2"
    media_types = frozenset({"application/vnd.openxmlformats-officedocument.presentationml.presentation"})
    extensions = frozenset({"pptx", "pptm", "ppsx", "ppsm", "potx", "potm"})

    def match(self, probe: Probe) -> int:
        if probe.media_type == common.ENCRYPTED_OOXML:       # detection cannot tell a PPTX from a DOCX then
            return common.CONTENT if probe.extension in self.extensions else 0
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        if probe.media_type == common.ENCRYPTED_OOXML:
            raise Unreadable(ENCRYPTED)
        package = ooxml_package.open_package(data, limits, WHAT)
        pages, props, notes = contained(lambda: _read(data, limits), MAX_MEMORY, "python-pptx")
        found = ooxml_embedded.embedded(package, limits)
        text = "\n\n".join([*(page.text for page in pages), *(("\n".join(found.lines),) if found.lines else ())])
        return Extraction(
            text=text[: limits.max_text_chars], pages=tuple(pages), children=found.children,
            title=props[0], author=props[1], created_at=common.aware(props[2]),
            processed_by=(common.stamp(self), common.library("python-pptx"), *ooxml_package.macros(package),
                          *found.notes, *notes),
        )


def _read(data: bytes, limits: Limits) -> tuple[list[Page], Properties, list[str]]:
    """The slides as pages, the core properties and notes on what was left out or how it was read."""
    deck = _open(data)
    try:
        slides = list(deck.slides)
    except _ERRORS as exc:
        raise Unreadable(f"corrupt {WHAT}: a slide it lists is missing ({exc})"[:300]) from exc
    pages: list[Page] = []
    notes: list[str] = []
    seen, hidden, repeated, budget = set(), [], 0, limits.max_text_chars
    authors = ooxml_slide.authors(deck.part)
    for number, slide in enumerate(slides, start=1):
        if slide.part.partname in seen:                     # two entries for one slide: read once
            repeated += 1
            continue
        seen.add(slide.part.partname)
        if budget <= 0:
            notes.append(common.truncated(limits.max_text_chars))
            break
        is_hidden = slide.element.get("show") in ("0", "false")
        hidden += [number] if is_hidden else []
        try:
            text = "\n".join(line for line in _slide_lines(slide, is_hidden, authors) if line.strip())
        except _ERRORS as exc:
            notes.append(f"slide {number}: could not be read ({type(exc).__name__}: {exc})"[:200])
            text = ""
        if len(text) > budget:
            notes.append(common.truncated(limits.max_text_chars))
        pages.append(Page(number=number, text=text[:budget]))
        budget -= len(pages[-1].text) + 2
    notes += [f"hidden slides read: {', '.join(map(str, hidden))}"] if hidden else []
    notes += [f"{repeated:,} slide entries repeat a slide already read; not read again"] if repeated else []
    return pages, _properties(deck), list(dict.fromkeys(notes))


def _open(data: bytes) -> Deck:
    """The presentation, whichever main part it has: python-pptx's Presentation() refuses a .ppsx or
    .potx ('not a PowerPoint file') and knows no class for a .ppsm's or .potm's main part."""
    for content_type in _MACRO_MAINS:
        PartFactory.part_type_for.setdefault(content_type, PresentationPart)
    try:
        part = Package.open(io.BytesIO(data)).main_document_part
    except _ERRORS as exc:
        raise Unreadable(f"corrupt {WHAT}: {exc}"[:300]) from exc
    if not isinstance(part, PresentationPart):
        raise Unreadable(f"corrupt {WHAT}: its main part is {part.content_type}, not a presentation")
    return part.presentation


def _slide_lines(slide: Slide, hidden: bool, authors: dict[str, str]) -> Iterator[str]:
    """The title first, then every other shape in order, then the speaker notes and comments."""
    yield HIDDEN if hidden else ""
    title = slide.shapes.title
    if title is not None:
        yield from _shape_lines(title)
    for shape in slide.shapes:
        if title is None or shape.shape_id != title.shape_id:
            yield from _shape_lines(shape)
    if slide.has_notes_slide and (frame := slide.notes_slide.notes_text_frame) is not None and frame.text.strip():
        yield "Speaker notes: " + frame.text.replace("\v", "\n")
    yield from ooxml_slide.comments(slide, authors)


def _shape_lines(shape: BaseShape) -> Iterator[str]:
    if isinstance(shape, GroupShape):
        for inner in shape.shapes:
            yield from _shape_lines(inner)
    elif shape.has_table:
        for row in shape.table.rows:
            yield " | ".join(" ".join(cell.text.split()) for cell in row.cells)
    elif shape.has_text_frame:
        yield shape.text_frame.text.replace("\v", "\n")
    else:
        yield from ooxml_slide.drawing(shape)


def _properties(deck: Deck) -> Properties:
    """(title, author, created) from the core properties; python-pptx makes up a title when a
    package has none ('PowerPoint Presentation'), so a package without them gives none."""
    try:
        deck.part.package.part_related_by(RT.CORE_PROPERTIES)
        props = deck.core_properties
        return props.title or None, props.author or None, props.created
    except _ERRORS:
        return None, None, None
