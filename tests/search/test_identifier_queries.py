"""Identifiers typed as free text on the real node (issue #14, item 5): a phone number, a vehicle
registration and a postcode, each written three ways in three documents, are each found by any
of the three forms typed unquoted, in keyword and hybrid mode, and the explanation says the
document matched on the identifier's normal form. Hand-written documents, with the normal forms
in `entities.<label>` as ingest writes them; synthetic unit vectors (no model)."""

import uuid

import numpy as np
import pytest

from clew.indexes import Family, attach, create, documents_read_alias, drop, passages_read_alias
from clew.search_client import make_client
from ingest.index import MAPPING, PASSAGES
from search.request import SearchRequest
from search.results import IdentifierMatch
from search.service import Searcher

MODEL = "all-MiniLM-L6-v2@384"
DIM = 384
CASE = "OP-IDS"

#           field       normal form        written forms, one document each          a near miss
IDENTIFIERS = {
    "phone": ("+447700900417", ["07700 900417", "+44 7700 900417", "(07700) 900-417"], "07700 900418"),
    "vrm": ("AB12CDE", ["AB12 CDE", "AB12CDE", "ab12 cde"], "AB12 CDF"),
    "postcode": ("SW1A 1AA", ["SW1A 1AA", "SW1A1AA", "sw1a 1aa"], "SW1A 2AA"),
}
NEAR_MISS = {"phone": "+447700900418", "vrm": "AB12CDF", "postcode": "SW1A 2AA"}
SENTENCE = {"phone": "Ring {} after six about the delivery.", "vrm": "A white van, {}, was parked outside.",
            "postcode": "The parcel went to an address in {} on Tuesday."}


def unit(axis: int) -> list[float]:
    v = np.zeros(DIM)
    v[axis] = 1.0
    return v.tolist()


def rows() -> list[tuple[str, str, str, dict[str, list[str]]]]:
    """(id, title, text, entities): three documents per identifier, one per form, and a near miss."""
    out = []
    for field, (value, forms, near) in IDENTIFIERS.items():
        out += [(f"{field}-{i}", f"Note {i}", SENTENCE[field].format(form), {field: [value]})
                for i, form in enumerate(forms)]
        out.append((f"{field}-near", "Near miss", SENTENCE[field].format(near), {field: [NEAR_MISS[field]]}))
    return out


def document(doc_id: str, title: str, text: str, entities: dict[str, list[str]]) -> dict:
    return {"id": doc_id, "case_id": CASE, "kind": "txt", "title": title, "text": text, "date": "2024-03-05",
            "page_count": 1, "paths": [f"{CASE}/{doc_id}.txt"],
            "source": {"path": f"{CASE}/{doc_id}.txt", "marking": "OFFICIAL"},
            "entities": entities, "entity_labels": [label.upper() for label in entities], "status": "ok"}


def passage(n: int, doc_id: str, title: str, text: str, entities: dict[str, list[str]]) -> dict:
    return {"id": f"{doc_id}-p0", "document_id": doc_id, "case_id": CASE, "kind": "txt", "title": title,
            "paths": [f"{CASE}/{doc_id}.txt"], "marking": "OFFICIAL", "date": "2024-03-05", "model": MODEL,
            "entities": entities, "ordinal": 0, "text": text, "start": 0, "end": len(text), "page": 1,
            "vector": unit(2 + n)}


@pytest.fixture(scope="module")
def searcher(servers):
    """One case's documents and passages under a prefix of its own, dropped afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    os_client = make_client(servers.model_copy(update={"index_prefix": prefix}))
    docs, chunks = Family(prefix, CASE, MAPPING), Family(prefix, CASE, PASSAGES)
    for family, read in ((docs, documents_read_alias(prefix)), (chunks, passages_read_alias(prefix, MODEL))):
        create(os_client, family.index(1), family.body({}))
        attach(os_client, family.index(1), [family.write_alias, read])
    lines: list[dict] = []
    for n, row in enumerate(rows()):
        lines += [{"index": {"_index": docs.write_alias, "_id": row[0]}}, document(*row)]
        lines += [{"index": {"_index": chunks.write_alias, "_id": f"{row[0]}-p0"}}, passage(n, *row)]
    resp = os_client.bulk(body=lines, refresh=True)
    assert not resp["errors"], [i for i in resp["items"] if i["index"].get("error")][:2]
    yield Searcher(os_client, prefix, MODEL)
    drop(os_client, prefix)


def ask(searcher: Searcher, q: str, mode: str):
    req = SearchRequest(q=q, mode=mode, cases=(CASE,), markings=("OFFICIAL",), size=20)
    return searcher.search(req, embed=lambda text: unit(1))


TYPED = [(field, form) for field, (_, forms, _) in IDENTIFIERS.items() for form in forms]
TYPED += [("phone", "0044 7700 900417"), ("phone", "+44 (0) 7700 900417"), ("phone", "07700900417")]


@pytest.mark.parametrize(("field", "typed"), TYPED, ids=[t for _, t in TYPED])
def test_identifier_typed_unquoted_finds_every_written_form_in_keyword_mode(searcher, field, typed):
    resp = ask(searcher, typed, "keyword")
    assert resp.mode == "keyword"
    assert sorted(h.id for h in resp.hits) == [f"{field}-0", f"{field}-1", f"{field}-2"]
    value = IDENTIFIERS[field][0]
    for hit in resp.hits:
        why = hit.explanation
        assert why.matched_clauses == (typed,)
        assert why.matched_identifiers == (IdentifierMatch(clause=typed, field=field, value=value),)
        assert f"entities.{field}" in why.matched_fields


@pytest.mark.parametrize(("field", "typed"), TYPED, ids=[t for _, t in TYPED])
def test_identifier_typed_unquoted_finds_every_written_form_in_hybrid_mode(searcher, field, typed):
    resp = ask(searcher, typed, "hybrid")
    assert resp.mode == "hybrid" and resp.keyword_total == 3
    found = {h.id: h.explanation for h in resp.hits if h.explanation.keyword_rank is not None}
    assert sorted(found) == [f"{field}-0", f"{field}-1", f"{field}-2"]
    value = IdentifierMatch(clause=typed, field=field, value=IDENTIFIERS[field][0])
    assert all(why.matched_identifiers == (value,) for why in found.values())
    assert all(h.explanation.matched_identifiers == () for h in resp.hits if h.id not in found)


def test_identifier_in_a_sentence_keeps_the_other_words(searcher):
    """`parked AB12 CDE`: the identifier by any form, and 'parked' as well. In plain prose the
    identifier is required and the words rank the documents holding it (search.dsl.bestmatch); with
    syntax every word is required, as the query language says."""
    resp = ask(searcher, "parked AB12 CDE", "keyword")
    assert sorted(h.id for h in resp.hits) == ["vrm-0", "vrm-1", "vrm-2"]
    prose = ask(searcher, "Tuesday AB12 CDE", "keyword")
    assert sorted(h.id for h in prose.hits) == ["vrm-0", "vrm-1", "vrm-2"] and prose.keyword_match == "best"
    assert len({h.explanation.keyword_score for h in prose.hits}) == 1  # held however written: the same score
    strict = ask(searcher, "Tuesday AND AB12 CDE", "keyword")
    assert strict.hits == () and strict.keyword_match == "all"
    assert sorted(h.id for h in ask(searcher, "-AB12 CDE parked", "keyword").hits) == ["vrm-near"]
