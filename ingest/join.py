"""`clew ingest join`: more workers, on this host or another, for a case that a `clew ingest` run
has registered and is draining.

A joining run copies what the open run was asked to do (its folder, marking, custodian, OCR) from
the ledger, so every file of the case is read the same whichever host claims it; it registers
nothing, claims from the same queue, and takes over the claims of any run (host) that dies. The
case material and the evidence store must be reachable from every host: the folder at the same
path, or at `root`, and CLEW_INGEST_EVIDENCE_DIR on shared storage.
"""

from pathlib import Path

import sqlalchemy as sa

from clew import db
from clew.errors import ConfigError
from clew.runs import stale_seconds
from clew.settings import Settings
from ingest import run as ingest_run
from ingest.formats.base import Limits
from ingest.records import Origin, RunConfig
from ingest.settings import IngestSettings
from nlp.embeddings import label_for
from nlp.settings import NlpSettings


def open_run(conn: sa.Connection, case_id: str | None = None) -> sa.RowMapping | None:
    """The oldest run at work (running, heart-beating) of the case, or of any case, whose case has
    files or parts of a table still queued."""
    return conn.execute(sa.text(
        "SELECT run_id, case_id, root, options FROM ingest_runs r WHERE status = 'running' "
        "AND heartbeat_at >= now() - make_interval(secs => CAST(:stale AS float)) "
        "AND (CAST(:c AS text) IS NULL OR case_id = :c) "
        "AND (EXISTS (SELECT 1 FROM files f WHERE f.case_id = r.case_id AND f.status = 'pending') "
        "OR EXISTS (SELECT 1 FROM file_parts p WHERE p.case_id = r.case_id AND p.status = 'pending')) "
        "ORDER BY started_at LIMIT 1"), {"c": case_id, "stale": stale_seconds()}).mappings().first()


def joined_config(run: sa.RowMapping, settings: Settings, ing: IngestSettings, nlp: NlpSettings,
                  workers: int = 0, root: Path | None = None) -> RunConfig:
    """The configuration of a run joining `run`: its case, folder, marking, custodian and OCR, with
    this host's workers. Refused when this host's models differ from the run's (a case never mixes
    two models' vectors or entities) or the folder is not here."""
    opts = run["options"]
    mine = {"embedding": label_for(nlp.embedding_model), "spacy": nlp.spacy_model}
    for key, value in mine.items():
        if opts.get(key, value) != value:
            raise ConfigError(f"run {run['run_id'][:8]} of case {run['case_id']} uses the {key} model "
                              f"{opts[key]}, this host {value}",
                              "give every host the same CLEW_NLP_EMBEDDING_MODEL and CLEW_NLP_SPACY_MODEL")
    folder = root or Path(run["root"])
    if not folder.is_dir():
        raise ConfigError(f"{folder}, the folder of case {run['case_id']}, is not a folder on this host",
                          "mount the case material here, or give its path with --root")
    return RunConfig(settings=settings, ingest=ing, nlp=nlp, root=folder, workers=workers,
                     origin=Origin(run["case_id"], opts["marking"], opts.get("custodian")),
                     limits=Limits(ocr=bool(opts.get("ocr"))))


def join(settings: Settings, ing: IngestSettings, nlp: NlpSettings, case_id: str | None = None,
         workers: int = 0, root: Path | None = None, on_start=None) -> ingest_run.RunSummary | None:
    """Join the open run of `case_id` (or of any case) and drain its queue with this host's
    workers; None when no run is open."""
    with db.connect(settings) as conn:
        run = open_run(conn, case_id)
    if run is None:
        return None
    config = joined_config(run, settings, ing, nlp, workers, root)
    return ingest_run.join(config, run["run_id"], on_start=on_start)
