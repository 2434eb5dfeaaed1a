"""`clew demo`: both servers up, a k-NN query over real embeddings, a SQL query through Alembic's schema."""

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
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES ('OP-DEMO', 'Demo case') "
                             "ON CONFLICT (case_id) DO NOTHING"))
        row = conn.execute(sa.text("SELECT case_id, title, (SELECT version_num FROM alembic_version) "
                                   "FROM cases WHERE case_id = 'OP-DEMO'")).one()
    console.print(f"SQL: case {row[0]} ({row[1]}) read back from PostgreSQL at migration {row[2]}")
    console.print("Stop everything with: [bold].venv/bin/clew opensearch stop && .venv/bin/clew postgres stop[/]")
