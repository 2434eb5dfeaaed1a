"""The document view: text, metadata, pages, parent and children, and entity spans to mark up.

    document_view(client, prefix, scope, doc_id) -> DocumentView

One `_msearch` fetches the document and its children (within the caller's scope, so a document
outside its cases or markings is NotFound, exactly like a missing one, and a child outside it is
neither listed nor counted); a second fetches the parent's reference when there is one (none when
the parent is outside the scope). Children (attachments, archive members, table rows) are sorted by path, then id,
and bounded by `children_size`. Spans come from the document's stored `mentions`, kept only where
they lie inside the indexed text (a long text is cut at ingest's `index_max_chars`).
"""

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from search.service import msearch
from search.views.common import REF_SOURCE, document_ref, not_found, refs, total, within
from search.views.models import DocumentView, EmailInfo, EntitySpan, PageSpan, Place, ProcessingInfo, SourceInfo

DOCUMENT_SOURCE = {"excludes": ["nlp.truncated"]}
CHILDREN_SORT = [{"paths": "asc"}, {"id": "asc"}]


def document_body(scope: Scope, doc_id: str) -> dict:
    return {"size": 1, "query": within(scope, {"ids": {"values": [doc_id]}}), "_source": DOCUMENT_SOURCE}


def children_body(scope: Scope, doc_id: str, size: int) -> dict:
    return {"size": size, "track_total_hits": True, "sort": CHILDREN_SORT, "_source": REF_SOURCE,
            "query": within(scope, {"term": {"parent_id": doc_id}})}


def parent_body(scope: Scope, parent_id: str) -> dict:
    return {"size": 1, "_source": REF_SOURCE, "query": within(scope, {"ids": {"values": [parent_id]}})}


def pages(page_spans: list) -> tuple[PageSpan, ...]:
    """[[page, start, end], ...] as one span per page (from its first start to its last end)."""
    found: dict[int, tuple[int, int]] = {}
    for page, start, end in page_spans or ():
        if page is None:
            continue
        a, b = found.get(page, (start, end))
        found[page] = (min(a, start), max(b, end))
    return tuple(PageSpan(page=p, start=a, end=b) for p, (a, b) in sorted(found.items()))


def spans(mentions: list[dict], text_length: int) -> tuple[EntitySpan, ...]:
    """Stored mentions inside the text, in text order (longer first where two start together)."""
    kept = [m for m in mentions or () if 0 <= m.get("start", -1) < m.get("end", -1) <= text_length]
    kept.sort(key=lambda m: (m["start"], -m["end"], m.get("label", "")))
    return tuple(EntitySpan(**{k: m.get(k) for k in EntitySpan.model_fields}) for m in kept)


def processing(source: dict) -> ProcessingInfo:
    """The pipeline, format modules and models a documents-index `_source` records."""
    nlp = source.get("nlp") or {}
    return ProcessingInfo(pipeline_version=source.get("pipeline_version"),
                          processed_by=tuple(source.get("processed_by") or ()), processed_at=source.get("processed_at"),
                          nlp_version=nlp.get("version"), spacy=nlp.get("spacy"), rules=nlp.get("rules"),
                          embedding=nlp.get("embedding"), passages=nlp.get("passages"))


def place(source: dict) -> Place | None:
    """The geo_point (`location`) and `altitude` of a documents-index `_source` as one Place."""
    where = source.get("location")
    return Place(lat=where["lat"], lon=where["lon"], alt=source.get("altitude")) if where else None


def document_from(source: dict, doc_id: str) -> DocumentView:
    """A documents-index `_source` as the view (without parent and children)."""
    text = source.get("text") or ""
    email = source.get("email")
    return DocumentView(
        id=doc_id, case_id=source["case_id"], title=source.get("title"), kind=source.get("kind"),
        status=source.get("status"), error=source.get("error"), notes=tuple(source.get("notes") or ()), text=text,
        text_truncated=bool(source.get("text_truncated")), language=source.get("language"),
        author=source.get("author"), created_at=source.get("created_at"), date=source.get("date"),
        dates=tuple(source.get("dates") or ()), paths=tuple(source.get("paths") or ()),
        taken_at=source.get("taken_at"), camera_make=source.get("camera_make"),
        camera_model=source.get("camera_model"), location=place(source),
        source=SourceInfo(**{k: v for k, v in (source.get("source") or {}).items() if k in SourceInfo.model_fields}),
        processing=processing(source),
        email=EmailInfo(**{k: v for k, v in email.items() if k in EmailInfo.model_fields}) if email else None,
        fields=tuple((f["name"], f["value"]) for f in source.get("fields") or ()),
        page_count=source.get("page_count") or 0, pages=pages(source.get("page_spans") or []),
        entities={label: tuple(values) for label, values in sorted((source.get("entities") or {}).items())},
        spans=spans(source.get("mentions") or [], len(text)))


def document_view(client: OpenSearch, prefix: str, scope: Scope, doc_id: str,
                  children_size: int = 100) -> DocumentView:
    """The document `doc_id` if it is in `scope`, else NotFound."""
    index = documents_read_alias(prefix)
    if not scope.cases or not scope.markings:
        raise not_found(doc_id)
    found, kids = msearch(client, [("document", index, document_body(scope, doc_id)),
                                   ("children", index, children_body(scope, doc_id, children_size))])
    if not found["hits"]["hits"]:
        raise not_found(doc_id)
    view = document_from(found["hits"]["hits"][0]["_source"], doc_id)
    parent = None
    if parent_id := found["hits"]["hits"][0]["_source"].get("parent_id"):
        (answer,) = msearch(client, [("parent", index, parent_body(scope, parent_id))])
        parent = next((document_ref(h["_source"], h["_id"]) for h in answer["hits"]["hits"]), None)
    return view.model_copy(update={"parent": parent, "children": refs(kids), "children_total": total(kids)})
