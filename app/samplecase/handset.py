"""A phone extraction as a ZIP of JSON files, and typed documents scanned to PNG."""

import json
import random
from datetime import datetime, timedelta

from app.samplecase.builder import Builder
from app.samplecase.cast import SUBJECTS, Person
from app.samplecase.identifiers import compact
from app.samplecase.narrative import START, day
from app.samplecase.render import png_scan, zip_bytes

LINES = ("where r u", "at the unit, come round the back", "dont ring this, text only",
         "van is on the A38 now", "got the envelope", "tell him 900 by tmrw", "ok", "2 mins",
         "roy says the freezer is full", "change of plan, meet at the car wash", "bring ID",
         "cops outside the nail bar?? stay away", "done", "parcel to swindon thursday")


def _e164(phone: str) -> str:
    return "+44" + compact(phone)[1:]


def _thread(owner: Person, other: Person, rng: random.Random, t: datetime) -> dict:
    msgs = []
    for _ in range(rng.randint(4, 9)):
        t += timedelta(minutes=rng.randint(1, 300))
        mine = rng.random() < 0.5
        msgs.append({"from": _e164(owner.phone if mine else other.phone),
                     "to": _e164(other.phone if mine else owner.phone),
                     "timestamp": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "body": rng.choice(LINES)})
    return {"participants": [_e164(owner.phone), _e164(other.phone)], "contact": other.name, "messages": msgs}


def extraction(b: Builder, owner: Person, exhibit: str, rng: random.Random) -> str:
    """A handset extraction: device, contacts, call log and one JSON file per message thread."""
    others = [p for p in SUBJECTS if p is not owner]
    device = {"exhibit": exhibit, "make": "Samsung", "model": "Galaxy A14", "owner": owner.name,
              "msisdn": _e164(owner.phone), "extracted_at": "2024-05-28T10:00:00Z"}
    contacts = [{"name": p.nickname or p.first, "number": _e164(p.phone)} for p in others]
    members = [("extraction/device.json", device), ("extraction/contacts.json", contacts)]
    text = [json.dumps(device), json.dumps(contacts)]
    for i, other in enumerate(others, 1):
        thread = _thread(owner, other, rng, START + timedelta(days=rng.randint(0, 60)))
        members.append((f"extraction/messages/thread_{i:04d}.json", thread))
        text.append(json.dumps(thread))
    data = zip_bytes([(n, json.dumps(v, indent=2, ensure_ascii=False).encode()) for n, v in members])
    return b.add(f"phones/{exhibit}_extraction.zip", data, "zip", "phone-extraction",
                 f"Handset extraction {exhibit} ({owner.name})", "\n".join(text), children=len(members))


def scan(b: Builder, n: int, author: Person, subject: Person, rng: random.Random) -> str:
    """A typed letter to the investigation, printed and scanned: text only reachable by OCR."""
    when = START + timedelta(days=rng.randint(5, 100))
    lines = [f"Dated {day(when)}", "", "To the officer in charge, Operation Kestrel", "",
             f"My name is {author.name} and I live at {author.address}.",
             f"I am writing about {subject.name}, who drives a {subject.vehicle}.",
             "I have seen this vehicle outside the garages on several evenings,",
             "usually after ten o'clock, and different people get in and out.",
             "I did not want to call in case anyone found out it was me.",
             "I am happy to speak to someone if my name is kept private.", "",
             "Yours faithfully,", author.name]
    return b.add(f"scans/letter_{n:02d}.png", png_scan(lines, rng), "png", "scan",
                 f"Scanned letter from {author.name}", "\n".join(lines))
