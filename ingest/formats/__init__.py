"""One module per input format; `ingest.registry` lists them."""
