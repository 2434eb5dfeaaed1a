"""Precision and recall of `nlp.entities` on a deterministic, labelled set of UK investigative prose,
and NER speed with the NER-only pipeline against the full spaCy pipeline, measured in the same run.

Seeded Faker en_GB person names and companies (given a company suffix most of the time), real UK
towns, dates and sums go into hand-written sentence templates; the gold spans are where the values
were put. Titles and ranks ("DS", "Mr") sit outside the PERSON span, as spaCy marks them. Sentences
are grouped eight to a document so the model sees some context. Scores: `exact` needs the same
label and span; `lenient` the same label and any overlap (one prediction per gold span). DATE and
MONEY also report how many exactly found spans got the expected normalised value. Prints JSON.

    .venv/bin/python bench/ner_quality.py [--seed N] [--sentences N] [--brown N] [--errors]
"""

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from clew.records import Document, Mention, SourceFile  # noqa: E402
from nlp.entities import entities_many, load_nlp  # noqa: E402
from nlp.settings import get_nlp_settings  # noqa: E402

LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY")
Gold = tuple[str, int, int, str]  # label, start, end, expected value

TEMPLATES = [
    "On {DATE}, {TITLE}{PERSON} transferred {MONEY} to an account held by {ORG}.",
    "{PERSON} told officers she had lived in {GPE} since {DATE}.",
    "The invoice from {ORG} to {ORG} was for {MONEY} and was dated {DATE}.",
    "{TITLE}{PERSON} interviewed {PERSON} at the police station in {GPE} on {DATE}.",
    "According to the bank statement, {PERSON} withdrew {MONEY} in cash while in {GPE}.",
    "{ORG} was incorporated on {DATE} with {PERSON} as its sole director.",
    "The van was seen travelling from {GPE} towards {GPE} shortly after midnight.",
    "{PERSON} said that {PERSON} still owed him {MONEY} from a deal in {GPE}.",
    "A parcel addressed to {PERSON} was intercepted at the {GPE} depot of {ORG}.",
    "In her statement, {PERSON} describes meeting {PERSON} outside a pub in {GPE}.",
    "Payments totalling {MONEY} were made to {ORG} between {DATE} and {DATE}.",
    "{TITLE}{PERSON} of {ORG} confirmed that the contract was signed on {DATE}.",
    "{PERSON} was arrested in {GPE} on suspicion of fraud by false representation.",
    "{ORG} paid {MONEY} into the account on {DATE}.",
    "The flat in {GPE} was rented by {PERSON} through a letting agent, {ORG}.",
    "{PERSON} resigned as a director of {ORG} on {DATE}.",
    "{PERSON} and {PERSON} travelled to {GPE} by train on {DATE}.",
    "CCTV supplied by {ORG} shows {PERSON} entering the shop just before closing.",
    "The loan of {MONEY} from {PERSON} was never repaid, according to {PERSON}.",
    "Accounts filed by {ORG} show a turnover of {MONEY} for the year.",
    "{PERSON} moved from {GPE} to {GPE} after leaving {ORG}.",
    "{TITLE}{PERSON} seized a laptop and {MONEY} in cash from the address in {GPE}.",
    "Emails between {PERSON} and staff at {ORG} refer to a meeting in {GPE}.",
    "On {DATE} a courier collected the package from {ORG} in {GPE}.",
    "{PERSON} claims she has never heard of {ORG} and has never been to {GPE}.",
    "The witness, {PERSON}, says she saw the car in {GPE} on {DATE}.",
    "{ORG} has offices in {GPE} and {GPE}.",
    "{TITLE}{SURNAME} put it to {PERSON} that the {MONEY} came from {ORG}.",
    "{PERSON} received {MONEY} from {ORG} on {DATE}, the records show.",
    "Officers spoke to {PERSON} at her home in {GPE} on {DATE}.",
]
TITLES = ["", "", "", "Mr ", "Mrs ", "Ms ", "Dr ", "DS ", "DC ", "PC ", "DI ", "Detective Sergeant "]
SUFFIXES = [" Ltd", " Ltd", " Limited", " PLC", " LLP", " & Co", " Holdings Ltd", " Group", ""]
TOWNS = """London, Manchester, Birmingham, Leeds, Liverpool, Bristol, Sheffield, Newcastle upon Tyne,
Nottingham, Leicester, Coventry, Bradford, Cardiff, Swansea, Edinburgh, Glasgow, Aberdeen, Dundee, Belfast,
Derry, Southampton, Portsmouth, Plymouth, Exeter, Norwich, Ipswich, Cambridge, Oxford, Reading, Luton,
Watford, Brighton, Hastings, Canterbury, Maidstone, Swindon, Gloucester, Worcester, Hereford, Shrewsbury,
Stoke-on-Trent, Wolverhampton, Walsall, Preston, Blackpool, Bolton, Wigan, Warrington, Chester, Lancaster,
Carlisle, Sunderland, Middlesbrough, Durham, York, Hull, Doncaster, Barnsley, Wakefield, Huddersfield,
Halifax, Lincoln, Peterborough, Northampton, Milton Keynes, Slough, Guildford, Colchester, Chelmsford,
Southend-on-Sea, Bournemouth, Salisbury, Bath, Inverness, Stirling, Perth""".replace("\n", " ").split(", ")
COMPANY_SUFFIX = re.compile(r" (?:Ltd|PLC|LLC|Inc)$")


@dataclass
class Example:
    text: str = ""
    gold: list[Gold] = field(default_factory=list)


class Values:
    def __init__(self, seed: int) -> None:
        self.f = Faker("en_GB")
        self.f.seed_instance(seed)
        self.r = random.Random(seed)

    def person(self) -> tuple[str, str]:
        name = f"{self.f.first_name()} {self.f.last_name()}"
        return name, name

    def surname(self) -> tuple[str, str]:
        name = self.f.last_name()
        return name, name

    def org(self) -> tuple[str, str]:
        name = self.f.company()                      # en_GB gives 'Wood-Hill', 'Smith and Sons', 'Carter Inc'
        name = COMPANY_SUFFIX.sub(" Ltd", name) if COMPANY_SUFFIX.search(name) else name + self.r.choice(SUFFIXES)
        return name, name

    def gpe(self) -> tuple[str, str]:
        town = self.r.choice(TOWNS)
        return town, town

    def day(self) -> tuple[str, str]:
        d = date(2019, 1, 1) + timedelta(days=self.r.randrange(2000))
        nth = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d.day, "th")
        surface = self.r.choice([f"{d.day} {d:%B %Y}", f"{d.day}{nth} {d:%B %Y}", f"{d:%d/%m/%Y}",
                                 f"{d.day} {d:%b %Y}", f"{d:%B} {d.day}, {d.year}"])
        return surface, d.isoformat()

    def money(self) -> tuple[str, str]:
        pounds, pence = self.r.choice([10, 100, 1000, 10000]) * self.r.randint(1, 99), self.r.randint(0, 99)
        kind = self.r.random()
        if kind < 0.45:
            return f"£{pounds:,}", f"GBP {pounds}.00"
        if kind < 0.7:
            return f"£{pounds:,}.{pence:02d}", f"GBP {pounds}.{pence:02d}"
        if kind < 0.85:
            millions = self.r.choice(["1.2", "2.5", "3", "4.75", "12"])
            return f"£{millions} million", f"GBP {float(millions) * 1e6:.2f}"
        return f"£{pounds // 1000 or 1}k", f"GBP {(pounds // 1000 or 1) * 1000}.00"


def fill(template: str, v: Values) -> Example:
    makers: dict[str, tuple[str | None, Callable[[], tuple[str, str]]]] = {
        "PERSON": ("PERSON", v.person), "SURNAME": ("PERSON", v.surname), "ORG": ("ORG", v.org),
        "GPE": ("GPE", v.gpe), "DATE": ("DATE", v.day), "MONEY": ("MONEY", v.money),
        "TITLE": (None, lambda: (v.r.choice(TITLES),) * 2),
    }
    ex, cursor = Example(), 0
    for slot in re.finditer(r"\{(\w+)\}", template):
        ex.text += template[cursor:slot.start()]
        label, make = makers[slot[1]]
        surface, value = make()
        if label:
            ex.gold.append((label, len(ex.text), len(ex.text) + len(surface), value))
        ex.text += surface
        cursor = slot.end()
    ex.text += template[cursor:]
    return ex


def build(seed: int, n: int, per_doc: int = 8) -> tuple[list[Document], list[list[Gold]]]:
    v = Values(seed)
    examples = [fill(TEMPLATES[i % len(TEMPLATES)] if i < len(TEMPLATES) else v.r.choice(TEMPLATES), v)
                for i in range(n)]
    source = SourceFile(case_id="bench", path="ner.txt", sha256="0" * 64, size=0)
    docs, golds = [], []
    for k in range(0, n, per_doc):
        text, gold = "", []
        for ex in examples[k:k + per_doc]:
            text += " " if text else ""
            gold += [(lab, s + len(text), e + len(text), val) for lab, s, e, val in ex.gold]
            text += ex.text
        docs.append(Document(id=f"d{k // per_doc}", case_id="bench", source=source, kind="txt", text=text))
        golds.append(gold)
    return docs, golds


def score(golds: list[list[Gold]], found: list[list[Mention]], label: str,
          errors: list[str] | None, docs: Sequence[Document]) -> dict[str, Any]:
    counts = {"gold": 0, "predicted": 0, "exact": 0, "lenient": 0, "value_ok": 0}
    for doc, gold, pred in zip(docs, golds, found):
        g = [x for x in gold if x[0] == label]
        p = [m for m in pred if m.label == label]
        counts["gold"] += len(g)
        counts["predicted"] += len(p)
        exact = {(m.start, m.end): m for m in p}
        hits = [exact[(s, e)] for _, s, e, _ in g if (s, e) in exact]
        counts["exact"] += len(hits)
        counts["value_ok"] += sum(exact[(s, e)].value == val for _, s, e, val in g if (s, e) in exact)
        unused = list(p)
        for _, s, e, _ in g:
            hit = next((m for m in unused if m.start < e and s < m.end), None)
            if hit:
                unused.remove(hit)
                counts["lenient"] += 1
            elif errors is not None:
                errors.append(f"{label} missed: {doc.text[s:e]!r}")
        if errors is not None:
            errors += [f"{label} spurious: {m.text!r}" for m in unused]
    return _rates(counts, label in {"DATE", "MONEY"})


def _rates(c: dict[str, int], with_values: bool) -> dict[str, Any]:
    def pr(hit: int) -> dict[str, float]:
        p, r = hit / max(c["predicted"], 1), hit / max(c["gold"], 1)
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3)}
    out: dict[str, Any] = {"gold": c["gold"], "predicted": c["predicted"], "exact": pr(c["exact"]),
                           "lenient": pr(c["lenient"])}
    if with_values:
        out["value_accuracy_on_exact"] = round(c["value_ok"] / max(c["exact"], 1), 3)
    return out


def words_per_s(nlp: Any, texts: list[str], repeats: int = 3) -> float:
    list(nlp.pipe(texts[:4]))
    n = sum(len(t.split()) for t in texts)
    best = min(_timed(lambda: list(nlp.pipe(texts, batch_size=64))) for _ in range(repeats))
    return round(n / best)


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def speed(name: str, texts: list[str]) -> dict[str, Any]:
    """Words/s of the NER-only pipeline Clew loads and of the full one, on the same texts, best of 3;
    and of `entities_many` end to end (pages, chunks, Mentions, normal forms)."""
    import spacy

    ner_only, full = load_nlp(name), spacy.load(name)
    ner_rate, full_rate = words_per_s(ner_only, texts), words_per_s(full, texts)
    source = SourceFile(case_id="bench", path="speed.txt", sha256="0" * 64, size=0)
    docs = [Document(id=f"s{i}", case_id="bench", source=source, kind="txt", text=t) for i, t in enumerate(texts)]
    n = sum(len(t.split()) for t in texts)
    return {"words": n, "ner_only_words_per_s": ner_rate, "full_pipeline_words_per_s": full_rate,
            "ratio": round(ner_rate / full_rate, 2), "ner_only_pipeline": ner_only.pipe_names,
            "full_pipeline": full.pipe_names,
            "entities_many_words_per_s": round(n / _timed(lambda: entities_many(docs, name)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sentences", type=int, default=480)
    parser.add_argument("--brown", type=int, default=20, help="Brown texts to time on too (0: none)")
    parser.add_argument("--errors", action="store_true", help="print misses and spurious spans to stderr")
    args = parser.parse_args()
    name = get_nlp_settings().spacy_model
    docs, golds = build(args.seed, args.sentences)
    started = time.perf_counter()
    found = entities_many(docs, name)
    errors: list[str] | None = [] if args.errors else None
    labels = {label: score(golds, found, label, errors, docs) for label in LABELS}
    brown = sorted((ROOT / "bench" / "data" / "brown").glob("*.txt"))[:args.brown]
    timing = {"generated": speed(name, [d.text for d in docs] * 4)}
    if brown:
        timing["brown"] = speed(name, [p.read_text() for p in brown])
    print(json.dumps({
        "model": f"{name} {load_nlp(name).meta['version']}", "seed": args.seed, "sentences": args.sentences,
        "documents": len(docs), "words": sum(len(d.text.split()) for d in docs), "labels": labels,
        "speed": timing, "seconds": round(time.perf_counter() - started, 1),
    }, indent=2))
    for line in errors or []:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    main()
