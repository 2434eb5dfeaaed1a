"""The exit, end to end (issue #18): the sample case ingested through the real pipeline, exported
with `clew export --all`, imported with `clew import` into a second OpenSearch node and PostgreSQL
started for this module (their own instance directory and ports), and then the same counts, the
same facets and the same top 10 for keyword, semantic and hybrid queries on both sides, and an
audit chain that verifies. A tampered, truncated or extra file is refused by name before anything
is written."""

import json
import shutil

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from clew import db
from clew.access import accounts, audit
from clew.search_client import make_client

QUERIES = [("Range Rover", "keyword"), ("07700 900123", "keyword"), ("cash handed over at the warehouse", "semantic"),
           ("who met at the car park", "semantic"), ("Range Rover seen near the depot", "hybrid"),
           ("bank transfer to the company", "hybrid")]
COUNTS = {"documents": "SELECT count(*) FROM documents", "mentions": "SELECT count(*) FROM mentions",
          "entities": "SELECT count(*) FROM entities", "calls": "SELECT count(*) FROM calls",
          "files": "SELECT count(*) FROM files", "users": "SELECT count(*) FROM users",
          "grants": "SELECT count(*) FROM grants", "record_rows": "SELECT count(*) FROM record_rows"}


@pytest.fixture(scope="module")
def source(servers, tmp_path_factory):
    """The sample case in a scratch schema and prefix, with an account and a few audit events."""
    from app.samplecase import CASE_ID, generate
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest
    from tests.scratch import scratch

    tmp = tmp_path_factory.mktemp("exit-src")
    with scratch(servers, "x") as s:
        ing = IngestSettings(evidence_dir=tmp / "evidence")
        manifest = generate(tmp / "kestrel")
        assert ingest(s, ing, tmp / "kestrel" / manifest.root, CASE_ID).failed == 0
        with db.connect(s) as conn, conn.begin():
            accounts.add_user(conn, "ada", "investigator", s.markings[-1], s.markings, by="tests")
            accounts.grant(conn, "ada", CASE_ID, "tests")
        make_client(s).indices.refresh(index=f"{s.index_prefix}-*")
        yield s, ing, CASE_ID


@pytest.fixture(scope="module")
def second(servers, tmp_path_factory):
    """A second OpenSearch node and PostgreSQL of their own (instance `exit-b`, free ports)."""
    from clew.services import opensearch, postgres
    from clew.settings import Settings

    base = Settings(_env_file=None, instance=f"exit-b-{servers.index_prefix}"[:40], opensearch_port=0, postgres_port=0,
                    opensearch_url=None, database_url=None)
    try:
        os_url = opensearch.start(base)
        pg_url = postgres.start(base)
        yield base.model_copy(update={"opensearch_url": os_url, "database_url": pg_url})
    finally:
        opensearch.stop(base)
        postgres.stop(base)
        shutil.rmtree(base.instance_dir, ignore_errors=True)


def cli(s, *args, evidence):
    from app.cli import app

    env = {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
           "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
           "CLEW_INGEST_EVIDENCE_DIR": str(evidence)}
    from clew.settings import get_settings
    from ingest.settings import get_ingest_settings

    get_settings.cache_clear(), get_ingest_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env=env)
    finally:
        get_settings.cache_clear(), get_ingest_settings.cache_clear()


@pytest.fixture(scope="module")
def exported(source, tmp_path_factory):
    s, ing, _ = source
    out = tmp_path_factory.mktemp("export") / "kestrel-export"
    result = cli(s, "export", "--all", str(out), evidence=ing.evidence_dir)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def imported(second, exported, tmp_path_factory):
    target = second.model_copy(update={"index_prefix": "clew", "database_schema": "clew"})
    evidence = tmp_path_factory.mktemp("evidence-b")
    result = cli(target, "import", str(exported), evidence=evidence)
    assert result.exit_code == 0, result.output
    return target, evidence, result.output


def counts(s) -> dict:
    with db.connect(s) as conn:
        got = {name: conn.execute(sa.text(sql)).scalar_one() for name, sql in COUNTS.items()}
    client = make_client(s)
    client.indices.refresh(index=f"{s.index_prefix}-*")
    for kind in ("documents", "passages"):
        got[f"os_{kind}"] = client.count(index=f"{s.index_prefix}-case-*-{kind}")["count"]
    return got


def answers(s, case_id) -> list:
    from search.embed import LazyEmbedder
    from search.request import SearchRequest
    from search.service import Searcher

    embed = LazyEmbedder()
    searcher = Searcher(make_client(s), s.index_prefix, embed.label)
    out = []
    for q, mode in QUERIES:
        res = searcher.search(SearchRequest(q=q, mode=mode, cases=(case_id,), markings=s.markings, size=10), embed)
        out.append((q, mode, res.total, [h.id for h in res.hits], res.facets.model_dump() if res.facets else None))
    return out


def test_exit_import_gives_the_same_counts_facets_and_results(source, imported):
    s, _, case_id = source
    target, _, output = imported
    assert counts(target) == counts(s) and counts(s)["documents"] > 100 and counts(s)["calls"] > 100
    want, got = answers(s, case_id), answers(target, case_id)
    assert all(hits for _, _, _, hits, _ in want), want
    assert got == want


def test_exit_the_imported_audit_chain_verifies_and_records_the_import(source, imported):
    s, _, _ = source
    target, _, output = imported
    with db.connect(s) as conn:
        before = audit.verify(conn)
    with db.connect(target) as conn:
        after = audit.verify(conn)
        last = audit.events(conn, limit=1)
    assert before.ok and after.ok and after.rows == before.rows + 1, (before, after)
    assert [(e.action, e.detail["cases"]) for e in last] == [("exit.import", ["OP-KESTREL"])]
    assert f"head {after.head}" in " ".join(output.split())


def test_exit_accounts_move_without_their_passwords(imported):
    target, _, _ = imported
    with db.connect(target) as conn, conn.begin():
        assert accounts.user_info(conn, "ada").cases == ("OP-KESTREL",)
        assert conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'ada'")).scalar_one() == "!"
        assert accounts.verify_password(conn, "ada", "!") is None
        password = accounts.reset_password(conn, "ada", by="tests")
        assert accounts.verify_password(conn, "ada", password).name == "ada"


def test_exit_originals_arrive_byte_for_byte(exported, imported):
    from app.exit.manifest import file_hash

    _, evidence, _ = imported
    originals = [p for p in (exported / "originals").rglob("*") if p.is_file()]
    assert originals
    for p in originals:
        copy = evidence / p.relative_to(exported / "originals")
        assert file_hash(copy) == file_hash(p) and file_hash(p)[1] == p.name


def test_exit_manifest_lists_every_file_and_no_secret(exported):
    from app.exit.manifest import load, problems

    manifest = load(exported)
    assert problems(exported, manifest) == []
    paths = {f.path for f in manifest.files}
    assert {"postgres/documents.jsonl", "postgres/documents.csv", "postgres/clew.sql", "postgres/audit_events.jsonl",
            "originals.csv", "settings.json"} <= paths
    assert any(p.startswith("opensearch/") and p.endswith("passages.jsonl") for p in paths)
    assert any(p.startswith("ftm/") for p in paths) and any(p.startswith("superset/assets/") for p in paths)
    assert not any("tokens" in p or "sessions" in p for p in paths)
    users = [json.loads(line) for line in (exported / "postgres" / "users.jsonl").open()]
    assert users and all("password_hash" not in u for u in users)
    assert "password" not in (exported / "settings.json").read_text().lower()
    first = json.loads(next((exported / "opensearch").glob("*/passages.jsonl")).open().readline())
    assert len(first["_source"]["vector"]) == 384 and first["_source"]["model"] == manifest.models[0]


@pytest.mark.parametrize("damage", ["alter", "truncate", "delete", "add"])
def test_exit_import_refuses_a_damaged_export_naming_the_file(exported, tmp_path, servers, damage):
    from app.exit.restore import ExportRefused, read

    copy = tmp_path / "copy"
    shutil.copytree(exported, copy)
    victim = copy / "postgres" / "mentions.jsonl"
    if damage == "alter":
        victim.write_bytes(victim.read_bytes().replace(b'"PERSON"', b'"PERSUN"', 1))
    elif damage == "truncate":
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    elif damage == "delete":
        victim.unlink()
    else:
        victim = copy / "postgres" / "extra.jsonl"
        victim.write_text("{}\n")
    with pytest.raises(ExportRefused) as refused:
        read(copy)
    assert any(p.startswith(str(victim.relative_to(copy))) for p in refused.value.problems), refused.value.problems
    result = cli(servers, "import", str(copy), evidence=tmp_path / "ev")
    assert result.exit_code == 1 and str(victim.relative_to(copy)) in result.output, result.output


@pytest.mark.parametrize("shards,replicas", [(1, 0), (3, 1)])
def test_exit_an_index_is_made_again_with_this_clusters_shards_and_replicas(shards, replicas):
    from app.exit.restore import created_body
    from clew.settings import Settings

    spec = {"index": "clew-case-x-documents-v3", "aliases": [],
            "settings": {"index": {"number_of_shards": "3", "number_of_replicas": "1", "knn": "true",
                                   "analysis": {"analyzer": {"a": {"type": "standard"}}}}},
            "mappings": {"dynamic": "strict", "properties": {"text": {"type": "text"}}}}
    s = Settings(_env_file=None, index_shards=shards, index_replicas=replicas)
    body = created_body(s, spec)
    assert body["settings"]["index"] == {"number_of_shards": shards, "number_of_replicas": replicas, "knn": "true",
                                         "analysis": {"analyzer": {"a": {"type": "standard"}}}}
    assert body["mappings"] == spec["mappings"]
