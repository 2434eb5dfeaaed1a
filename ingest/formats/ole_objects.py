"""Objects embedded in Office 97-2003 files (OLE objects) as files of their own, for the formats to
give as children: a Word document's `ObjectPool/_NNNN` storages, a workbook's `MBD*` storages, a
presentation's ExOleObjStg records (each a compound file, deflated when its instance is 1). Each is
unwrapped to the file it holds by ingest.formats.ole_unwrap; the document's text gets a line for
each, '[embedded object NAME, N bytes]' or '[embedded object NAME skipped: why]'. Objects count
against Limits.max_members, each against max_child_bytes, all of them together against
max_expanded_bytes, and their streams' bytes against the compound file's budget; a damaged object
is skipped with its line, the document still read."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from clew.records import Child
from ingest.errors import Unreadable
from ingest.formats import ole, ppt_records
from ingest.formats.ole_unwrap import Empty, unwrap
from ingest.formats.base import Limits

_CONTROL = dict.fromkeys(range(32))                             # stream names start with \x01, \x03, \x05


@dataclass(frozen=True)
class Objects:
    children: tuple[Child, ...] = ()
    lines: tuple[str, ...] = ()         # one for each object: "[embedded object NAME, N bytes]" or why not


def in_storages(compound: ole.Compound, storages: Iterable[str], limits: Limits) -> Objects:
    """The objects in `storages` of `compound` (paths such as 'ObjectPool/_1345470949')."""
    return collect(((path.rsplit("/", 1)[-1], lambda path=path: unwrap(compound, path, limits)) for path in storages),
                   limits)


def in_workbook(data: bytes, limits: Limits) -> Objects:
    """The objects in an XLS workbook's `MBD*` storages; none when the file is not a compound file
    or too damaged to open (the spreadsheet format says what is wrong with it)."""
    if not data.startswith(ole.MAGIC):
        return Objects()
    try:
        compound = ole.Compound(data, "workbook (.xls)", limits.max_expanded_bytes)
        storages = [n for n in compound.names() if n.upper().startswith("MBD") and compound.is_storage(n)]
    except Unreadable:
        return Objects()
    return in_storages(compound, storages, limits)


def in_presentation(stream: bytes, persist: dict[int, int], limits: Limits) -> Objects:
    """The objects in a 'PowerPoint Document' stream's ExOleObjStg records (the current ones: those
    its persist directory names), each a compound file, zlib-compressed when its instance is 1."""
    records = [(pid, record) for pid, offset in sorted(persist.items())
               if (record := ppt_records.at(stream, offset)) and record.type == ppt_records.OLE_STORAGE]
    return collect(((f"object-{pid}", lambda record=record, pid=pid: _stored(stream, record, f"object-{pid}", limits))
                    for pid, record in records), limits)


def _stored(stream: bytes, record: ppt_records.Record, name: str, limits: Limits) -> tuple[str, bytes]:
    try:
        data = ppt_records.ole_storage(stream, record, limits.max_child_bytes)
    except ValueError as exc:
        raise Unreadable(str(exc)) from exc
    return unwrap(ole.Compound(data, "embedded object", limits.max_child_bytes), "", limits, name, whole=data)


def collect(objects: Iterable[tuple[str, Callable[[], tuple[str, bytes]]]], limits: Limits) -> Objects:
    """Children and lines from (name, a call giving (file name, bytes) or raising Unreadable)."""
    children, lines, total = [], [], 0
    for number, (name, call) in enumerate(objects, start=1):
        if number > limits.max_members:
            lines.append(f"[embedded objects after the first {limits.max_members:,} skipped]")
            break
        try:
            file_name, data = call()
        except Empty:
            continue
        except Unreadable as exc:
            lines.append(f"[embedded object {name} skipped: {str(exc).translate(_CONTROL)}]")
            continue
        if total + len(data) > limits.max_expanded_bytes:
            lines.append(f"[embedded object {file_name} skipped: the objects come to more than "
                         f"{limits.max_expanded_bytes:,} bytes]")
            continue
        total += len(data)
        children.append(Child(name=file_name, data=data))
        lines.append(f"[embedded object {file_name}, {len(data):,} bytes]")
    return Objects(tuple(children), tuple(lines))
