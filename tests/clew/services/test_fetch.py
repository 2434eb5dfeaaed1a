import zipfile

from clew.services import fetch


def test_fetch_verify_unpinned_zip_uses_crcs(tmp_path):
    art = fetch.Artifact("org.example", "thing", "1.0")
    path = tmp_path / "thing.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", "hello " * 1000)
    assert fetch.verify(art, path) is None
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert "zip" in fetch.verify(art, path)


def test_fetch_verify_pinned_checks_sha256(tmp_path, monkeypatch):
    art = fetch.Artifact("org.example", "thing", "1.0")
    path = tmp_path / "thing.zip"
    path.write_bytes(b"payload")
    monkeypatch.setitem(fetch.PINNED_SHA256, art.coords, fetch.sha256_of(path))
    assert fetch.verify(art, path) is None
    path.write_bytes(b"payloaX")
    assert "not the pinned" in fetch.verify(art, path)
    assert fetch.verify(art, tmp_path / "absent.zip") == "missing"


def test_fetch_maven_path_layout(tmp_path):
    art = fetch.knn_artifact("3.5.0.0")
    assert art.path_in(tmp_path) == (tmp_path / "org/opensearch/plugin/opensearch-knn/3.5.0.0"
                                     / "opensearch-knn-3.5.0.0.zip")
