"""What a table's columns hold: their types (`infer`) and which identifiers (`identify`), judged by
the share of cells that read as each. Record sets (ingest.recordsets) and the NLP stage's reading
of rows (nlp.records) use the same judgement."""
