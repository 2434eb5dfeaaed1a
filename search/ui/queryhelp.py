"""The search page's query help: the syntax with examples, and every field the query language
knows (read from search.querylang at call time, so a new identifier rule shows up here too)."""

from search.querylang import fields

SYNTAX = (
    ("blue van", "documents with both words; plain words with no syntax at all (a question, a description) "
                 "find documents with most of them, the best matches first"),
    ("blue AND van", "every word, however many (any syntax below keeps its exact meaning)"),
    ('"blue van"', "the exact phrase"),
    ("brib*", "words starting with brib"),
    ("bribe OR payment", "either (OR, AND and NOT in capitals)"),
    ("bribe -draft", "without the word draft (also NOT draft)"),
    ("(fraud OR bribe) council", "brackets group"),
    ("07700 900123", "a phone number, registration or postcode as written: found however a document writes it"),
    ("phone:07700900123", "a field: only that kind of value"),
    ('person:"John Smith"', "a person, organisation (org:) or place (place:) the text names"),
    ("type:email", "a kind of document: email, pdf, docx, txt, csv, ..."),
    ("lang:cy", "in a language, by its ISO 639-1 code: cy Welsh, fr French, pl Polish, ..."),
    ("date:2024-03", "dated in March 2024; also date:2024, date:2024-03-01..2024-03-31, date:..2024-03-31"),
    ("from:jo@example.org", "sent by (to: sent to)"),
)
KINDS = {"identifier": "identifiers (normalised, written any way)", "entity": "names the text holds",
         "text": "parts of a document", "filter": "filters", "date": "dates"}
MODES = (("keyword", "the words (BM25)"), ("semantic", "close in meaning"), ("hybrid", "both ranks fused"))


def field_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(what they are, field names) for each kind of field."""
    known = fields()
    return tuple((title, tuple(name for name, spec in known.items() if spec.kind == kind))
                 for kind, title in KINDS.items() if any(spec.kind == kind for spec in known.values()))
