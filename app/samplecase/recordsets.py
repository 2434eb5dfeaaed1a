"""Tables planted for the record-set links (issue #22): a stolen-vehicle list checked against the
case's ANPR reads and call records, and a door-access log checked against the staff roster of the
firm whose door it is. Each shares identifiers with the case's other tables only where planted, in
differently written forms; `Overlap`s in the manifest say which (the links tests find exactly
those, and nothing else, for every pair of sets one of these files is in).

Written after the rest of the case: the planted values are read back from the ANPR and call files
already written, and the filler is checked against every text of the case.
"""

import csv
import io
import random
import re
from datetime import timedelta

from app.samplecase.builder import Builder
from app.samplecase.cast import BRENNAN, BURNER, SEVERN, SUBJECTS, WROBEL
from app.samplecase.identifiers import compact, landline
from app.samplecase.manifest import Overlap
from app.samplecase.narrative import START
from app.samplecase.tables import csv_bytes

STOLEN, DOOR, ROSTER = "pnc/stolen_vehicles.csv", "premises/severn_door_access.csv", "premises/severn_staff.csv"
MAKES = ("Ford Focus", "Vauxhall Corsa", "VW Golf", "Nissan Qashqai", "BMW 320d", "Audi A3", "Kia Sportage")
STAFF = (("Tomasz", "Wrobel", "HGV driver"), ("Karen", "Ashby", "Transport manager"), ("Dev", "Mistry", "Warehouse"),
         ("Aoife", "Doyle", "Warehouse"), ("Sam", "Okafor", "Yard supervisor"), ("Lucy", "Trent", "Accounts"),
         ("Marek", "Nowak", "HGV driver"), ("Ian", "Ball", "Security"))
DOORS = ("Gate 1 (yard)", "Warehouse roller door", "Office front door", "Cold store")


def _rows(b: Builder, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((b.root / path).read_text(encoding="utf-8"))))


def _spaced(vrm: str) -> str:
    return f"{vrm[:-3]} {vrm[-3:]}"


def _texts(b: Builder) -> tuple[str, str]:
    """Every text of the case so far, lower-cased, as written and without spaces."""
    blob = " ".join(b.texts.values()).lower()
    return blob, re.sub(r"\s+", "", blob)


def _unused(texts: tuple[str, str], *forms: str) -> bool:
    """No form of a value is written anywhere (a phone's forms: give it without its leading 0)."""
    return not any(f.lower() in texts[0] or re.sub(r"\s+", "", f.lower()) in texts[1] for f in forms)


def stolen_list(b: Builder, rng: random.Random) -> list[Overlap]:
    """The force's stolen-vehicle list: three cars the cameras read (one of them Brennan's van, on
    cloned plates), written spaced or in lower case, one reported by a keeper who gave the burner's
    number; the rest read by no camera, their keepers' numbers found nowhere else in the case."""
    anpr = {f.path: [r["vrm"] for r in _rows(b, f.path)] for f in b.files if f.kind == "anpr"}
    calls = {f.path: {c for r in _rows(b, f.path) for c in (r["caller"], r["callee"])} for f in b.files if f.kind == "cdr"}
    seen, subjects = {v for reads in anpr.values() for v in reads}, {p.vrm.replace(" ", "") for p in SUBJECTS}
    passing = [v for v in dict.fromkeys(v for reads in anpr.values() for v in reads)
               if sum(v in reads for reads in anpr.values()) == 1 and v not in subjects]
    planted = [BRENNAN.vrm.replace(" ", ""), passing[0], passing[-1]]
    written = [_spaced(planted[0]).lower(), _spaced(planted[1]), planted[2].lower()]
    texts, filler = _texts(b), []
    while len(filler) < 17:
        vrm = rng.choice("BCDFGLMNPRSVWY") + rng.choice("ABCDEFGHJKLMNOPRSTUVWXY") + rng.choice(("18", "19", "20", "69", "70")) \
            + "".join(rng.choice("ABCDEFGHJKLMNOPRSTUVWXY") for _ in range(3))
        if vrm not in seen and vrm not in filler and _unused(texts, vrm):
            filler.append(vrm)
    keepers = [k for k in (landline("0117 496", n) for n in range(600, 700)) if _unused(texts, k[1:])]
    rows = []
    for i, vrm in enumerate(written + [_spaced(v) for v in filler]):
        when = START - timedelta(days=rng.randint(1, 200))
        keeper = "+44 7700 900" + BURNER[-3:] if i == 0 else ("" if i % 4 == 3 else keepers[i])
        rows.append((vrm, rng.choice(MAKES), when.strftime("%d/%m/%Y"), keeper, f"CAD {3000 + 37 * i}/24"))
    data = csv_bytes(("VRM", "Make/model", "Reported stolen", "Keeper contact", "Reference"), rows)
    b.add(STOLEN, data, "csv", "stolen-vehicles", "Stolen vehicles (PNC extract)", data.decode(), rows=len(rows))
    burner = {compact(BURNER), "+44" + compact(BURNER)[1:], "44" + compact(BURNER)[1:]}
    out = [Overlap(a=STOLEN, b=path, label="vrm", values=tuple(sorted(v for v in planted if v in reads)))
           for path, reads in anpr.items()]
    out += [Overlap(a=STOLEN, b=path, label="phone", values=("+44" + compact(BURNER)[1:],) if numbers & burner else ())
            for path, numbers in calls.items()]
    return out


def _email(first: str, last: str) -> str:
    return f"{first[0]}.{last}@{SEVERN.domain}".lower()


def door_access(b: Builder, rng: random.Random) -> list[Overlap]:
    """Severn Freight's staff roster and its door-access log: six of the eight staff badge in
    (their addresses as the door system writes them, in capitals), and two contractors not on
    the roster; Wrobel's badge opens the cold store at night."""
    staff = [(f"SF{100 + i}", f"{f} {l}", role, _email(f, l), f"{rng.randint(2015, 2023)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
             for i, (f, l, role) in enumerate(STAFF)]
    roster = csv_bytes(("staff_no", "name", "role", "email", "started"), staff)
    b.add(ROSTER, roster, "csv", "staff-roster", f"{SEVERN.name} staff roster", roster.decode(), rows=len(staff))
    badged = [s for s in staff if s[0] not in ("SF105", "SF107")]
    visitors = [f"engineer{n}@coolserve-hvac.example" for n in (1, 2)]
    rows, t = [], START + timedelta(days=3)
    for _ in range(60):
        t += timedelta(minutes=rng.randint(20, 900))
        who = rng.choice(badged + visitors)
        email = who if isinstance(who, str) else who[3].upper() if rng.random() < 0.5 else who[3].title()
        door = DOORS[3] if not isinstance(who, str) and who[1] == WROBEL.name and t.hour >= 22 else rng.choice(DOORS[:3])
        rows.append((t.strftime("%Y-%m-%d %H:%M:%S"), door, email, "granted"))
    for s in badged:  # everyone badged at least once, whatever the draw
        rows.append(((t := t + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S"), DOORS[0], s[3].upper(), "granted"))
    data = csv_bytes(("event_time", "door", "card_holder_email", "result"), rows)
    b.add(DOOR, data, "csv", "door-access", f"{SEVERN.name} door access log", data.decode(), rows=len(rows))
    return [Overlap(a=DOOR, b=ROSTER, label="email", values=tuple(sorted(s[3] for s in badged)))]


def planted(b: Builder, rng: random.Random) -> tuple[Overlap, ...]:
    return tuple(stolen_list(b, rng) + door_access(b, rng))
