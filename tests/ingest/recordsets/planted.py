"""A generated case for the record-set tests: a stolen-vehicle list, an ANPR extract, a door-access
log and a contacts export (JSON), with overlaps planted in differently written forms, and an
informant's list at SECRET that shares one registration with the stolen list.

    OP-PLANT  official/  OFFICIAL  stolen.csv, anpr.csv, door-access.tsv, contacts.json
              secret/    SECRET    informant.csv

PLANTED holds, for every pair of official sets, the normalised identifiers they share (no pair
shares anything else): the tests check the links find exactly these. Filler values come from pools
no other file draws from.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations, product
from pathlib import Path

from nlp.identifiers.registry import normalise

CASE = "OP-PLANT"
SETS = ("stolen.csv", "anpr.csv", "door-access.tsv", "contacts.json")
SECRET_SET = "informant.csv"

# planted: the normal form, and how each file writes it
VRMS = {"AB12CDE": ("AB12 CDE", ("ab12 cde", "AB12CDE", "Ab12 Cde")),
        "YX19ZZT": ("YX19ZZT", ("yx19zzt",)),
        "LM63KLP": ("lm63 klp", ("LM63 KLP",))}
KEEPER = ("+447700900111", "+44 7700 900111", "07700900111")     # (normal, in stolen, in contacts)
EMAILS = {"j.doe@example.org": ("J.Doe@Example.org", "j.doe@example.org"),
          "k.lee@example.net": ("k.lee@example.net", "K.LEE@EXAMPLE.NET")}   # (in door log, in contacts)
SECRET_VRM = ("LM63KLP", "LM63 KLP")                              # the informant names a stolen car
DECOY = "AB12 CDF"                                               # one letter off a stolen registration

PLANTED: dict[frozenset[str], set[tuple[str, str]]] = {frozenset(p): set() for p in combinations(SETS, 2)}
PLANTED[frozenset(("stolen.csv", "anpr.csv"))] = {("vrm", v) for v in VRMS}
PLANTED[frozenset(("stolen.csv", "contacts.json"))] = {("phone", KEEPER[0])}
PLANTED[frozenset(("door-access.tsv", "contacts.json"))] = {("email", e) for e in EMAILS}


def _marks(first: str, n: int) -> list[str]:
    """`n` valid current-format registrations starting with one of `first` (a pool per file)."""
    out = [f"{a}{b}{age} {tail}" for a, b, age, tail in product(first, "KMN", ("03", "15", "21", "55", "66"),
                                                                  ("RTY", "NBV", "SMR", "PWX", "ABN", "GUD"))]
    return out[:n]


def _phones(block: int, n: int) -> list[str]:
    return [f"07700 900{block}{i:02d}" for i in range(n)]


def _lines(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\n" for r in rows)


def files() -> dict[str, str]:
    """Path in its folder -> content."""
    stolen = [["VRM", "Make", "Reported", "Keeper phone"]]
    stolen += [[written, "Ford", f"2024-04-{10 + i:02d}", KEEPER[1] if i == 0 else _phones(2, 3)[i - 1]]
               for i, (written, _) in enumerate(VRMS.values())]
    stolen += [[vrm, "Vauxhall", f"2024-03-{i + 1:02d}", phone] for i, (vrm, phone) in
               enumerate(zip(_marks("BC", 5), _phones(5, 5)))]
    anpr = [["camera", "vrm", "read_at"]]
    seen = [form for _, forms in VRMS.values() for form in forms] + _marks("GH", 14) + [DECOY]
    anpr += [[f"CAM-{i % 4 + 1:02d}", vrm, f"2024-05-0{i % 7 + 1} 2{i % 4}:{i:02d}:00"] for i, vrm in enumerate(seen)]
    anpr[5][2] = "not recorded"                                   # a bad cell: null, noted, load goes on
    door = [["badge", "door", "at", "holder_email"]]
    holders = [e[0] for e in EMAILS.values()] + [f"staff{i}@example.com" for i in range(8)]
    door += [[str(1000 + i), "Main entrance" if i % 2 else "Door 3", f"0{i % 9 + 1}/05/2024 08:{i:02d}", email]
             for i, email in enumerate(holders)]
    contacts = [{"name": "Pat Keeper", "phone": KEEPER[2], "email": "pat@example.com"}]
    contacts += [{"name": f"Contact {i}", "phone": p, "email": e} for i, (p, e) in
                 enumerate(zip(_phones(3, 2), [f for _, f in EMAILS.values()]))]
    contacts += [{"name": f"Friend {i}", "phone": p, "email": f"friend{i}@example.net"} for i, p in enumerate(_phones(4, 4))]
    informant = [["registration", "note"], [SECRET_VRM[1], "seen at the lock-up"], [_marks("K", 1)[0], "parked nearby"]]
    return {"official/stolen.csv": _lines(stolen), "official/anpr.csv": _lines(anpr),
            "official/door-access.tsv": _lines(door, "\t"), "official/contacts.json": json.dumps(contacts, indent=1),
            "secret/informant.csv": _lines(informant)}


def write(root: Path) -> dict[str, Path]:
    """The two folders under `root`: 'official' and 'secret' -> their paths."""
    for name, text in files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return {"official": root / "official", "secret": root / "secret"}


def rows_holding(label: str, value: str) -> dict[str, list[int]]:
    """Set -> the row numbers whose cells normalise to `value` (read back from the files, for checks)."""
    out: dict[str, list[int]] = {}
    for name, text in files().items():
        set_name = name.split("/", 1)[1]
        if name.endswith(".json"):
            rows = [list(r.values()) for r in json.loads(text)]
        else:
            rows = [line.split("\t" if name.endswith(".tsv") else ",") for line in text.splitlines()[1:]]
        hits = [n for n, cells in enumerate(rows, start=1) if any(normalise(label.upper(), c) == value for c in cells)]
        if hits:
            out[set_name] = hits
    return out


@contextmanager
def ingested(servers, root: Path, name: str) -> Iterator:
    """Settings of a scratch schema and prefix `name` holding the case: 'official' ingested at
    OFFICIAL, 'secret' at SECRET, through the real pipeline."""
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest
    from tests.scratch import scratch

    with scratch(servers, name) as s:
        folders = write(root / "case")
        ing = IngestSettings(evidence_dir=root / "ev")
        assert ingest(s, ing, folders["official"], CASE).failed == 0
        assert ingest(s, ing, folders["secret"], CASE, marking="SECRET").failed == 0
        yield s
