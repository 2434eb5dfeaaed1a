"""The embedding model's own tokenizer, loaded alone (no weights), to size passages."""

import os
from functools import lru_cache

from nlp.embeddings import model_path
from nlp.passages import Counter, token_counter


@lru_cache(maxsize=2)
def passage_counter(model_name: str) -> Counter:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoTokenizer

    return token_counter(AutoTokenizer.from_pretrained(str(model_path(model_name))))
