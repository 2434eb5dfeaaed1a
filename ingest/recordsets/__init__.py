"""Record sets: every table ingest reads (a CSV or TSV file, a JSON array of objects or JSON lines)
is also kept in PostgreSQL as typed rows, with the identifiers of its identifier columns normalised
by the rules of nlp.identifiers, so rows of different files can be linked by the values they share
(docs/records.md; search.records reads them).

    tables.py    the tables among a file's documents (the row documents the formats made)
    infer.py     column types (integer, decimal, date, datetime, text) and header detection
    identify.py  identifier columns, by the share of values a rule accepts
    shape.py     a table -> a RecordSet: typed rows, identifier cells, notes
    load.py      write a file's sets in the ingest transaction (the one hook: batch_commit)

The row documents are not changed: a set is built from them, beside them.
"""

LOADER = "recordsets.v2"   # v2: MSISDN phone columns. Bump when what a set holds for the same file changes: sets are then re-made
