"""#19 on the real servers: a case of witness statements in six languages (and tables) ingested,
each document's language in PostgreSQL and the index, a word of each language found, the language
filter and facet in every mode, French elided articles, and `clew enrich` filling in a language."""

import pytest
import sqlalchemy as sa

from clew import db, indexes
from clew.search_client import make_client
from ingest import reindex
from ingest.settings import IngestSettings
from nlp import language
from nlp.settings import NlpSettings
from search.embed import LazyEmbedder
from search.request import Filters, SearchRequest
from search.service import Searcher
from tests.ingest.runs import ingest
from tests.scratch import scratch

CASE = "OP-BABEL"
STATEMENTS = {
    "en": "Statement of witness.\nOn the evening of 12 March I was walking my dog along Mill Lane when I saw two men "
          "loading heavy bags into a blue van parked outside the old warehouse.\nOne of them was tall and wore a grey "
          "hoodie. The other kept looking up and down the street as if he was afraid someone would see them.\n"
          "Then the van drove off towards the ring road without its lights on.",
    "fr": "Déclaration du témoin.\nLe soir du 12 mars, je promenais mon chien dans la rue du Moulin lorsque j'ai vu "
          "deux hommes charger de lourds sacs dans une camionnette bleue garée devant l'ancien entrepôt.\nL'un d'eux "
          "était grand et portait un sweat gris. J'ai cru voir l'arme qu'il cachait sous sa veste.\nL'autre surveillait "
          "la rue comme s'il avait peur d'être vu. Ensuite, la camionnette est partie vers le périphérique sans "
          "allumer ses phares.",
    "de": "Zeugenaussage.\nAm Abend des 12. März ging ich mit meinem Hund die Mühlenstraße entlang, als ich sah, wie "
          "zwei Männer schwere Taschen in einen blauen Lieferwagen luden, der vor dem alten Lagerhaus parkte.\nEiner "
          "von ihnen war groß und trug einen grauen Kapuzenpullover. Der andere schaute ständig die Straße auf und ab, "
          "als hätte er Angst, gesehen zu werden.\nDann fuhr der Wagen ohne Licht in Richtung Ringstraße davon.",
    "es": "Declaración del testigo.\nLa tarde del 12 de marzo paseaba a mi perro por la calle del Molino cuando vi a "
          "dos hombres cargando bolsas pesadas en una furgoneta azul aparcada delante del antiguo almacén.\nUno de "
          "ellos era alto y llevaba una sudadera gris. El otro miraba la calle de un lado a otro como si tuviera miedo "
          "de que alguien los viera.\nDespués la furgoneta se marchó hacia la circunvalación con las luces apagadas.",
    "pl": "Zeznanie świadka.\nWieczorem 12 marca spacerowałem z psem ulicą Młyńską, kiedy zobaczyłem dwóch mężczyzn "
          "ładujących ciężkie torby do niebieskiej furgonetki zaparkowanej przed starym magazynem.\nJeden z nich był "
          "wysoki i miał na sobie szarą bluzę z kapturem. Drugi cały czas rozglądał się po ulicy, jakby bał się, że "
          "ktoś ich zobaczy.\nPotem furgonetka odjechała w stronę obwodnicy bez włączonych świateł.",
    "cy": "Datganiad tyst.\nAr noson y deuddegfed o Fawrth roeddwn i'n mynd â'r ci am dro ar hyd Lôn y Felin pan "
          "welais i ddau ddyn yn llwytho bagiau trwm i mewn i fan las oedd wedi parcio y tu allan i'r hen warws.\n"
          "Roedd un ohonyn nhw'n dal ac yn gwisgo hwdi llwyd. Roedd y llall yn edrych i fyny ac i lawr y stryd drwy'r "
          "amser fel petai ofn arno y byddai rhywun yn eu gweld.\nWedyn gyrrodd y fan i ffwrdd tuag at y ffordd "
          "osgoi heb olau. Ffoniais yr heddlu yn syth.",
}
NOTES = ("Le suspect a quitté les lieux à pied vers la gare.", "La voiture était garée devant la pharmacie.",
         "Un voisin a entendu des cris vers minuit.")
TABLES = {  # a row's language is its prose columns': French notes, or none at all
    "notes.csv": "ref,vrm,note\n" + "".join(f"R{i},AB1{i} CDE,{n}\n" for i, n in enumerate(NOTES)),
    "codes.csv": "ref,vrm,area\nR1,AB11 CDE,E01000001\nR2,AB12 CDE,E01000002\nR3,AB13 CDE,E01000003\n",
}
WORDS = {"en": "hoodie", "fr": "entrepôt", "de": "Lagerhaus", "es": "furgoneta", "pl": "furgonetki", "cy": "heddlu"}


@pytest.fixture(scope="module")
def babel(servers, tmp_path_factory):
    """(settings, ingest settings, searcher) over OP-BABEL, ingested once for the module."""
    with scratch(servers) as s:
        root = tmp_path_factory.mktemp("babel")
        folder = root / "case"
        folder.mkdir()
        for code, text in STATEMENTS.items():
            (folder / f"statement-{code}.txt").write_text(text + "\n")
        for name, text in TABLES.items():
            (folder / name).write_text(text)
        ing = IngestSettings(evidence_dir=root / "ev")
        assert ingest(s, ing, folder, CASE).failed == 0
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        embedder = LazyEmbedder()
        yield s, ing, Searcher(client, s.index_prefix, embedder.label), embedder


def pg_languages(s) -> dict[str, tuple[str | None, list[str]]]:
    with db.connect(s) as conn:
        rows = conn.execute(sa.text("SELECT path, record->>'language' AS language, processed_by, "
                                    "record->'processed_by' AS recorded FROM documents WHERE case_id = :c"),
                            {"c": CASE}).all()
    assert all(list(r.processed_by) == r.recorded for r in rows)    # the column and the record agree
    return {r.path: (r.language, list(r.processed_by)) for r in rows}


def index_languages(s) -> dict[str, str | None]:
    client = make_client(s)
    client.indices.refresh(index=indexes.documents_read_alias(s.index_prefix))
    hits = client.search(index=indexes.documents_read_alias(s.index_prefix), body={
        "size": 100, "query": {"term": {"case_id": CASE}}, "_source": ["source.path", "language"]})["hits"]["hits"]
    return {h["_source"]["source"]["path"]: h["_source"].get("language") for h in hits}


def ask(searcher, embedder, q="", mode="keyword", **filters):
    req = SearchRequest(q=q, mode=mode, cases=(CASE,), markings=("OFFICIAL",), filters=Filters(**filters), size=50)
    return searcher.search(req, embed=embedder)


def paths(resp) -> list[str]:
    return sorted(h.document.path for h in resp.hits)


def test_language_of_each_statement_and_row_in_postgresql_and_the_index(babel):
    s = babel[0]
    expected = {f"statement-{c}.txt": c for c in STATEMENTS} | {f"notes.csv!/row-{i:06d}.json": "fr" for i in (1, 2, 3)} \
        | {f"codes.csv!/row-{i:06d}.json": None for i in (1, 2, 3)}
    stored, indexed = pg_languages(s), index_languages(s)
    assert {p: stored[p][0] for p in expected} == expected
    assert {p: indexed[p] for p in expected} == expected
    assert all(language.source() in by for _, by in stored.values())   # the detector, recorded on every one


@pytest.mark.parametrize("code", sorted(WORDS))
def test_language_a_word_of_each_language_finds_its_statement(babel, code):
    _, _, searcher, embedder = babel
    assert paths(ask(searcher, embedder, WORDS[code])) == [f"statement-{code}.txt"]


def test_language_a_french_word_is_found_behind_an_elided_article(babel):
    _, _, searcher, embedder = babel
    found = ask(searcher, embedder, "arme")          # written only as "l'arme"
    assert paths(found) == ["statement-fr.txt"] and found.hits[0].explanation.matched_clauses == ("arme",)
    assert paths(ask(searcher, embedder, "ancien")) == ["statement-fr.txt"]


FRENCH = ["notes.csv!/row-000001.json", "notes.csv!/row-000002.json", "notes.csv!/row-000003.json",
          "statement-fr.txt"]


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_language_filter_keeps_only_documents_of_that_language_in_every_mode(babel, mode):
    _, _, searcher, embedder = babel
    q = "two men loading bags into a van" if mode != "keyword" else ""   # keyword: every document
    welsh = ask(searcher, embedder, q, mode, languages=("cy",))
    assert paths(welsh) == ["statement-cy.txt"] and [b.value for b in welsh.facets.languages] == ["cy"]
    assert paths(ask(searcher, embedder, q, mode, languages=("de", "pl"))) == ["statement-de.txt", "statement-pl.txt"]
    assert paths(ask(searcher, embedder, f"{q} lang:fr", mode)) == FRENCH        # the query language's field
    assert "statement-fr.txt" not in paths(ask(searcher, embedder, f"{q} -lang:fr", mode))


def test_language_facet_counts_every_language(babel):
    _, _, searcher, embedder = babel
    facets = ask(searcher, embedder).facets        # the tables' summary lines ("3 rows; columns: ...") have none
    assert {b.value: b.count for b in facets.languages} == {"en": 1, "fr": 4, "de": 1, "es": 1, "pl": 1, "cy": 1}


def test_language_enrich_fills_in_a_documents_language_stored_before_it_was_detected(babel):
    s, ing, _, _ = babel
    with db.connect(s) as conn, conn.begin():
        conn.execute(sa.text("UPDATE documents SET record = (record - 'language') || '{\"processed_by\": [\"text.v1\"]}', "
                             "processed_by = '{text.v1}' WHERE case_id = :c AND path = 'statement-cy.txt'"), {"c": CASE})
    assert pg_languages(s)["statement-cy.txt"] == (None, ["text.v1"])
    reindex.enrich(s, ing, NlpSettings(), CASE, workers=1)
    assert pg_languages(s)["statement-cy.txt"] == ("cy", ["text.v1", language.source()])
    assert index_languages(s)["statement-cy.txt"] == "cy"
