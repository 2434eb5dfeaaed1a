"""Objects embedded in Office 97-2003 files (OLE objects) as files of their own, for the formats to
give as children: a Word document's `ObjectPool/_NNNN` storages, a workbook's `MBD*` storages, a
presentation's ExOleObjStg records (each a compound file), an Outlook attachment stored as an object.

Each object is a storage, unwrapped to the file it holds where it can be:
- `\\x01Ole10Native`: a packaged file, by its own name (ingest.formats.ole_native);
- `Package` (an OOXML file), `CONTENTS` (an Acrobat PDF, for one), `EmbeddedOdf` (OpenDocument);
- a storage that is itself a document (a `Workbook`, `WordDocument`, `PowerPoint Document`, Visio
  or message storage): the storage written out as a compound file (ingest.formats.ole_write).
A linked object (a link to a file, not the file), a macro project, or an object of a kind none of
these cover is named in the text with the reason. Each object counts against Limits.max_members
and max_child_bytes; its streams' bytes count against the compound file's budget (its
max_expanded_bytes), and a damaged object is skipped with a note, the document still read."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from clew.records import Child
from ingest.errors import Unreadable
from ingest.formats import ole, ole_native, ole_write, ppt_records
from ingest.formats.base import Limits

_STREAMS = ("package", "contents", "embeddedodf")              # a file's bytes, as they are
_EXTENSIONS = {ole.DOC: ".doc", ole.XLS: ".xls", ole.PPT: ".ppt", ole.MSG: ".msg"}
_OTHER_DOCUMENTS = {"visiodocument": ".vsd"}                    # storages no Clew format reads yet
_DEEPEST = 8                                                    # storages inside an object's storage
_CONTROL = dict.fromkeys(range(32))                             # stream names start with \x01, \x03, \x05


class Empty(Unreadable):
    """An object storage with nothing in it (PowerPoint leaves some): not worth a line."""


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
        total += len(data)
        if total > limits.max_expanded_bytes:
            lines.append(f"[embedded object {file_name} skipped: the objects come to more than "
                         f"{limits.max_expanded_bytes:,} bytes]")
            break
        children.append(Child(name=file_name, data=data))
        lines.append(f"[embedded object {file_name}, {len(data):,} bytes]")
    return Objects(tuple(children), tuple(lines))


def unwrap(compound: ole.Compound, storage: str, limits: Limits, name: str = "", whole: bytes | None = None
           ) -> tuple[str, bytes]:
    """(file name, bytes) of the object in `storage` ('' for the root of `whole`, a compound file
    that is the object), named `name` (by default its storage's) and an extension when it has no
    file name of its own; Unreadable with the reason when it holds nothing Clew can give as a file."""
    name = name or storage.rsplit("/", 1)[-1] or "object"
    names = {n.lower(): n for n in compound.names(storage)}
    if not names:
        raise Empty("an empty object")
    inside = (lambda n: f"{storage}/{names[n]}") if storage else (lambda n: names[n])
    if "\x01ole10native" in names:
        native = ole_native.unpack(_read(compound, inside("\x01ole10native"), limits))
        return native.name or f"{name}{_extension(native.data)}", native.data
    for stream in _STREAMS:
        if stream in names and not compound.is_storage(inside(stream)):
            data = _read(compound, inside(stream), limits)
            return f"{name}{_extension(data)}", data
    kind = ole.kind_of(set(names))
    extension = _EXTENSIONS.get(kind) or next((e for n, e in _OTHER_DOCUMENTS.items() if n in names), None)
    if extension:
        data = whole if whole is not None else _written(compound, storage, limits)
        return f"{name}{extension}", data
    raise Unreadable(_why_not(compound, names, inside))


def _written(compound: ole.Compound, storage: str, limits: Limits) -> bytes:
    """The storage at `storage` as a compound file of its own."""
    budget = [limits.max_child_bytes]
    tree = _tree(compound, storage, budget, 0)
    try:
        return ole_write.compound(tree)
    except ValueError as exc:
        raise Unreadable(f"cannot be written as a file of its own ({exc})") from exc


def _tree(compound: ole.Compound, storage: str, budget: list[int], depth: int) -> ole_write.Tree:
    tree: ole_write.Tree = {}
    for name in compound.names(storage):
        path = f"{storage}/{name}" if storage else name
        if compound.is_storage(path):
            if depth >= _DEEPEST:
                raise Unreadable(f"its storages nest more than {_DEEPEST} deep")
            tree[name] = _tree(compound, path, budget, depth + 1)
            continue
        budget[0] -= compound.size(path)
        if budget[0] < 0:
            raise Unreadable("its streams come to more than the limit for one embedded file")
        tree[name] = compound.read(path)
    return tree


def _read(compound: ole.Compound, path: str, limits: Limits) -> bytes:
    if (size := compound.size(path)) > limits.max_child_bytes:
        raise Unreadable(f"{size:,} bytes is over the limit")
    return compound.read(path)


def _extension(data: bytes) -> str:
    """'.pdf', '.docx', '.doc', ... by the bytes' first bytes (the child's name only: detection reads the content)."""
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        return next((e for part, e in ((b"word/", ".docx"), (b"xl/", ".xlsx"), (b"ppt/", ".pptx"),
                                       (b"mimetype", ".odf")) if part in head), ".zip")
    if data.startswith(ole.MAGIC):
        return _EXTENSIONS.get(ole.media_type(data), ".ole")
    return ".bin"


def _why_not(compound: ole.Compound, names: dict[str, str], inside) -> str:  # noqa: ANN001
    if "vba" in names or "_vba_project_cur" in names or "project" in names:
        return "a macro project (VBA), not run"
    if "\x01ole" in names and not compound.is_storage(inside("\x01ole")):
        flags = compound.read(inside("\x01ole"))[4:8]
        if len(flags) == 4 and flags[0] & 1:
            return "a linked object: a link to a file, not the file"
    if "equation native" in names:
        return "an equation (Equation Editor), not read"
    return "an object of a kind Clew does not unwrap"
