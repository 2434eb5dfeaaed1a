"""`clew demo`: both servers up, the sample investigation ingested with a progress bar, facts read
back from PostgreSQL, and a k-NN query over real embeddings."""

from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from clew import db
from clew.indexes import ensure_index
from clew.search_client import make_client
from clew.services import opensearch, postgres
from clew.settings import Settings

SENTENCES = [
    ("vehicle", "A white Ford Transit was parked in the lay-by with its lights off."),
    ("vehicle", "The witness saw a dark hatchback leave the car park at speed."),
    ("phone", "The suspect changed his mobile number twice in March."),
    ("phone", "Call records show forty calls between the two handsets overnight."),
    ("money", "Cash deposits of just under ten thousand pounds were made every week."),
    ("money", "The company accounts do not match the bank statements."),
    ("place", "The meeting took place behind the warehouse on the industrial estate."),
    ("place", "She was last seen near the railway station at about eleven."),
]
QUERY = "a van waiting by the side of the road at night"


def run(s: Settings, console: Console) -> None:
    if not s.opensearch_url:
        opensearch.start(s, console)
    if not s.database_url:
        postgres.start(s)
    db.upgrade(s)
    ingest_sample_case(s, console)
    show_facts(s, console)
    from nlp.embeddings import get_embedder

    embedder = get_embedder()
    client = make_client(s)
    alias = ensure_index(client, s.index_prefix, Path(__file__).parent / "mappings" / "demo.v1.json")
    vectors = embedder.embed([t for _, t in SENTENCES])
    for i, ((topic, text), vec) in enumerate(zip(SENTENCES, vectors)):
        client.index(index=alias, id=str(i), body={"text": text, "topic": topic, "vector": vec})
    client.indices.refresh(index=alias)
    [qvec] = embedder.embed([QUERY])
    hits = client.search(index=alias, body={"size": 3, "_source": ["text", "topic"],
                                            "query": {"knn": {"vector": {"vector": qvec, "k": 3}}}})
    table = Table(title=f"k-NN ({embedder.label}, lucene HNSW): “{QUERY}”")
    for col in ("score", "topic", "text"):
        table.add_column(col)
    for h in hits["hits"]["hits"]:
        table.add_row(f"{h['_score']:.3f}", h["_source"]["topic"], h["_source"]["text"])
    console.print(table)
    console.print("Stop everything with: [bold].venv/bin/clew opensearch stop && .venv/bin/clew postgres stop[/]")


def ingest_sample_case(s: Settings, console: Console) -> None:
    """Write Operation Kestrel (once) and ingest it; a second demo run finds nothing to do."""
    from ingest.cli import ingest_with_progress
    from ingest.samplecase import generate
    from ingest.samplecase.manifest import Manifest

    out = s.state_dir / "samplecase"
    if not (out / "manifest.json").is_file():
        console.print(f"writing the sample investigation (Operation Kestrel) to {out} …")
        generate(out)
    manifest = Manifest.load(out)
    ingest_with_progress(out / manifest.root, manifest.case_id)


def show_facts(s: Settings, console: Console) -> None:
    with db.connect(s) as conn:
        kinds = conn.execute(sa.text("SELECT kind, count(*) FROM documents WHERE case_id = 'OP-KESTREL' "
                                     "GROUP BY 1 ORDER BY 2 DESC")).all()
        pairs = conn.execute(sa.text(
            "SELECT caller, callee, count(*) AS calls, sum(duration_s) AS secs FROM calls "
            "WHERE case_id = 'OP-KESTREL' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5")).all()
    console.print("SQL — documents by type: " + ", ".join(f"{k} {n}" for k, n in kinds))
    table = Table(title="SQL — who called whom most (call-data records)")
    for col in ("caller", "callee", "calls", "minutes"):
        table.add_column(col)
    for p in pairs:
        table.add_row(p.caller, p.callee, str(p.calls), f"{p.secs / 60:.0f}")
    console.print(table)
