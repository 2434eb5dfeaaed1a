"""Scanned PDFs and photographs through the real ingest (OCR on, NLP, both stores) and out again
through the API and the web UI (issue #19): a scan is found by its words, on the page they are
on; a photograph's time taken, camera and GPS position land in PostgreSQL's typed columns, the
documents index's geo_point (a geo_distance query finds it), the reporting view, the document
route and the document page; bad values and pages OCR could not read are notes, never failures."""

import csv
import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clew import db, indexes
from clew.search_client import make_client
from clew.settings import Settings
from ingest.settings import IngestSettings
from search.api import create_app
from tests.ingest.conftest import LONDON, R, Samples
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account, headers
from tests.search.ui.uitools import sign_in
from tests.search.views.viewcase import write

CASE = "OP-MEDIA"
PARIS = {1: "N", 2: (R(48, 1), R(51, 1), R(2376, 100)), 3: "E", 4: (R(2, 1), R(21, 1), R(792, 100))}


def truncated_exif(data: bytes, keep: int) -> bytes:
    """A JPEG whose EXIF segment is cut to `keep` bytes (its length field says so)."""
    at = data.index(b"Exif\x00\x00")
    length = int.from_bytes(data[at - 2:at], "big")
    return data[:at - 2] + (keep + 2).to_bytes(2, "big") + data[at:at + keep] + data[at - 2 + length:]


LOG = [  # two scanned pages; a hit's snippet (160 characters) stays within its page
    ["Surveillance log of Operation Kestrel, day one.", "Officers watched the yard from eight in the",
     "morning until noon. Nobody came or went and", "the gates stayed locked all of that time."],
    ["At three in the afternoon a blue van arrived", "from the north and waited by the gates while",
     "the driver made a telephone call. Then it", "drove off again along the river, and later",
     "the van stopped in Harbour Street for twenty", "minutes while two men carried boxes inside.",
     "It left towards the ring road at half past", "four and was not seen again that evening."],
]
EXHIBIT = ["Exhibit label, continuity record number six.", "Item: one cardboard box holding ledgers and",
           "two mobile telephones, found under a desk in", "the back office. The box was seized at the",
           "Quayside Warehouse by the search team, then", "bagged and sealed in the presence of the",
           "manager, who signed the label as a witness.", "Stored in the exhibits room the same day."]
TYPED = ("Typed statement of DC Jones about the search of the warehouse on the quay, the officers who took part, "
         "the rooms searched in turn, and the exhibits that were seized there and taken to the station.")


def files() -> dict[str, bytes]:
    return {
        "scans/log.pdf": Samples.scanned_pdf(LOG),
        "scans/mixed.pdf": Samples.scanned_pdf([TYPED, EXHIBIT]),
        "scans/huge.pdf": Samples.scanned_pdf(["typed cover", []], pagesize=(200_000, 200_000)),
        "photos/london.jpg": Samples.photo(gps=LONDON),
        "photos/zero.jpg": Samples.photo(gps={**LONDON, 2: (R(51, 0), R(30, 1), R(0, 1))}, make="Nikon", model="D850"),
        "photos/lat123.png": Samples.photo("PNG", {**LONDON, 2: (R(123, 1), R(0, 1), R(0, 1))}),
        "photos/cut.jpg": truncated_exif(Samples.photo(gps=LONDON), 120),
        "photos/bloated.png": Samples.photo("PNG", PARIS, size=(1, 1), offset=None, make="C" * (10 << 20)),
    }


@dataclass(frozen=True)
class Media:
    settings: Settings
    client: object

    def doc_id(self, path: str) -> str:
        with db.connect(self.settings) as conn:
            return conn.execute(sa.text("SELECT id FROM documents WHERE case_id = :c AND path = :p"),
                                {"c": CASE, "p": path}).scalar_one()

    def row(self, sql: str, path: str):
        with db.connect(self.settings) as conn:
            return conn.execute(sa.text(sql), {"c": CASE, "p": path}).one()

    def near(self, lat: float, lon: float, distance: str = "1km") -> list[str]:
        hits = self.client.search(index=indexes.documents_read_alias(self.settings.index_prefix), body={
            "size": 10, "_source": ["source.path"], "query": {"bool": {"filter": [
                {"term": {"case_id": CASE}},
                {"geo_distance": {"distance": distance, "location": {"lat": lat, "lon": lon},
                                  "ignore_unmapped": True}}]}}})  # as a query over cases of older mappings must
        return sorted(h["_source"]["source"]["path"] for h in hits["hits"]["hits"])


@pytest.fixture(scope="module")
def media(servers, tmp_path_factory):
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract binary not installed (bin/setup or apt-get install tesseract-ocr)")
    with scratch(servers) as s:
        tmp = tmp_path_factory.mktemp("media")
        made = files()
        summary = ingest(s, IngestSettings(evidence_dir=tmp / "ev"), write(tmp / "case", made), CASE, ocr=True)
        assert (summary.failed, summary.documents) == (0, len(made))
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        yield Media(s, client)


@pytest.fixture(scope="module")
def api(media):
    app = create_app(media.settings, embedder=FakeEmbedder())
    with TestClient(app, headers=headers(media.settings, (CASE,))) as client:
        yield client


def keyword(api, q: str) -> list[tuple[str, list[int | None]]]:
    """(path, pages of its snippets) of each hit of a keyword search."""
    resp = api.get("/api/v1/search", params={"q": q, "mode": "keyword", "case": CASE})
    assert resp.status_code == 200, resp.text[:500]
    return [(h["document"]["path"], [s["page"] for s in h["snippets"]]) for h in resp.json()["hits"]]


# --- scans --------------------------------------------------------------------------------------------------

def test_media_scans_are_found_by_their_words_on_their_page(media, api):
    assert keyword(api, "Kestrel") == [("scans/log.pdf", [1])]
    assert keyword(api, "Harbour") == [("scans/log.pdf", [2])]
    assert keyword(api, "Quayside") == [("scans/mixed.pdf", [2])]       # the scan of a mixed PDF
    assert keyword(api, "Jones") == [("scans/mixed.pdf", [1])]          # ... and its text layer
    record = media.row("SELECT record FROM documents WHERE case_id = :c AND path = :p", "scans/log.pdf").record
    assert [p["number"] for p in record["pages"]] == [1, 2] and "Harbour Street" in record["pages"][1]["text"]


def test_media_scans_say_which_pages_were_ocrd_and_which_not(media):
    def by(path: str) -> list[str]:
        return media.row("SELECT processed_by FROM documents WHERE case_id = :c AND path = :p", path).processed_by

    assert "pages 1-2: OCR at 300 dpi" in by("scans/log.pdf")
    assert "page 2: OCR at 300 dpi" in by("scans/mixed.pdf") and not any(b.startswith("page 1") for b in by(
        "scans/mixed.pdf"))
    assert ("page 2: not drawn for OCR: a 200,000 x 200,000 pt page is over 36,000,000 pixels even at 72 dpi"
            in by("scans/huge.pdf"))
    assert any(b.startswith("pypdfium2 ") for b in by("scans/log.pdf"))


# --- photographs ---------------------------------------------------------------------------------------------

def test_media_photo_position_and_time_in_postgres(media):
    sql = ("SELECT status, taken_at, lat, lon, record -> 'notes' AS notes, record ->> 'camera_model' AS model "
           "FROM documents WHERE case_id = :c AND path = :p")
    london = media.row(sql, "photos/london.jpg")
    assert (london.status, london.lat, london.lon, london.model, london.notes) == (
        "ok", 51.5072, -0.1276, "Canon EOS 5D", [])
    assert london.taken_at == datetime(2026, 3, 14, 8, 12, tzinfo=UTC)       # 09:12 at +01:00
    for path, note in (("photos/zero.jpg", "GPS position: the latitude has a zero denominator (51/0); left out"),
                       ("photos/lat123.png", "GPS position: the latitude 123 is outside -90..90; left out")):
        bad = media.row(sql, path)
        assert (bad.status, bad.lat, bad.lon, bad.notes) == ("ok", None, None, [note])
        assert bad.taken_at == london.taken_at
    cut = media.row(sql, "photos/cut.jpg")
    assert cut.status == "ok" and cut.lat is None and cut.notes[0].startswith("EXIF: the block is damaged")
    bloated = media.row(sql, "photos/bloated.png")
    assert (bloated.lat, bloated.lon) == (48.8566, 2.3522) and any("camera make: a value of 10,485,760" in n
                                                                   for n in bloated.notes)


def test_media_photo_geo_point_in_the_index(media):
    assert media.near(51.5072, -0.1276) == ["photos/london.jpg"]
    assert media.near(48.8566, 2.3522) == ["photos/bloated.png"]
    assert media.near(51.5, -0.12, "5km") == ["photos/london.jpg"]
    hit = media.client.get(index=indexes.documents_read_alias(media.settings.index_prefix),
                           id=media.doc_id("photos/london.jpg"))["_source"]
    assert (hit["location"], hit["altitude"], hit["taken_at"], hit["camera_make"]) == (
        {"lat": 51.5072, "lon": -0.1276}, 35.0, "2026-03-14T09:12:00+01:00", "Canon")


def test_media_photo_in_the_reporting_view(media):
    row = media.row("SELECT taken_at, camera_make, camera_model, lat, lon, altitude_m, filed_at FROM report_documents "
                    "WHERE case_id = :c AND path = :p", "photos/london.jpg")
    assert tuple(row)[1:6] == ("Canon", "Canon EOS 5D", 51.5072, -0.1276, 35.0)
    assert row.taken_at == row.filed_at == datetime(2026, 3, 14, 8, 12, tzinfo=UTC)


def test_media_photo_through_the_document_route(media, api):
    view = api.get(f"/api/v1/documents/{media.doc_id('photos/london.jpg')}").json()
    assert (view["taken_at"], view["camera_make"], view["camera_model"], view["location"]) == (
        "2026-03-14T09:12:00+01:00", "Canon", "Canon EOS 5D", {"lat": 51.5072, "lon": -0.1276, "alt": 35.0})
    zero = api.get(f"/api/v1/documents/{media.doc_id('photos/zero.jpg')}").json()
    assert zero["location"] is None and zero["camera_model"] == "D850"
    assert zero["notes"] == ["GPS position: the latitude has a zero denominator (51/0); left out"]


def test_media_photo_on_the_document_page(media):
    name, password = account(media.settings, (CASE,))
    with TestClient(create_app(media.settings, embedder=FakeEmbedder())) as ui:
        sign_in(ui, name, password)
        html = ui.get(f"/documents/{media.doc_id('photos/london.jpg')}").text
        other = ui.get(f"/documents/{media.doc_id('photos/zero.jpg')}").text
        scan = ui.get(f"/documents/{media.doc_id('scans/log.pdf')}").text
    line = re.search(r'<p class="photo">(.*?)</p>', html, re.S).group(1)
    shown = " ".join(re.sub(r"<[^>]+>", "", line).split())
    assert shown == "Taken 2026-03-14 09:12 (+01:00) · Canon EOS 5D · 51.5072, -0.1276"
    assert '<time datetime="2026-03-14T09:12:00+01:00">2026-03-14 09:12 (+01:00)</time>' in line
    link = re.search(r'<a class="position" ([^>]*)>', line).group(1)
    assert 'href="https://www.openstreetmap.org/?mlat=51.5072&amp;mlon=-0.1276#map=17/51.5072/-0.1276"' in link
    assert 'hx-boost="false"' in link and 'rel="external noopener noreferrer"' in link
    assert "35.0 m above sea level" in html
    assert "<img" not in html and "<iframe" not in html and "tile" not in html      # a link, no map loaded
    assert '<p class="photo">Taken <time' in other and " · <span class=\"camera\">Nikon D850</span>" in other
    assert 'class="position"' not in other
    assert "latitude has a zero denominator" in other                                # the note, on the page
    assert "Taken" not in scan and "Page 2</h3>" in scan and "Harbour Street" in scan


def test_media_photo_columns_go_out_with_an_export(media, tmp_path):
    """`clew export` carries every column of `documents` (app.exit.tables reads them from the
    schema), so the typed time and position leave with the case, in JSON Lines and CSV alike."""
    from app.exit.pg_out import snapshot, tables_out

    with db.connect(media.settings) as conn, conn.begin():
        snapshot(conn)
        list(tables_out(conn, tmp_path, [CASE]))
    rows = [json.loads(line) for line in (tmp_path / "postgres" / "documents.jsonl").read_text().splitlines()]
    london = next(r for r in rows if r["path"] == "photos/london.jpg")
    assert (london["lat"], london["lon"]) == (51.5072, -0.1276)
    assert datetime.fromisoformat(london["taken_at"]) == datetime(2026, 3, 14, 8, 12, tzinfo=UTC)
    with open(tmp_path / "postgres" / "documents.csv", newline="") as f:
        exported = {r["path"]: r for r in csv.DictReader(f)}
    assert (exported["photos/london.jpg"]["lat"], exported["photos/zero.jpg"]["lat"]) == ("51.5072", "")
