"""The files inside a file, read again by the format module that found them at ingest (the format
registry picks it by name and content): what the API's original download needs to serve an
attachment, archive member or table row out of its parent's stored original (search.originals;
app.serve hands this function to the API, which does not import ingest)."""

from ingest.extract import read
from ingest.formats.base import Limits


def children_of(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every child the format of `name` finds in `data`; none when it finds none."""
    found = read(data, name, Limits()).extraction
    return [(child.name, child.data) for child in (found.children if found else ())]
