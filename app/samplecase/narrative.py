"""Scenes: what one text document is about (topic, place, time, people) and the sentences that
tie it to the rest of the case, full of names, dates, amounts and identifiers for NER and pivots."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.samplecase.cast import MOSS, ORGS, SUBJECTS, Org, Person
from app.samplecase.topics import KIND_PREFIX, PLACES, TOPICS, Place, Topic

START = datetime(2024, 2, 5, 8, 0)


@dataclass(frozen=True)
class Scene:
    kind: str
    topic: Topic
    place: Place
    when: datetime
    subjects: tuple[Person, ...]
    org: Org

    @property
    def description(self) -> str:
        return f"{KIND_PREFIX[self.kind]} {self.topic.desc}, {self.place.desc}."


def scene(k: int, kind: str, rng: random.Random) -> Scene:
    """The k-th text document: topic k mod 45 and a place that makes (topic, place) unique."""
    t, r = k % len(TOPICS), k // len(TOPICS)
    when = START + timedelta(days=rng.randint(0, 108), hours=rng.randint(0, 14), minutes=rng.randint(0, 59))
    subjects = tuple(rng.sample(SUBJECTS, 2))
    return Scene(kind, TOPICS[t], PLACES[(t + 5 * r) % len(PLACES)], when, subjects, rng.choice(ORGS))


def day(d: datetime) -> str:
    return f"{d.day} {d:%B %Y}"


def clock(d: datetime) -> str:
    return f"{d:%H:%M}"


def cast_lines(s: Scene, rng: random.Random, n: int = 3) -> list[str]:
    """n sentences about the scene's subjects and organisation. The main subject's phone number and
    address are only ever written where plants.py puts them, so the planted facts stay countable."""
    a, b = s.subjects
    later = s.when + timedelta(days=rng.randint(1, 9))
    amount = rng.choice((450, 900, 1250, 2400, 3800, 7500, 9950))
    lines = [
        f"One of them is known as '{a.nickname or a.first}', who I understand to be {a.name}.",
        f"{a.name} drives a {a.vehicle}, registration {a.vrm}.",
        f"{b.name} has been seen in a {b.vehicle}, registration {b.vrm}.",
        f"On {day(later)} {b.name} received £{amount:,} from {s.org.name}.",
        f"{a.name} claimed to work for {s.org.name} and to be paid £{amount // 10} a week in cash.",
        f"A meeting was arranged for {day(later)} at the offices of {s.org.name}, {s.org.address}.",
        f"{s.org.name} can be reached on {s.org.phone}.",
    ]
    for p in (a, b):
        if p is not MOSS:
            lines.append(f"{p.name} uses the mobile number {p.phone}.")
            lines.append(f"{p.name} lives at {p.address} {p.postcode}.")
    return rng.sample(lines, n)


FILLER = (
    "The street lighting was working and I had a clear view from where I was standing.",
    "Nothing blocked my view at any point and I was not in a hurry.",
    "I have not discussed what I saw with anyone apart from the police.",
    "My eyesight is good for distance and I was not wearing glasses.",
    "It was dry and the traffic was light for the time of day.",
    "I did not recognise anyone else who was there at the time.",
    "I made a note on my phone shortly afterwards so that I would not forget the details.",
    "I am willing to attend court to give evidence if required.",
    "I would recognise the men again if I saw them.",
    "I have been shown no photographs and have not been asked to pick anyone out.",
    "Later that week I went back past the same spot and it was quiet.",
    "I do not want my details passed to anyone outside the investigation.",
)


def chronology(s: Scene, rng: random.Random, n: int) -> list[str]:
    """n short timed entries after the scene, to make long statements run over several pages."""
    out, t = [], s.when
    for _ in range(n):
        t += timedelta(minutes=rng.randint(3, 40))
        who = rng.choice(s.subjects)
        act = rng.choice(("walked back towards the car", "made a short phone call",
                          "spoke to someone I could not see", "looked up and down the road",
                          "took a holdall out of the boot", "got into the passenger seat",
                          "waited by the entrance", "handed over a white envelope"))
        out.append(f"At {clock(t)} the person I now know to be {who.name} {act}.")
    return out
