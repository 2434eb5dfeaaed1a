import pytest
from pydantic import ValidationError

from clew.settings import Settings


def test_settings_read_clew_prefixed_environment(monkeypatch):
    monkeypatch.setenv("CLEW_OPENSEARCH_URL", "http://10.0.0.5:9200")
    monkeypatch.setenv("CLEW_OPENSEARCH_HEAP", "2g")
    s = Settings()
    assert s.opensearch_url == "http://10.0.0.5:9200"
    assert s.opensearch_heap == "2g"


@pytest.mark.parametrize("field,value", [
    ("opensearch_heap", "lots"), ("opensearch_heap", "1t"), ("index_prefix", "Bad Prefix"),
    ("database_schema", "x;drop"), ("opensearch_port", 70000), ("instance", "-x"),
])
def test_settings_reject_bad_values(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})


def test_settings_are_frozen():
    with pytest.raises(ValidationError):
        Settings().opensearch_port = 1
