"""search.service on the real node: a documents and a passages index per case, hand-written
documents, synthetic unit vectors (no model), keyword / semantic / hybrid through one _msearch."""

import math
import uuid

import numpy as np
import pytest

from clew.indexes import (
    Family,
    attach,
    create,
    documents_read_alias,
    drop,
    passages_read_alias,
)
from clew.search_client import make_client
from ingest.index import MAPPING, PASSAGES
from search.dsl.semantic import LENGTH_PENALTY
from search.request import Filters, SearchRequest
from search.service import Searcher
from search.weighting import PROSE_KEYWORD

MODEL = "all-MiniLM-L6-v2@384"
DIM = 384


def unit(similarity: float, axis: int) -> list[float]:
    """A unit vector whose cosine with the query vector (axis 0) is `similarity`."""
    v = np.zeros(DIM)
    v[0], v[axis] = similarity, np.sqrt(1 - similarity**2)
    return v.tolist()


QUERY = unit(1.0, 1)
#     id    case    kind    title                 text                                             date          cos
DOCS = [
    ("d1", "OP-1", "email", "Bribery payment",
     "Bribery payment to the council officer by bank transfer. Call 07700 900123 about it.", "2024-03-05", 0.80),
    ("d2", "OP-1", "pdf", "Minutes", "Minutes of the planning meeting. The investigators discussed the budget.",
     "2024-04-10", 0.50),
    ("d3", "OP-1", "docx", "Statement", "Witness statement: I saw a blue van near the warehouse.", "2024-03-20",
     0.95),
    ("d4", "OP-2", "email", "Elsewhere", "Bribery in another case entirely.", "2024-03-07", 0.99),
    ("d5", "OP-1", "email", "Draft", "Draft note on the bribery.", "2024-05-01", 0.60),
]
ENTITIES = {"d1": {"phone": ["+447700900123"], "person": ["John Smith"]}, "d3": {"person": ["Jane Doe"]}}
LABELS = {"d1": ["PERSON", "PHONE"], "d3": ["PERSON"]}


def document(doc_id, case, kind, title, text, day, _cos):
    entities = ENTITIES.get(doc_id, {})
    return {"id": doc_id, "case_id": case, "kind": kind, "title": title, "text": text, "date": day,
            "page_count": 1 if doc_id != "d2" else 2, "paths": [f"{case}/{doc_id}.txt"],
            "source": {"path": f"{case}/{doc_id}.txt", "marking": "SECRET" if doc_id == "d2" else "OFFICIAL"},
            "entities": entities, "entity_labels": LABELS.get(doc_id, []), "status": "ok"}


def passages(doc_id, case, kind, title, text, day, cos):
    base = {"document_id": doc_id, "case_id": case, "kind": kind, "title": title, "paths": [f"{case}/{doc_id}.txt"],
            "marking": "SECRET" if doc_id == "d2" else "OFFICIAL", "date": day, "model": MODEL,
            "entities": ENTITIES.get(doc_id, {})}
    axis = 2 + 2 * int(doc_id[1:])
    half = len(text) // 2
    return [{**base, "id": f"{doc_id}-p0", "ordinal": 0, "text": text[:half], "start": 0, "end": half, "page": 1,
             "vector": unit(cos, axis)},
            {**base, "id": f"{doc_id}-p1", "ordinal": 1, "text": text[half:], "start": half, "end": len(text),
             "page": 2 if doc_id == "d2" else 1, "vector": unit(cos - 0.2, axis + 1)}]


@pytest.fixture(scope="module")
def searcher(servers):
    """Built once for the module (the tests only read), under its own prefix, dropped afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    os_client = make_client(servers.model_copy(update={"index_prefix": prefix}))
    lines = []
    for case in ("OP-1", "OP-2"):
        for mapping, read in ((MAPPING, documents_read_alias(prefix)),
                              (PASSAGES, passages_read_alias(prefix, MODEL))):
            family = Family(prefix, case, mapping)
            create(os_client, family.index(1), family.body({}))
            attach(os_client, family.index(1), [family.write_alias, read])
    for row in DOCS:
        docs = Family(prefix, row[1], MAPPING).write_alias
        lines += [{"index": {"_index": docs, "_id": row[0]}}, document(*row)]
        for p in passages(*row):
            lines += [{"index": {"_index": Family(prefix, row[1], PASSAGES).write_alias,
                                 "_id": p["id"]}}, p]
    resp = os_client.bulk(body=lines, refresh=True)
    assert not resp["errors"], [i for i in resp["items"] if i["index"].get("error")][:2]
    yield Searcher(os_client, prefix, MODEL)
    drop(os_client, prefix)


EVERY_MARKING = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")


def ask(searcher, q, mode="keyword", **kw):
    req = SearchRequest(q=q, mode=mode, cases=kw.pop("cases", ("OP-1",)), markings=kw.pop("markings", EVERY_MARKING),
                        **kw)
    return searcher.search(req, embed=lambda text: QUERY)


def ids(resp):
    return [h.id for h in resp.hits]


def test_keyword_finds_stems_in_allowed_cases_with_highlights_and_facets(searcher):
    resp = ask(searcher, "bribery")
    assert resp.mode == "keyword" and set(ids(resp)) == {"d1", "d5"} and resp.total == 2
    top = resp.hits[0]
    assert top.id == "d1" and top.snippets[0].text.startswith("<em>Bribery</em> payment")
    assert top.snippets[0].page == 1
    assert top.explanation.matched_terms[0] == "Bribery" and "text" in top.explanation.matched_fields
    assert top.explanation.matched_clauses == ("bribery",) and top.explanation.keyword_rank == 1
    assert resp.facets is not None
    assert [(b.value, b.count) for b in resp.facets.kinds] == [("email", 2)]
    assert [(b.value, b.count) for b in resp.facets.cases] == [("OP-1", 2)]
    assert [(b.value, b.count) for b in resp.facets.months] == [("2024-03", 1), ("2024-05", 1)]
    person = next(e for e in resp.facets.entities if e.label == "person")
    assert [(b.value, b.count) for b in person.values] == [("John Smith", 1)]


@pytest.mark.parametrize(("q", "expected"), [
    ("07700900123", ["d1"]),                       # identifier: text phrase or entities.phone
    ('"+44 7700 900123"', ["d1"]),
    ("brib*", ["d1", "d5"]),
    ('person:"SMITH, John"', ["d1"]),              # normalised as ingest stored it
    ("person:jo*", ["d1"]),
    ("type:email -draft", ["d1"]),
    ("marking:secret", ["d2"]),
    ("date:2024-03", ["d1", "d3"]),
    ("title:statement OR budget", ["d2", "d3"]),
    ("path:OP-1", ["d1", "d2", "d3", "d5"]),
])
def test_keyword_query_language(searcher, q, expected):
    assert sorted(ids(ask(searcher, q))) == expected


def test_identifier_explanation_names_the_entity_field(searcher):
    hit = ask(searcher, "07700900123").hits[0]
    assert "entities.phone" in hit.explanation.matched_fields
    assert hit.explanation.matched_clauses == ("07700900123",)


def test_no_allowed_case_finds_nothing(searcher):
    assert ask(searcher, "bribery", cases=()).hits == ()
    assert set(ids(ask(searcher, "bribery", cases=("OP-1", "OP-2")))) == {"d1", "d4", "d5"}


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_a_marking_outside_the_scope_is_never_found_or_counted(searcher, mode):
    q = "bribery OR budget OR statement OR minutes" if mode == "keyword" else "bribery"
    everything = ask(searcher, q, mode=mode, size=10)
    official = ask(searcher, q, mode=mode, size=10, markings=("OFFICIAL",))
    assert "d2" in ids(everything) and "d2" not in ids(official)  # d2 is SECRET
    assert set(ids(official)) == set(ids(everything)) - {"d2"} and official.total == everything.total - 1
    assert [b.value for b in official.facets.markings] == ["OFFICIAL"]
    assert "pdf" not in [b.value for b in official.facets.kinds]  # d2 is the only pdf
    assert ask(searcher, q, mode=mode, markings=()).hits == ()
    assert ask(searcher, "marking:secret", mode=mode, markings=("OFFICIAL",)).total == 0


def test_semantic_filter_is_inside_knn_and_excludes_the_nearest(searcher):
    everything = ask(searcher, "van near a warehouse", mode="semantic")
    assert ids(everything) == ["d3", "d1", "d5", "d2"]  # d4 (0.99) is in a case not allowed
    resp = ask(searcher, "van near a warehouse type:email", mode="semantic")
    assert ids(resp) == ["d1", "d5"]  # d3 (docx, the nearest) is filtered inside the k-NN search
    best = resp.hits[0].explanation.best_passage
    assert best is not None and best.similarity == pytest.approx(0.80, abs=1e-3) and best.ordinal == 0
    assert [p.ordinal for p in resp.hits[0].passages] == [0, 1]
    assert resp.hits[0].explanation.semantic_rank == 1 and resp.hits[0].explanation.keyword_rank is None
    assert resp.facets is not None and [(b.value, b.count) for b in resp.facets.kinds] == [("email", 2)]


def test_hybrid_fuses_both_rankers(searcher):
    resp = ask(searcher, "bribery", mode="hybrid")
    assert resp.mode == "hybrid" and resp.keyword_total == 2
    # prose leans on meaning (search.weighting); every document has two passages, so the same length
    # penalty: semantic min-max over the best similarities 0.95 (d3), 0.80 (d1), 0.60 (d5), 0.50 (d2)
    fusion = resp.fusion
    assert (fusion.method, fusion.leaning, fusion.keyword_weight) == ("minmax", "prose", PROSE_KEYWORD)
    assert ids(resp) == ["d3", "d1", "d5", "d2"]
    e = resp.hits[1].explanation
    assert (e.keyword_rank, e.semantic_rank) == (1, 2)
    assert e.fused_score == pytest.approx(fusion.keyword_weight * 1 + fusion.semantic_weight * (0.80 - 0.50) / 0.45)
    assert e.semantic_score == pytest.approx(0.80 - LENGTH_PENALTY * math.log(2))
    assert [(b.value, b.count) for b in resp.facets.kinds] == [("email", 2), ("docx", 1), ("pdf", 1)]
    semantic_only = resp.hits[0]
    assert semantic_only.snippets == () and semantic_only.passages[0].page == 1


def test_hybrid_weights_and_fusion_method(searcher):
    keyword_led = ask(searcher, "bribery", mode="hybrid", weights={"keyword": 1.0, "semantic": 0.0})
    assert ids(keyword_led)[:2] == ["d1", "d5"] and keyword_led.fusion.leaning == "request"
    resp = ask(searcher, "bribery", mode="hybrid", weights={"keyword": 0.0, "semantic": 1.0}, fusion="rrf", rrf_k=1)
    assert ids(resp)[:2] == ["d3", "d1"] and resp.fusion.method == "rrf"
    assert resp.hits[1].explanation.fused_score == pytest.approx(1 / 3)


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_cursor_pages_are_stable_and_complete(searcher, mode):
    q = "bribery OR budget OR statement" if mode == "keyword" else "bribery"
    everything = ids(ask(searcher, q, mode=mode, size=10))
    seen, cursor, pages = [], None, 0
    while True:
        resp = ask(searcher, q, mode=mode, size=1, cursor=cursor, facets=False)
        seen += ids(resp)
        pages += 1
        cursor = resp.next_cursor
        if cursor is None:
            break
    assert seen == everything and pages == len(everything) >= 3
    assert ids(ask(searcher, q, mode=mode, size=1, page=2)) == everything[1:2]


def test_filters_from_the_request(searcher):
    resp = ask(searcher, "bribery", mode="hybrid",
               filters=Filters(kinds=("email",), entities=({"label": "phone", "value": "+447700900123"},)))
    assert ids(resp) == ["d1"]


def test_prefix_words_are_highlighted_through_the_exact_field(searcher):
    (hit,) = ask(searcher, "investigat*").hits
    assert hit.snippets[0].text == "The <em>investigators</em> discussed the budget."  # a sentence
    assert hit.explanation.matched_terms == ("investigators",)


def test_semantic_hits_show_the_query_words_they_contain(searcher):
    resp = ask(searcher, "warehouse", mode="semantic")
    assert resp.hits[0].id == "d3" and resp.hits[0].explanation.matched_terms == ("warehouse",)
    assert resp.hits[0].document.title == "Statement" and resp.hits[0].document.page_count == 1


class Recorder:
    """The real client, with each _msearch's number of searches written down."""

    def __init__(self, client):
        self.client, self.searches = client, []

    def msearch(self, body):
        self.searches.append([h["index"] for h in body[::2]])
        return self.client.msearch(body=body)


def test_hybrid_sends_both_rankers_in_one_msearch(searcher):
    recorder = Recorder(searcher.client)
    Searcher(recorder, searcher.prefix, MODEL).search(
        SearchRequest(q="bribery", cases=("OP-1",), markings=("OFFICIAL",)), embed=lambda text: QUERY)
    docs, passages = documents_read_alias(searcher.prefix), passages_read_alias(searcher.prefix, MODEL)
    # the rankers; the passage counts of the k-NN answer's documents; then the page and the facets
    assert recorder.searches == [[docs, passages], [passages], [docs, docs]]


def test_a_phrase_deep_in_a_long_document_is_highlighted_as_one_term(searcher):
    """The text highlighter works from term vectors around the match (not by re-reading 300,000
    characters), and marks a phrase as one span."""
    filler = "Routine entry about the weather and the traffic on the ring road. " * 4500
    text = filler + "Then the smuggling ledger was handed over at the quay. " + filler
    family = Family(searcher.prefix, "OP-2", MAPPING)
    row = ("d9", "OP-2", "text", "Log", text, "2024-06-01", 0.0)
    searcher.client.index(index=family.write_alias, id="d9", body=document(*row), refresh=True)
    try:
        resp = ask(searcher, '"smuggling ledger"', cases=("OP-2",))
        assert ids(resp) == ["d9"]
        (snippet,) = resp.hits[0].snippets
        assert "<em>smuggling ledger</em> was handed over" in snippet.text and len(snippet.text) < 400
        assert resp.hits[0].explanation.matched_terms == ("smuggling ledger",)
    finally:
        searcher.client.delete(index=family.write_alias, id="d9", refresh=True)


def test_a_fragment_on_a_later_page_gets_that_page(searcher):
    """Keyword mode has no passages at hand: the page of a fragment of a document of several pages
    comes from the passage that holds its words (one more _msearch, search.dsl.pages)."""
    page1 = "The first page is about the weather on the ring road and nothing else at all. " * 20
    page2 = "On the second page the courier met the buyer at the old quay near midnight. " * 3
    text = page1 + page2
    docs = Family(searcher.prefix, "OP-2", MAPPING).write_alias
    passages_alias = Family(searcher.prefix, "OP-2", PASSAGES).write_alias
    row = ("d8", "OP-2", "pdf", "Report", text, "2024-06-02", 0.0)
    searcher.client.index(index=docs, id="d8", body={**document(*row), "page_count": 2})
    for i, (start, end, page) in enumerate([(0, len(page1), 1), (len(page1), len(text), 2)]):
        searcher.client.index(index=passages_alias, id=f"d8-p{i}", body={
            "document_id": "d8", "case_id": "OP-2", "marking": "OFFICIAL", "ordinal": i, "text": text[start:end],
            "start": start, "end": end, "page": page, "size": 200})
    searcher.client.indices.refresh(index=f"{docs},{passages_alias}")
    try:
        resp = ask(searcher, "quay", cases=("OP-2",))
        assert ids(resp) == ["d8"] and resp.hits[0].snippets
        assert [s.page for s in resp.hits[0].snippets] == [2] * len(resp.hits[0].snippets)
        assert ask(searcher, "weather", cases=("OP-2",)).hits[0].snippets[0].page == 1
    finally:
        searcher.client.delete(index=docs, id="d8", refresh=True)
        searcher.client.delete_by_query(index=passages_alias, body={"query": {"term": {"document_id": "d8"}}},
                                        refresh=True)
