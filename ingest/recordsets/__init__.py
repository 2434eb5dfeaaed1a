"""Record sets: every table ingest reads (a CSV or TSV file, a JSON array of objects or JSON lines,
each table sheet of a spreadsheet) is also kept in PostgreSQL as typed rows, with the identifiers of its identifier columns normalised
by the rules of nlp.identifiers, so rows of different files can be linked by the values they share
(docs/records.md; search.records reads them).

    tables.py    the tables among a file's documents (the row documents the formats made)
    nlp.tables   column types (infer.py), header detection and identifier columns (identify.py),
                 shared with the NLP stage, which reads rows by the same judgement
    shape.py     a table -> a RecordSet: typed rows, identifier cells, notes
    load.py      write a file's sets in the ingest transaction (the one hook: batch_commit)

The row documents are not changed: a set is built from them, beside them.
"""

LOADER = "recordsets.v2"   # v2: MSISDN phone columns. Bump when what a set holds for the same file changes: sets are then re-made
