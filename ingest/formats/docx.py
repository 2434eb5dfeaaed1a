"""Word documents (.docx, .docm, .dotx, .dotm): the body's paragraphs and tables in reading order
with what they anchor (text boxes, notes, comments, charts), headers and footers
(ingest.formats.ooxml_word_parts), embedded files as children (ingest.formats.ooxml_embedded), the
core properties. Macros are noted, never run."""

import io

from docx.document import Document
from docx.opc.exceptions import OpcError
from docx.opc.part import PartFactory
from docx.package import Package
from docx.parts.document import DocumentPart
from lxml.etree import LxmlError

from clew.records import Extraction
from ingest.errors import Unreadable
from ingest.formats import common, ooxml_embedded, ooxml_package, ooxml_word_parts
from ingest.formats.base import Limits, Probe
from ingest.formats.zip import ZIP_ERRORS

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHAT = "Word document (.docx)"
_MAINS = ("application/vnd.ms-word.document.macroEnabled.main+xml",              # .docm, .dotx and .dotm:
          "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",   # python-docx's
          "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")       # Document() refuses them
_ERRORS = (OpcError, KeyError, LxmlError, AttributeError, *ZIP_ERRORS)


class Docx:
    name = "docx"
    version = "v2"
    media_types = frozenset({MEDIA_TYPE})
    extensions = frozenset({"docx", "docm", "dotx", "dotm"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        package = ooxml_package.open_package(data, limits, WHAT)
        try:
            document = _open(data)
            lines = [line for line in ooxml_word_parts.text_lines(document) if line.strip()]
            chunks = ooxml_word_parts.alt_chunks(document)
        except _ERRORS as exc:
            raise Unreadable(f"corrupt {WHAT}: {exc}"[:300]) from exc
        found = ooxml_embedded.embedded(package, limits, chunks)
        text = "\n".join([*lines, *found.lines])
        props = document.core_properties
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            title=props.title or None,
            author=props.author or None,
            created_at=common.aware(props.created),
            children=found.children,
            processed_by=(
                common.stamp(self),
                common.library("python-docx"),
                *ooxml_package.macros(package),
                *found.notes,
                *((common.truncated(limits.max_text_chars),) if cut else ()),
            ),
        )


def _open(data: bytes) -> Document:
    """The document, whichever main part it has (a document or template, with macros or not)."""
    for content_type in _MAINS:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    part = Package.open(io.BytesIO(data)).main_document_part
    if not isinstance(part, DocumentPart):
        raise Unreadable(f"corrupt {WHAT}: its main part is {part.content_type}, not a Word document")
    return part.document
