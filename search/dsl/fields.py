"""Where each query-language field (`search.querylang.fields()`) lives in each index, and its clause.

The documents index nests provenance (`source.marking`) and email headers (`email.sender`); the
passages index carries flat copies of the document's filter fields (`marking`, `sender`,
`recipients`). `title` and `language` exist only on documents, so a passages clause for them is
None (the semantic ranker's documents are checked for a language apart: search.dsl.semantic).
Person, organisation and place values are normalised the way ingest stored them (nlp.names).
Entity fields come from nlp.labels: each label's query field searches `entities.<label>` (place:
searches gpe, loc and fac together).
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from nlp.labels import Label, labels
from nlp.names import normalise
from search.querylang import DateRange, FieldTerm
from search.scope import MARKING_FIELDS, Index

_CASELESS = frozenset({"person", "org", "place", "case", "type", "marking", "lang"})


@dataclass(frozen=True, slots=True)
class Target:
    """The fields a query field searches in each index (any of them may match); () = not there."""

    documents: tuple[str, ...]
    passages: tuple[str, ...]

    def fields(self, index: Index) -> tuple[str, ...]:
        return self.documents if index == "documents" else self.passages


def _same(*fields: str) -> Target:
    return Target(fields, fields)


def targets() -> dict[str, Target]:
    """Every query field's target: the entity fields from nlp.labels at call time, then the rest."""
    return _targets(labels())


@lru_cache(maxsize=8)
def _targets(known: tuple[Label, ...]) -> dict[str, Target]:
    searched: dict[str, list[str]] = {}
    for label in known:
        if label.query:
            searched.setdefault(label.query, []).append(f"entities.{label.field}")
    return {**{name: _same(*found) for name, found in searched.items()}, **OTHER_TARGETS}


OTHER_TARGETS: dict[str, Target] = {
    "title": Target(("title",), ()),
    "path": _same("paths"),
    "case": _same("case_id"),
    "type": _same("kind"),
    "lang": Target(("language",), ()),
    "marking": Target((MARKING_FIELDS["documents"],), (MARKING_FIELDS["passages"],)),
    "from": Target(("email.sender",), ("sender",)),
    "to": Target(("email.to", "email.cc", "email.bcc"), ("recipients",)),
    "date": _same("date"),
}


def entity_value(field: str, label: str, value: str) -> str:
    """A person/org/place value in the normal form ingest stored ('john smith' -> 'John Smith')."""
    return normalise(label.upper(), value) if field in ("person", "org", "place") else value


def any_of(clauses: list[dict]) -> dict:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def date_range(field: str, term: DateRange) -> dict:
    """Inclusive days; `lt` the day after the end so that datetimes on the last day are in."""
    bounds: dict[str, str] = {"format": "strict_date"}
    if term.start:
        bounds["gte"] = term.start.isoformat()
    if term.end:
        bounds["lt"] = (term.end + timedelta(days=1)).isoformat()
    return {"range": {field: bounds}}


def _keyword(field: str, value: str, prefix: bool, caseless: bool) -> dict:
    extra = {"case_insensitive": True} if caseless else {}
    return {"prefix" if prefix else "term": {field: {"value": value, **extra}}}


def _path(field: str, value: str, prefix: bool) -> dict:
    """path:x is x itself or anything under it (folder x/ or archive x!/); path:x* any prefix."""
    if prefix:
        return _keyword(field, value, True, False)
    folder = value.rstrip("/")
    return any_of([_keyword(field, value, False, False), _keyword(field, folder + "/", True, False),
                   _keyword(field, folder + "!/", True, False)])


def field_clause(term: FieldTerm | DateRange, index: Index) -> dict | None:
    """The clause for a field term in `index`, or None when that index has no field for it."""
    fields = targets()[term.field].fields(index)
    if not fields:
        return None
    if isinstance(term, DateRange):
        return any_of([date_range(f, term) for f in fields])
    if term.field == "title":
        kind = "match_phrase_prefix" if term.prefix else "match"
        extra = {} if term.prefix else {"operator": "and"}
        return {kind: {"title.exact" if term.prefix else "title": {"query": term.value, **extra}}}
    if term.field == "path":
        return any_of([_path(f, term.value, term.prefix) for f in fields])
    caseless = term.field in _CASELESS
    return any_of([_keyword(f, entity_value(term.field, f.rsplit(".", 1)[-1], term.value), term.prefix, caseless)
                   for f in fields])
