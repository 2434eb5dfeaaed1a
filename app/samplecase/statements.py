"""Witness statements (MG11 style) as DOCX and PDF."""

import random
from collections.abc import Sequence
from datetime import timedelta

from app.samplecase.builder import Builder
from app.samplecase.cast import Person
from app.samplecase.narrative import FILLER, Scene, cast_lines, chronology, clock, day
from app.samplecase.render import docx_bytes, pdf_bytes

DECLARATION = ("This statement, consisting of the pages each signed by me, is true to the best of "
               "my knowledge and belief and I make it knowing that, if it is tendered in evidence, "
               "I shall be liable to prosecution if I have wilfully stated in it anything which I "
               "know to be false, or do not believe to be true.")


def paragraphs(s: Scene, w: Person, rng: random.Random, extra: list[str], pages: int) -> list[str]:
    """The statement's body; `pages` > 1 adds a timed chronology long enough to fill them."""
    head = [
        "Operation Kestrel (OP-KESTREL)    URN 52/KES/24",
        f"Statement of: {w.formal}    Age: over 18    Occupation: {s.topic.role}",
        f"Address: {w.address} {w.postcode}    Telephone: {w.phone}    Date of birth: {w.dob}",
        DECLARATION,
        f"I am a {s.topic.role}. I live at the address given above.",
        f"On {day(s.when)} at about {clock(s.when)} I was {s.place.text}. {s.topic.text}",
    ]
    body = cast_lines(s, rng) + extra
    if pages > 1:
        body += chronology(s, rng, 26 * (pages - 1))
    tail = rng.sample(FILLER, 3)
    signed = f"Signed: {w.formal}    Date: {day(s.when + timedelta(days=rng.randint(1, 6)))}"
    return head + body + tail + [signed]


def write(b: Builder, s: Scene, w: Person, rng: random.Random, fmt: str, n: int,
          extra: Sequence[str] = (), pages: int = 1) -> str:
    """Write statement number n as 'docx' or 'pdf' and register its known-item description."""
    title = f"Witness statement of {w.formal}"
    paras = paragraphs(s, w, rng, list(extra), pages)
    path = f"statements/MG11_{n:03d}_{w.last.lower()}.{fmt}"
    text = "\n".join([title, "WITNESS STATEMENT", *paras])
    if fmt == "docx":
        data = docx_bytes(title, w.name, paras, heading="WITNESS STATEMENT")
        b.add(path, data, "docx", "witness-statement", title, text)
    else:
        data, n_pages = pdf_bytes(title, w.name, paras, heading="WITNESS STATEMENT")
        b.add(path, data, "pdf", "witness-statement", title, text, pages=n_pages)
    b.describe(path, s.description)
    return path
