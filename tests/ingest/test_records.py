"""The typed hand-offs of a run: what a file's outcome records, a run's configuration made
definite, and a file read (or not) through the registry. No servers."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from clew.records import PIPELINE_VERSION, Status
from clew.settings import Settings
from ingest.batch import outcome
from ingest.extract import read
from ingest.formats.base import Limits
from ingest.records import ClaimedFile, FileOutcome, Origin, RunConfig
from ingest.run import resolved
from ingest.settings import IngestSettings
from nlp.settings import NlpSettings


def test_records_file_outcome_holds_the_file_its_status_and_the_pipeline():
    result = outcome(ClaimedFile(id=7, path="a.txt", size=5), Status.skipped, "empty file", t0=0.0)
    assert (result.file_id, result.status, result.error, result.documents) == (7, "skipped", "empty file", 0)
    assert result.pipeline_version == PIPELINE_VERSION and result.extract_ms >= 0
    with pytest.raises(ValidationError):
        FileOutcome(**{**result.model_dump(), "status": "lost"})
    with pytest.raises(ValidationError):
        result.write_ms = 5  # frozen: stages make new records


def test_records_run_config_resolved_has_an_absolute_root_and_a_number_of_workers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = RunConfig(settings=Settings(), ingest=IngestSettings(workers=3), root=Path("case"),
                       origin=Origin("OP-T"), nlp=NlpSettings())
    done = resolved(config)
    assert done.root == tmp_path / "case" and done.workers == 3 and done.limits == Limits()
    assert resolved(done) == done and config.workers == 0
    with pytest.raises(ValidationError):
        RunConfig(settings=Settings(), ingest=IngestSettings(), root=tmp_path, origin=Origin("OP-T"), wokers=2)


def test_records_reading_says_why_a_file_could_not_be_read():
    reading = read(bytes(range(256)) * 8, "blob.bin", Limits())
    assert reading.extraction is None and reading.format is None
    assert reading.failure == "unsupported file type (application/octet-stream)"
    broken = read(b"GIF89a" + bytes(200), "a.gif", Limits())
    assert broken.extraction is None and broken.format.name == "image" and "corrupt" in broken.failure
    text = read(b"A statement.\n", "note.txt", Limits())
    assert text.failure is None and "A statement." in text.extraction.text and text.format.name
