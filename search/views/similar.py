"""More like this: documents with the same words as a document, and passages close in meaning to a
passage.

    similar_documents(client, prefix, scope, doc_id, size=10) -> Similar
    similar_passages(client, prefix, model_label, scope, doc_id, ordinal, size=10) -> Similar

Words: OpenSearch `more_like_this` over `text` and `title`, liking the stored document (its term
vectors), inside the caller's scope (cases and markings), never the document itself. Terms need appear only once in
the document and in one other document (`min_doc_freq` 1): a case is small next to a web corpus,
and the defaults (2 and 5) find nothing in a handful of statements. Sent dfs_query_then_fetch,
since the read alias spans one index per case.
Meaning: the passage's own stored vector (no model is loaded) as a k-NN query on the passages of
the same model, with the caller's scope and "not this document" inside the k-NN filter, so that k
neighbours that pass come back; they are grouped by document, best passage first.
"""

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias, passages_read_alias
from search.dsl.semantic import PASSAGES_PER_DOCUMENT, semantic_docs
from search.errors import InvalidValue, NotFound
from search.scope import scope_filter
from search.views.common import REF_SOURCE, document_ref, not_found, search, within
from search.views.models import Similar, SimilarHit

MLT_FIELDS = ["text", "title"]
MAX_SIZE = 100
PASSAGE_SOURCE = ["document_id", "case_id", "parent_id", "ordinal", "text", "start", "end", "page", "size", "kind",
                  "title", "paths", "marking", "date"]


def more_like_this_body(scope: Scope, index: str, doc_id: str, size: int) -> dict:
    """`index` is the concrete index holding the document (a `like` can't name an alias)."""
    mlt = {"fields": MLT_FIELDS, "like": [{"_index": index, "_id": doc_id}], "min_term_freq": 1,
           "min_doc_freq": 1, "max_query_terms": 25, "minimum_should_match": "30%"}
    return {"size": size, "_source": REF_SOURCE,
            "query": {"bool": {"must": [{"more_like_this": mlt}], "filter": scope_filter(scope, "documents"),
                               "must_not": [{"ids": {"values": [doc_id]}}]}}}


def passage_body(scope: Scope, doc_id: str, ordinal: int) -> dict:
    clauses = [{"term": {"document_id": doc_id}}, {"term": {"ordinal": ordinal}}, *scope_filter(scope, "passages")]
    return {"size": 1, "_source": ["vector"], "query": {"bool": {"filter": clauses}}}


def knn_body(scope: Scope, vector: list[float], doc_id: str, size: int) -> dict:
    k = size * PASSAGES_PER_DOCUMENT
    knn = {"vector": vector, "k": k, "filter": {"bool": {"filter": scope_filter(scope, "passages"),
                                                         "must_not": [{"term": {"document_id": doc_id}}]}}}
    return {"size": k, "query": {"knn": {"vector": knn}}, "_source": PASSAGE_SOURCE}


def _check(size: int, per_hit: int = 1) -> None:
    if not 1 <= size <= MAX_SIZE or not 1 <= per_hit <= 10:
        raise InvalidValue(f"size must be 1 to {MAX_SIZE} and passages per hit 1 to 10")


def similar_documents(client: OpenSearch, prefix: str, scope: Scope, doc_id: str,
                      size: int = 10) -> Similar:
    """Documents sharing the most telling words with `doc_id`, best first; NotFound outside `scope`."""
    _check(size)
    alias = documents_read_alias(prefix)
    found = search(client, "document", alias, {"size": 1, "_source": False,
                                               "query": within(scope, {"ids": {"values": [doc_id]}})})["hits"]["hits"]
    if not found:
        raise not_found(doc_id)
    response = search(client, "more like this", alias, more_like_this_body(scope, found[0]["_index"], doc_id, size),
                      dfs=True)
    return Similar(of=doc_id, hits=tuple(SimilarHit(document=document_ref(h["_source"], h["_id"]),
                                                    score=h["_score"]) for h in response["hits"]["hits"]))


def similar_passages(client: OpenSearch, prefix: str, model_label: str, scope: Scope, doc_id: str,
                     ordinal: int, size: int = 10, passages_per_hit: int = 3) -> Similar:
    """Documents holding the passages nearest in meaning to passage `ordinal` of `doc_id` (other
    documents only), by their best passage; NotFound when that passage is not in `scope`."""
    _check(size, passages_per_hit)
    index = passages_read_alias(prefix, model_label)
    found = search(client, "passage", index, passage_body(scope, doc_id, ordinal))["hits"]["hits"]
    if not found or not found[0]["_source"].get("vector"):
        raise NotFound(f"no passage {ordinal} of document {doc_id!r} in your cases")
    response = search(client, "similar passages", index, knn_body(scope, found[0]["_source"]["vector"], doc_id, size))
    by_id = {h["_source"]["document_id"]: h["_source"] for h in response["hits"]["hits"]}
    hits = []
    for doc in semantic_docs(response, passages_per_hit, size):  # by their best passage, as said
        src = by_id[doc.id]
        ref = document_ref({**src, "id": doc.id, "source": {"marking": src.get("marking")}})
        hits.append(SimilarHit(document=ref, score=doc.similarity, passages=doc.passages))
    return Similar(of=f"{doc_id}#{ordinal}", hits=tuple(hits))
