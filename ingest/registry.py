"""The one list of formats. Adding a format is one module and one line here."""

from ingest.formats.base import Format, Probe
from ingest.formats.csv import Csv
from ingest.formats.docx import Docx
from ingest.formats.email import Email
from ingest.formats.encrypted import Encrypted
from ingest.formats.html import Html
from ingest.formats.image import Image
from ingest.formats.json import Json
from ingest.formats.legacy_powerpoint import LegacyPowerpoint
from ingest.formats.legacy_word import LegacyWord
from ingest.formats.mbox import Mbox
from ingest.formats.opendocument import OpenDocument
from ingest.formats.outlook import Outlook
from ingest.formats.pdf import Pdf
from ingest.formats.presentation import Presentation
from ingest.formats.rtf import Rtf
from ingest.formats.spreadsheet import Spreadsheet
from ingest.formats.text import Text
from ingest.formats.zip import Zip

FORMATS: list[Format] = [
    Text(),
    Html(),
    Pdf(),
    Docx(),
    Email(),
    Mbox(),
    Zip(),
    Csv(),
    Json(),
    Spreadsheet(),
    Image(),
    Presentation(),
    OpenDocument(),
    Rtf(),
    Outlook(),
    LegacyWord(),
    LegacyPowerpoint(),
    Encrypted(),
]


def choose(probe: Probe) -> Format | None:
    """The best-matching format for `probe`, or None when nothing can read it."""
    scored = [(f.match(probe), i, f) for i, f in enumerate(FORMATS)]
    scored = [x for x in scored if x[0] > 0]
    return max(scored, key=lambda x: (x[0], -x[1]))[2] if scored else None
