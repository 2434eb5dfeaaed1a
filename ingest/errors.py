"""Ingest errors. `Unreadable` is a data error: the pipeline records it on the document."""

from clew.errors import ClewError


class IngestError(ClewError):
    """Infrastructure trouble while ingesting (database, index, evidence store)."""


class Unreadable(Exception):
    """A file that cannot be read; the message is the reason shown to the investigator."""


class Skipped(Unreadable):
    """A file deliberately not read (empty, a symbolic link); the message says why."""


class UnknownDocument(ClewError):
    """No document of the case has the id or path given (`clew mark`)."""
