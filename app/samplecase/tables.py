"""Call-data records, ANPR reads and bank statements as CSV: the structured side of the case."""

import csv
import io
import random
from datetime import datetime, timedelta

from app.samplecase.builder import Builder
from app.samplecase.cast import (BANK, BRENNAN, BURNER, HATHERLEY, MOSS, ORGS, PRYCE, SUBJECTS,
                                    TUCKER, WROBEL, Person)
from app.samplecase.identifiers import compact, gb_iban
from app.samplecase.narrative import START

CDR_COLUMNS = ("caller", "callee", "start_time", "duration_seconds", "call_type", "cell_id")
ANPR_COLUMNS = ("vrm", "camera", "location", "timestamp")
BANK_COLUMNS = ("date", "description", "amount", "sort_code", "account_number", "counterparty_iban")
CAMERAS = (("ANPR-AV-014", "M5 J18 Avonmouth northbound"), ("ANPR-AV-022", "A38 Barrow Gurney"),
           ("ANPR-BR-105", "A4 Portway, Sea Mills"), ("ANPR-BR-131", "A4174 Hengrove roundabout"),
           ("ANPR-SW-007", "M4 J15 Swindon eastbound"), ("ANPR-KY-003", "A4 Keynsham bypass"))


def csv_bytes(columns: tuple[str, ...], rows: list[tuple]) -> bytes:
    """A header and rows as CSV bytes, as the case's exports write them."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue().encode()


def _number(phone: str, style: str) -> str:
    """'07700 900123' as an operator would export it: national, '44...' or '+44...'."""
    national = compact(phone)
    return {"national": national, "e164": "+44" + national[1:], "bare": "44" + national[1:]}[style]


def cdr(b: Builder, rng: random.Random, owner: str, label: str, style: str, n: int) -> str:
    """n call records for one handset; every row is one call fact (voice or SMS)."""
    contacts = [p.phone for p in SUBJECTS if p.phone != owner] + [BURNER] + [o.phone for o in ORGS[:3]]
    rows, t = [], START
    for _ in range(n):
        t += timedelta(minutes=rng.randint(20, 1400), seconds=rng.randint(0, 59))
        other = rng.choice(contacts)
        a, c = (owner, other) if rng.random() < 0.6 else (other, owner)
        kind = rng.choice(("voice", "voice", "sms"))
        secs = rng.randint(8, 900) if kind == "voice" else 0
        cell = f"234-15-{rng.choice((2041, 2043, 3107))}-{rng.randint(10000, 65535)}"
        rows.append((_number(a, style), _number(c, style), t.strftime("%Y-%m-%dT%H:%M:%SZ"), secs, kind, cell))
    data = csv_bytes(CDR_COLUMNS, rows)
    return b.add(f"telecoms/cdr_{label}.csv", data, "csv", "cdr", f"Call data records {label}",
                 data.decode(), rows=n, call_facts=n)


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    return (rng.choice("ABCDEFGHKLMNOPRSVWY") + rng.choice(letters) + f"{rng.choice((17, 18, 19, 20, 21, 22, 68, 69, 70, 71, 72))}"
            + "".join(rng.choice(letters) for _ in range(3)))


def anpr(b: Builder, rng: random.Random, label: str, n: int) -> str:
    """n ANPR reads: about a third of them subjects' vehicles, the rest passing traffic."""
    plates = [p.vrm.replace(" ", "") for p in SUBJECTS]
    rows, t = [], START + timedelta(days=rng.randint(0, 20))
    for _ in range(n):
        t += timedelta(minutes=rng.randint(5, 600))
        vrm = rng.choice(plates) if rng.random() < 0.35 else _plate(rng)
        cam, loc = rng.choice(CAMERAS)
        rows.append((vrm, cam, loc, t.strftime("%Y-%m-%dT%H:%M:%SZ")))
    data = csv_bytes(ANPR_COLUMNS, rows)
    return b.add(f"anpr/anpr_{label}.csv", data, "csv", "anpr", f"ANPR reads {label}", data.decode(), rows=n)


ORG_IBANS = {o.name: gb_iban(BANK, f"40-05-{10 + i:02d}", f"{4410000 + 37 * i:08d}") for i, o in enumerate(ORGS)}


def bank(b: Builder, rng: random.Random, holder: Person, n: int) -> str:
    """A statement export for one subject: cash deposits under £1,000, transfers among subjects."""
    bank_code, sort_code, account = holder.bank
    peers = [p for p in (MOSS, BRENNAN, PRYCE, WROBEL, HATHERLEY, TUCKER) if p is not holder]
    rows, d = [], datetime(2024, 2, 1)
    for _ in range(n):
        d += timedelta(days=rng.randint(0, 3))
        r = rng.random()
        if r < 0.3:
            row = ("CASH DEPOSIT BROADMEAD BRANCH", f"{rng.randint(850, 990)}.00", "")
        elif r < 0.55:
            p = rng.choice(peers)
            sign = rng.choice(("-", ""))
            row = (f"{'FPO TO' if sign else 'FPI FROM'} {p.first[0]} {p.last.upper()}",
                   f"{sign}{rng.randint(100, 4000)}.00", p.iban)
        elif r < 0.75:
            o = rng.choice(ORGS)
            row = (f"FPI FROM {o.name.upper()}", f"{rng.randint(500, 6000)}.{rng.randint(0, 99):02d}", ORG_IBANS[o.name])
        else:
            shop = rng.choice(("TESCO STORES 3041", "SHELL PORTWAY", "GREGGS BEDMINSTER", "EE TOP-UP", "AMAZON MKTPLACE"))
            row = (f"CARD PAYMENT {shop}", f"-{rng.randint(2, 180)}.{rng.randint(0, 99):02d}", "")
        rows.append((d.strftime("%Y-%m-%d"), row[0], row[1], sort_code, account, row[2]))
    data = csv_bytes(BANK_COLUMNS, rows)
    return b.add(f"financial/statement_{holder.last.lower()}.csv", data, "csv", "bank",
                 f"Bank statement {holder.name}", data.decode(), rows=n)
