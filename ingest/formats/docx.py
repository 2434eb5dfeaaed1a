"""Word documents (.docx): paragraphs and tables in reading order, and the core properties."""

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.opc.exceptions import OpcError
from docx.table import Table
from lxml.etree import LxmlError

from clew.records import Extraction
from ingest.errors import Unreadable
from ingest.formats import common
from ingest.formats.base import Limits, Probe
from ingest.formats.zip import ZIP_ERRORS, open_zip, refuse

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHAT = "Word document (.docx)"


class Docx:
    name = "docx"
    version = "v1"
    media_types = frozenset({MEDIA_TYPE})
    extensions = frozenset({"docx"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        _check_package(data, limits)
        try:
            document = docx.Document(io.BytesIO(data))
            text = "\n".join(line for line in _lines(document) if line.strip())
        except (OpcError, KeyError, LxmlError, *ZIP_ERRORS) as exc:
            raise Unreadable(f"corrupt {WHAT}: {exc}") from exc
        props = document.core_properties
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            title=props.title or None,
            author=props.author or None,
            created_at=common.aware(props.created),
            processed_by=(
                common.stamp(self),
                common.library("python-docx"),
                *((common.truncated(limits.max_text_chars),) if cut else ()),
            ),
        )


def _lines(document: Document) -> Iterator[str]:
    """Paragraphs as lines; each table row as one line of cells joined by ' | '."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                yield " | ".join(cell.text.strip() for cell in row.cells)
        else:
            yield block.text


def _check_package(data: bytes, limits: Limits) -> None:
    """Refuse a document whose parts would expand past the limits (an XML zip bomb)."""
    package = open_zip(data, WHAT)
    refuse(package.infolist(), limits, WHAT)
