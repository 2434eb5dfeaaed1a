"""Mentions and normalised entities in PostgreSQL, upserted in a few set-based statements.

A document's mentions of one index generation are replaced as a whole; entities (case, label,
normalised value) are created on first sight and keep the first surface form as their name.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from clew.ids import entity_id
from clew.records import Analysis, Mention


def write_mentions(conn: sa.Connection, case_id: str, generation: int, analyses: Sequence[Analysis]) -> int:
    """Make the mentions of generation `generation` of these documents exactly the analyses'."""
    if not analyses:
        return 0
    conn.execute(sa.text("DELETE FROM mentions WHERE document_id = ANY(:d) AND generation = :g"),
                 {"d": sorted({a.document.id for a in analyses}), "g": generation})
    mentions = [m for a in analyses for m in a.mentions]
    if not mentions:
        return 0
    names: dict[str, Mention] = {}
    for m in mentions:
        names.setdefault(entity_id(case_id, m.label, m.value), m)
    keys = sorted(names)
    conn.execute(sa.text(
        "INSERT INTO entities (id, case_id, label, value, name) SELECT i, :c, l, v, n FROM "
        "unnest(CAST(:i AS text[]), CAST(:l AS text[]), CAST(:v AS text[]), CAST(:n AS text[])) "
        "AS t(i, l, v, n) ORDER BY i ON CONFLICT (id) DO NOTHING"),
        {"c": case_id, "i": keys, "l": [names[k].label for k in keys], "v": [names[k].value for k in keys],
         "n": [names[k].text for k in keys]})
    cols = {"d": [m.document_id for m in mentions], "e": [entity_id(case_id, m.label, m.value) for m in mentions],
            "l": [m.label for m in mentions], "v": [m.value for m in mentions], "t": [m.text for m in mentions],
            "s": [m.start for m in mentions], "x": [m.end for m in mentions], "p": [m.page for m in mentions],
            "m": [m.method for m in mentions], "src": [m.source for m in mentions],
            "conf": [m.confidence for m in mentions]}
    conn.execute(sa.text(
        "INSERT INTO mentions (case_id, generation, document_id, entity_id, label, value, text, start_char, "
        "end_char, page, method, source, confidence) SELECT :c, :g, d, e, l, v, t, s, x, p, m, src, conf FROM "
        "unnest(CAST(:d AS text[]), CAST(:e AS text[]), CAST(:l AS text[]), CAST(:v AS text[]), "
        "CAST(:t AS text[]), CAST(:s AS int[]), CAST(:x AS int[]), CAST(:p AS int[]), CAST(:m AS text[]), "
        "CAST(:src AS text[]), CAST(:conf AS float8[])) AS t(d, e, l, v, t, s, x, p, m, src, conf)"),
        {"c": case_id, "g": generation, **cols})
    return len(mentions)


def generation(conn: sa.Connection, case_id: str) -> int:
    return conn.execute(sa.text("SELECT generation FROM cases WHERE case_id = :c"), {"c": case_id}).scalar() or 1


def prune(conn: sa.Connection, case_id: str, keep_generation: int) -> None:
    """After a switch: drop other generations' mentions, and entities nothing mentions any more."""
    conn.execute(sa.text("DELETE FROM mentions WHERE case_id = :c AND generation <> :g"),
                 {"c": case_id, "g": keep_generation})
    conn.execute(sa.text("DELETE FROM entities e WHERE case_id = :c AND NOT EXISTS "
                         "(SELECT 1 FROM mentions m WHERE m.entity_id = e.id)"), {"c": case_id})
