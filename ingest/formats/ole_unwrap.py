"""One embedded OLE object's storage unwrapped to the file it holds (ingest.formats.ole_objects
finds the objects):
- `\\x01Ole10Native`: a packaged file, by its own name (ingest.formats.ole_native);
- `Package` (an OOXML file), `CONTENTS` (an Acrobat PDF, for one), `EmbeddedOdf` (OpenDocument):
  its bytes, named after the storage with an extension by their first bytes;
- a storage that is itself a document (a `Workbook`, `WordDocument`, `PowerPoint Document`, Visio
  or message storage): the storage written out as a compound file (ingest.formats.ole_write), or
  the compound file that is the object, as it is.
Anything else raises Unreadable saying what it is: a linked object (a link to a file, not the
file), a macro project, an equation, or an object of a kind none of these cover. `unwrap_file` does
the same for an object that is a file of its own (an OOXML package's `embeddings/oleObject1.bin`)."""

from ingest.errors import Unreadable
from ingest.formats import ole, ole_native, ole_write
from ingest.formats.base import Limits

_STREAMS = ("package", "contents", "embeddedodf")              # a file's bytes, as they are
_EXTENSIONS = {ole.DOC: ".doc", ole.XLS: ".xls", ole.PPT: ".ppt", ole.MSG: ".msg"}
_OTHER_DOCUMENTS = {"visiodocument": ".vsd"}                    # storages no Clew format reads yet
_DEEPEST = 8                                                    # storages inside an object's storage


class Empty(Unreadable):
    """An object storage with nothing in it (PowerPoint leaves some): not worth a line."""


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


def unwrap_file(data: bytes, name: str, limits: Limits) -> tuple[str, bytes]:
    """(file name, bytes) of what the compound file `data`, an embedded object named `name`, holds;
    itself as it is when it cannot be opened or holds nothing Clew can give as a file (its reader, if
    one claims it, then says why)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "object"
    try:
        return unwrap(ole.Compound(data, f"embedded object {name}", budget=limits.max_child_bytes),
                      "", limits, stem, whole=data)
    except Unreadable:
        return name, data


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
