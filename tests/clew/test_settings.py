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
    ("opensearch_disk_watermarks", "2gb"), ("opensearch_disk_watermarks", "4gb,90%,95%"),
    ("opensearch_disk_watermarks", "4gb,2gb,lots"),
])
def test_settings_reject_bad_values(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})


def test_settings_are_frozen():
    with pytest.raises(ValidationError):
        Settings().opensearch_port = 1


def test_disk_watermarks_are_written_into_the_managed_node_config(tmp_path):
    from clew.services.opensearch import NodePaths, node_config

    yml = node_config(Settings(), NodePaths(tmp_path), 9200, 9300)
    assert "cluster.routing.allocation.disk.watermark.high: 2gb" in yml
    assert "cluster.routing.allocation.disk.watermark.flood_stage: 1gb" in yml
    yml = node_config(Settings(opensearch_disk_watermarks="85%, 90%,95%"), NodePaths(tmp_path), 9200, 9300)
    assert "cluster.routing.allocation.disk.watermark.low: 85%" in yml
