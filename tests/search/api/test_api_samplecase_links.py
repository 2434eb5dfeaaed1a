"""Issue #22's check on the sample case (app/samplecase/recordsets.py), the whole case ingested
through the real pipeline: for every pair of record sets a planted table is in, the overlap route
answers exactly the values the manifest plants (nothing else), and the links route finds every
planted value, asked in a form neither file writes, in exactly the rows that hold it. The rows are
counted here from the files themselves with a plain reading of each kind of identifier."""

import csv
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.samplecase import CASE_ID, generate
from app.samplecase.recordsets import DOOR, ROSTER, STOLEN
from ingest.settings import IngestSettings
from search.api import create_app
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import headers

V = "/api/v1"
PLANTED_SETS = (STOLEN, DOOR, ROSTER)


@pytest.fixture(scope="module")
def kestrel(servers, tmp_path_factory):
    with scratch(servers, "kessets") as s:
        out = tmp_path_factory.mktemp("kestrel-sets")
        manifest = generate(out)
        summary = ingest(s, IngestSettings(evidence_dir=out / "ev"), out / manifest.root, CASE_ID, workers=2)
        assert summary.failed == 0
        with TestClient(create_app(s, embedder=FakeEmbedder()), headers=headers(s, (CASE_ID,))) as api:
            yield manifest, out / manifest.root, api


def _plain(label: str, cell: str) -> str:
    """An identifier as this test reads it, independently of Clew's rules."""
    if label == "vrm":
        return re.sub(r"\s+", "", cell).upper()
    if label == "email":
        return cell.strip().lower()
    digits = re.sub(r"\D", "", cell)
    return "+44" + (digits[2:] if digits.startswith("44") else digits[1:])


def _rows_holding(root, path: str, label: str, value: str) -> set[int]:
    with open(root / path, newline="", encoding="utf-8") as f:
        return {n for n, row in enumerate(csv.reader(f)) if n and any(_plain(label, c) == value for c in row if c)}


def _another_way(label: str, value: str) -> str:
    """A form of `value` no file of the case writes."""
    if label == "vrm":
        return f"{value[:2].title()}{value[2:4]} {value[4:].lower()}"
    if label == "email":
        return value.capitalize()
    return f"0{value[3:7]} {value[7:]}"


def test_samplecase_overlaps_are_exactly_the_planted_ones(kestrel):
    manifest, _, api = kestrel
    sets = {s["name"] for s in api.get(f"{V}/records/sets?case={CASE_ID}").json()["sets"]}
    assert set(PLANTED_SETS) <= sets and {o.b for o in manifest.overlaps} <= sets
    planted = {frozenset((o.a, o.b)): {(o.label, v) for v in o.values} for o in manifest.overlaps}
    assert sum(len(v) for v in planted.values()) >= 10
    for a in PLANTED_SETS:
        for b in sorted(sets - {a}):
            got = api.get(f"{V}/records/overlap?case={CASE_ID}&a={quote(a)}&b={quote(b)}")
            assert got.status_code == 200, (a, b, got.text)
            found = {(v["label"], v["value"]) for v in got.json()["values"]}
            assert found == planted.get(frozenset((a, b)), set()), (a, b)


def test_samplecase_links_find_each_planted_value_written_another_way(kestrel):
    manifest, root, api = kestrel
    holders: dict[tuple[str, str], set[str]] = {}
    for o in manifest.overlaps:
        for v in o.values:
            holders.setdefault((o.label, v), set()).update((o.a, o.b))
    for (label, value), paths in sorted(holders.items()):
        asked = _another_way(label, value)
        assert _plain(label, asked) == value and all(asked not in (root / p).read_text() for p in paths)
        got = api.get(f"{V}/records/links?label={label}&value={quote(asked)}&case={CASE_ID}").json()
        assert got["value"] == value, asked
        rows: dict[str, set[int]] = {}
        for r in got["rows"]:
            rows.setdefault(r["set"], set()).add(r["row_number"])
        assert rows == {p: _rows_holding(root, p, label, value) for p in paths}, (label, value)
        assert got["total"] == len(got["rows"]) >= sum(len(r) for r in rows.values())  # a row per cell
