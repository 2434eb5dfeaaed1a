"""Office files saved with a password (DOCX, XLSX, PPTX and their kin): the package is encrypted
inside a compound file's EncryptedPackage stream (MS-OFFCRYPTO), which ingest.detect names
application/x-ooxml-encrypted. Nothing can be read without the password; the file fails with that
reason. A format that reads the unencrypted kind may claim it first by its extension (the
spreadsheet and pptx formats do, so the document keeps their kind); this one takes the rest.
"""

from clew.records import Extraction
from ingest.errors import Unreadable
from ingest.formats import common
from ingest.formats.base import Limits, Probe

REASON = ("encrypted Office file (password-protected Word, Excel or PowerPoint document): "
          "Clew cannot read it without the password")


class Encrypted:
    name = "encrypted"
    version = "v1"
    media_types = frozenset({common.ENCRYPTED_OOXML})
    extensions: frozenset[str] = frozenset()

    def match(self, probe: Probe) -> int:
        return common.FAMILY if probe.media_type in self.media_types else 0

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        raise Unreadable(REASON)
