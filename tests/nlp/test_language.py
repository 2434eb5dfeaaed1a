"""nlp.language: the language of a document's text, of a record's prose only, unknown when the text
cannot tell, a format's statement as the fallback, and what the NLP stage records."""

import pytest

from clew.records import Document, SourceFile
from nlp import language
from nlp.passages import Segment
from nlp.settings import NlpSettings
from nlp.stage import NLP_VERSION, analyse

SRC = SourceFile(case_id="C", path="a.txt", sha256="0" * 64, size=1)

TEXTS = {  # a witness's account, in each language an investigator may meet
    "en": "The witness saw two men loading bags into a blue van outside the warehouse at about midnight.",
    "fr": "Le témoin a vu deux hommes charger des sacs dans une camionnette bleue devant l'entrepôt vers minuit.",
    "de": "Der Zeuge sah gegen Mitternacht zwei Männer, die vor dem Lagerhaus Taschen in einen blauen Transporter luden.",
    "es": "El testigo vio a dos hombres cargando bolsas en una furgoneta azul delante del almacén hacia medianoche.",
    "pl": "Świadek widział dwóch mężczyzn ładujących torby do niebieskiej furgonetki przed magazynem około północy.",
    "cy": "Gwelodd y tyst ddau ddyn yn llwytho bagiau i mewn i fan las y tu allan i'r warws tua hanner nos.",
}


def doc(text: str, id: str = "d1", **kw) -> Document:
    return Document(id=id, case_id="C", source=SRC, kind="text", text=text, **kw)


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_language_detects_one_sentence_in_each_language(code):
    assert language.detect(TEXTS[code]) == code


@pytest.mark.parametrize("text", ["", "   ", "07700 900123", "12/05/2024 14:32 AB12 CDE", "ok", "----- | 1 | 2 |",
                                  "https://example.com/a/b?c=d"])
def test_language_of_numbers_codes_and_scraps_is_unknown(text):
    assert language.detect(text) is None


def test_language_below_the_threshold_is_unknown():
    found, probability = language.classify("Où est la gare ?")
    assert 0 < probability < 1
    assert language.detect("Où est la gare ?", threshold=1.0) is None
    assert language.detect(TEXTS["fr"], threshold=0.0) == "fr"


def test_language_of_a_long_text_reads_windows_from_its_start_middle_and_end():
    text = " ".join(f"w{i}" for i in range(10_000))
    sample = language.sample(text)
    assert len(sample) <= language.SAMPLE + language.WINDOWS and sample.startswith("w0 ") and sample.endswith(" w9999")
    assert " w5" in sample and not sample.split("\n")[1].startswith(" ")      # windows start at a word
    assert language.sample(TEXTS["en"]) == TEXTS["en"]


def test_language_of_a_mixed_document_is_the_language_of_most_of_it():
    disclaimer = "This email and any attachments are confidential and intended solely for the addressee. "
    letter = " ".join([TEXTS["fr"]] * 40)
    assert language.detect(disclaimer + letter + " " + disclaimer) == "fr"


def test_language_a_formats_statement_is_kept_only_when_the_text_cannot_tell():
    assert language.language_of(doc("07700 900123", language="en-GB")) == "en"
    assert language.language_of(doc(TEXTS["cy"], language="en-US")) == "cy"     # the template's, not the text's
    assert [language.stated(v) for v in ("fr_FR", "CY", "und", "english-ish?", "x", None)] == \
        ["fr", "cy", None, None, None, None]


def test_language_of_a_record_is_read_in_its_prose_columns_only():
    text = f"name: Jean Dupont\nphone: 07700 900123\nnote: {TEXTS['fr']}"
    row = doc(text, fields=(("name", "Jean Dupont"), ("phone", "07700 900123"), ("note", TEXTS["fr"])))
    start = text.index("note: ") + 6
    assert language.language_of(row, [Segment(None, start, len(text))]) == "fr"
    assert language.language_of(row.model_copy(update={"language": "en"}), []) is None  # no prose: no language


def test_language_stamped_records_the_detector_once_in_place_of_an_older_version():
    old = doc("x", processed_by=("text.v1", "py3langid 0.3.0"))
    once = language.stamped(old, "fr")
    assert once.language == "fr" and once.processed_by == ("text.v1", language.source())
    assert language.stamped(once, "fr") == once and language.source().startswith("py3langid 0.")


def test_language_the_stage_sets_it_on_every_readable_document_with_the_detector():
    docs = [doc(TEXTS[c], id=c) for c in ("pl", "de")] + [doc("", id="empty"), doc("07700 900123", id="num")]
    out = analyse(docs, NlpSettings())
    assert [a.document.language for a in out] == ["pl", "de", None, None]
    assert [a.detector for a in out] == [language.source()] * 2 + [None, language.source()]
    assert language.source() in out[0].document.processed_by and out[2].document.processed_by == ()
    assert out[0].document.text == docs[0].text and NLP_VERSION == "nlp.v6"


def test_language_the_stage_reads_a_tables_rows_by_their_prose_only():
    from tests.nlp.test_nlp_records import row

    prose = [row({"ref": f"CR{i}", "notes": f"{TEXTS['es']} Número {i}."}, id=f"p{i}", parent="T") for i in range(3)]
    codes = [row({"ref": f"CR{i}", "street": "Rue de la Paix", "n": str(i)}, id=f"c{i}", parent="U") for i in range(3)]
    out = analyse([*prose, *codes], NlpSettings())
    assert [a.document.language for a in out] == ["es"] * 3 + [None] * 3
