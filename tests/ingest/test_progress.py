"""A run's progress in bytes and documents (ingest/progress.py), through the real pipeline: while a
single large table is in a worker's hands the run's progress moves (its share of the file's bytes,
the rows read), and at the end it is every byte and document of the run."""

import sqlalchemy as sa

from clew import db
from ingest import run as ingest_run
from ingest.extract import Origin
from ingest.formats.base import Limits
from ingest.records import RunConfig
from ingest.settings import IngestSettings

ROWS = 6000


def test_progress_one_big_table_moves_before_it_is_done(settings, tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    lines = ["ref,seen_at,place,vrm"] + [f"R{i},2024-05-0{i % 9 + 1} 10:{i % 60:02d},Gate {i % 7},AB{10 + i % 80} CDE"
                                         for i in range(ROWS)]
    (root / "reads.csv").write_text("\n".join(lines) + "\n")
    (root / "note.txt").write_text("The van was seen at the gate.\n")
    seen, start = [], {}

    def on_start(job, found, queued):
        start.update(job=job, queued=queued, total=ingest_run.queued_bytes(job))
        return lambda: seen.append(ingest_run.progress_of(job))

    config = RunConfig(settings=settings, ingest=IngestSettings(evidence_dir=tmp_path / "ev"), root=root,
                       origin=Origin("OP-PROGRESS"), limits=Limits(), workers=1)
    summary = ingest_run.ingest(config, on_start=on_start)
    total = sum(p.stat().st_size for p in root.iterdir())
    assert (start["queued"], start["total"], summary.done) == (2, total, 2)
    in_hand = [p for p in seen if p.files_done == 0 and 0 < p.bytes_done < total]
    assert in_hand and all(p.rows > ROWS for p in in_hand), seen   # read, analysed: counted before written
    assert [p.bytes_done for p in in_hand] == sorted(p.bytes_done for p in in_hand)   # it only moves on
    final = ingest_run.progress_of(start["job"])
    assert (final.files_done, final.failed, final.bytes_done, final.rows) == (2, 0, total, summary.documents)
    with db.connect(settings) as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM files WHERE case_id = 'OP-PROGRESS' AND "
                                    "(progress IS NOT NULL OR progress_rows IS NOT NULL)")).scalar()
    assert left == 0
