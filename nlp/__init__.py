"""Natural-language processing: identifiers by rule (`nlp.identifiers`), later entities and embeddings.

Nothing here loads a model at import time; settings live in `nlp.settings`.
"""
