"""Which stored documents a batch's transaction finds without an analysis of what they hold (they
are analysed outside it, and the batch written again), and the language a stored copy takes from
its analysis. No servers."""

from clew.records import Analysis, Document, Page, SourceFile, Status
from ingest.batch_commit import languaged, same_input, unanalysed
from nlp.language import source, stamped
from ingest.records import StoredDocument


def doc(doc_id: str, text: str, path: str = "a.txt", **update) -> Document:
    source = SourceFile(case_id="OP-T", path=path, sha256="0" * 64, size=len(text))
    return Document(id=doc_id, case_id="OP-T", source=source, kind="text", text=text, **update)


def stored(*docs: Document) -> list[StoredDocument]:
    return [StoredDocument(document=d, paths=(d.source.path,)) for d in docs]


def test_batch_commit_unanalysed_names_documents_without_an_analysis_of_their_content():
    a, b, c = doc("a", "alpha"), doc("b", "bravo"), doc("c", "charlie")
    found = {"a": Analysis(document=a), "b": Analysis(document=doc("b", "bravo, before it changed"))}
    assert unanalysed(stored(a, b, c), found) == [b, c]


def test_batch_commit_another_path_is_the_same_input_but_other_pages_or_status_are_not():
    a = doc("a", "alpha")
    assert same_input(a, doc("a", "alpha", path="elsewhere/a.txt", title="moved"))
    assert not same_input(a, doc("a", "alpha", pages=(Page(number=1, text="alpha"),)))
    assert not same_input(a, doc("a", "alpha", status=Status.failed))
    assert unanalysed(stored(doc("a", "alpha", path="b/copy.txt")), {"a": Analysis(document=a)}) == []


def test_batch_commit_a_copy_stored_before_takes_the_language_its_analysis_found():
    old = doc("a", "alpha", path="b/copy.txt", processed_by=("text.v1",))       # stored before detection
    analysed = {"a": Analysis(document=stamped(doc("a", "alpha", processed_by=("text.v1",)), "cy"))}
    found = languaged(old, analysed)
    assert (found.language, found.processed_by, found.source.path) == ("cy", ("text.v1", source()), "b/copy.txt")
    assert languaged(found, analysed) is found                                   # already so: nothing to store
