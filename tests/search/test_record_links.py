"""search.records on the planted case (tests/ingest/recordsets/planted.py) ingested through the real
pipeline: every planted overlap is found, through differently written forms, and nothing else; a
scope without the grant or the clearance sees none of it, exactly as if it were not there; a file
re-marked by `clew mark` is hidden at once."""

import pytest

from clew import db
from clew.access.scope import Scope
from search import records
from search.errors import InvalidValue, NotFound
from tests.ingest.recordsets import planted as P

ALL = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")


@pytest.fixture(scope="module")
def planted_case(servers, tmp_path_factory):
    with P.ingested(servers, tmp_path_factory.mktemp("planted"), "rec") as s:
        yield s


def scope(cases=(P.CASE,), markings=ALL) -> Scope:
    return Scope(user="tester", role="analyst", cases=cases, markings=markings)


OFFICIAL = scope(markings=("OFFICIAL",))


def read(s, fn, *args, **kwargs):
    with db.connect(s) as conn:
        return fn(conn, *args, **kwargs)


def test_records_sets_of_the_case(planted_case):
    listed = read(planted_case, records.sets, scope(), P.CASE)
    assert sorted(x.name for x in listed.sets) == sorted([*P.SETS, P.SECRET_SET]) and listed.total == 5
    by_name = {x.name: x for x in listed.sets}
    assert [c.identifier_label for c in by_name["stolen.csv"].columns] == ["VRM", None, None, "PHONE"]
    assert [c.type for c in by_name["stolen.csv"].columns] == ["text", "text", "date", "text"]
    assert by_name["anpr.csv"].rows == 20 and len(by_name["anpr.csv"].notes) == 1
    assert {x.name for x in read(planted_case, records.sets, OFFICIAL, P.CASE).sets} == set(P.SETS)


@pytest.mark.parametrize("pair", sorted(P.PLANTED, key=sorted), ids=lambda p: "+".join(sorted(p)))
def test_records_overlap_finds_every_planted_pair_and_nothing_else(planted_case, pair):
    a, b = sorted(pair)
    found = read(planted_case, records.overlap, scope(), P.CASE, a, b)
    assert {(v.label, v.value) for v in found.values} == P.PLANTED[pair] and found.total == len(P.PLANTED[pair])
    for v in found.values:
        behind = P.rows_holding(v.label, v.value)
        assert [r.row_number for r in v.a] == behind[a] and [r.row_number for r in v.b] == behind[b]
        assert (v.a_rows, v.b_rows) == (len(behind[a]), len(behind[b]))
        assert all(r.set == a for r in v.a) and all(r.set == b for r in v.b)


def test_records_overlap_rows_carry_the_cells_as_written(planted_case):
    found = read(planted_case, records.overlap, scope(), P.CASE, "stolen.csv", "anpr.csv")
    ab12 = next(v for v in found.values if v.value == "AB12CDE")
    assert [r.raw for r in ab12.b] == list(P.VRMS["AB12CDE"][1]) and ab12.a[0].raw == "AB12 CDE"
    assert ab12.b[0].values == {"camera": "CAM-01", "vrm": "ab12 cde", "read_at": "2024-05-01T20:00:00+00:00"}
    assert list(ab12.a[0].values) == ["VRM", "Make", "Reported", "Keeper phone"]      # in the file's order
    capped = read(planted_case, records.overlap, scope(), P.CASE, "stolen.csv", "anpr.csv", limit=1, per_value=2)
    assert capped.total == 3 and [(v.value, v.b_rows, len(v.b)) for v in capped.values] == [("AB12CDE", 3, 2)]


@pytest.mark.parametrize("written", ["ab12cde", "AB12 CDE", "ab12 Cde"])
def test_records_links_find_rows_however_the_value_is_written(planted_case, written):
    links = read(planted_case, records.rows_with, scope(), "vrm", written)
    assert (links.label, links.value, links.total) == ("vrm", "AB12CDE", 4)
    assert [(r.set, r.row_number) for r in links.rows] == [("anpr.csv", 1), ("anpr.csv", 2), ("anpr.csv", 3),
                                                          ("stolen.csv", 1)]
    phone = read(planted_case, records.rows_with, scope(), "PHONE", "+44 (0)7700 900111")
    assert {(r.set, r.column, r.raw) for r in phone.rows} == {("stolen.csv", "Keeper phone", "+44 7700 900111"),
                                                              ("contacts.json", "phone", "07700900111")}


def test_records_the_secret_set_is_seen_only_with_the_clearance(planted_case):
    secret = read(planted_case, records.rows_with, scope(), "vrm", "LM63KLP")
    assert {r.set for r in secret.rows} == {"stolen.csv", "anpr.csv", P.SECRET_SET}
    official = read(planted_case, records.rows_with, OFFICIAL, "vrm", "LM63KLP")
    assert {r.set for r in official.rows} == {"stolen.csv", "anpr.csv"} and official.total == 2
    shared = read(planted_case, records.overlap, scope(), P.CASE, "stolen.csv", P.SECRET_SET)
    assert [(v.value, [r.row_number for r in v.b]) for v in shared.values] == [("LM63KLP", [1])]
    with pytest.raises(NotFound) as hidden:
        read(planted_case, records.overlap, OFFICIAL, P.CASE, "stolen.csv", P.SECRET_SET)
    with pytest.raises(NotFound) as missing:
        read(planted_case, records.overlap, OFFICIAL, P.CASE, "stolen.csv", "nothing.csv")
    assert hidden.value.message.replace(P.SECRET_SET, "nothing.csv") == missing.value.message


def test_records_without_the_grant_nothing_is_there(planted_case):
    for nobody in (scope(cases=()), scope(cases=("OTHER",)), scope(markings=())):
        assert read(planted_case, records.sets, nobody, P.CASE).sets == []
        assert read(planted_case, records.rows_with, nobody, "vrm", "AB12CDE").total == 0
        with pytest.raises(NotFound):
            read(planted_case, records.overlap, nobody, P.CASE, "stolen.csv", "anpr.csv")


def test_records_bad_identifiers_are_invalid_values(planted_case):
    for label, value in (("vrm", "not a plate"), ("colour", "red"), ("phone", "")):
        with pytest.raises(InvalidValue):
            read(planted_case, records.rows_with, scope(), label, value)


def test_records_a_re_marked_file_is_hidden_at_once(planted_case):
    from ingest.mark import mark

    mark(planted_case, P.CASE, "anpr.csv", "SECRET", "tests")
    try:
        assert "anpr.csv" not in {x.name for x in read(planted_case, records.sets, OFFICIAL, P.CASE).sets}
        assert {r.set for r in read(planted_case, records.rows_with, OFFICIAL, "vrm", "AB12CDE").rows} == {"stolen.csv"}
    finally:
        mark(planted_case, P.CASE, "anpr.csv", "OFFICIAL", "tests")
    assert "anpr.csv" in {x.name for x in read(planted_case, records.sets, OFFICIAL, P.CASE).sets}


# ---------------------------------------------------------------- time-window joins (search.records_window)

def anpr_reads() -> list[tuple[int, str, "datetime"]]:
    """(row number, normalised VRM, read time) of every ANPR row with a time, from the file itself."""
    from datetime import UTC, datetime

    lines = P.files()["official/anpr.csv"].splitlines()[1:]
    out = []
    for n, line in enumerate(lines, start=1):
        _, vrm, at = line.split(",")
        if (value := P.normalise("VRM", vrm)) and at[:4].isdigit():
            out.append((n, value, datetime.strptime(at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)))
    return out


@pytest.mark.parametrize("minutes", [0, 60, 24 * 60, 3 * 24 * 60])
def test_records_window_pairs_the_same_vrm_read_close_in_time(planted_case, minutes):
    from search.records_window import window

    reads = anpr_reads()
    want = {(a[1], a[0], b[0]) for i, a in enumerate(reads) for b in reads[i + 1:]
            if a[1] == b[1] and abs((b[2] - a[2]).total_seconds()) <= minutes * 60}
    found = read(planted_case, window, scope(), P.CASE, "anpr.csv", "anpr.csv", minutes)
    assert {(p.value, p.a.row_number, p.b.row_number) for p in found.pairs} == want and found.total == len(want)
    assert found.a_time == found.b_time == "read_at"
    for p in found.pairs:
        assert p.a.values["read_at"] and abs(p.seconds) <= minutes * 60 and p.a.set == p.b.set == "anpr.csv"
    if minutes >= 3 * 24 * 60:
        assert want, "the planted reads must give pairs at this window"


def test_records_window_between_two_sets_and_its_refusals(planted_case):
    from search.records_window import window

    door = read(planted_case, window, scope(), P.CASE, "door-access.tsv", "door-access.tsv", 525_600)
    assert door.a_time == "at"
    with pytest.raises(InvalidValue, match="no datetime column"):
        read(planted_case, window, scope(), P.CASE, "stolen.csv", "anpr.csv", 60)       # a date, not a time
    with pytest.raises(InvalidValue, match="no datetime column 'camera'"):
        read(planted_case, window, scope(), P.CASE, "anpr.csv", "anpr.csv", 60, a_time="camera")
    with pytest.raises(InvalidValue, match="unknown identifier label"):
        read(planted_case, window, scope(), P.CASE, "anpr.csv", "anpr.csv", 60, label="shoe size")
    with pytest.raises(NotFound):
        read(planted_case, window, OFFICIAL, P.CASE, "informant.csv", "anpr.csv", 60)
    assert read(planted_case, window, scope(), P.CASE, "anpr.csv", "anpr.csv", 3 * 24 * 60, label="phone").total == 0
