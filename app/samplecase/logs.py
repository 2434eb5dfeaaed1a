"""Intelligence logs (plain text), analyst summaries (Markdown) and saved web pages (HTML)."""

import html
import random
from collections.abc import Sequence

from app.samplecase.builder import Builder
from app.samplecase.cast import AVON_MOTORS, SUBJECTS
from app.samplecase.narrative import Scene, cast_lines, clock, day

GRADES = ("B / 2 / P", "A / 1 / P", "C / 3 / C", "B / 3 / P", "E / 4 / C")
ACTIONS = ("Research associates and check vehicle on PNC.", "Refer to the financial investigator.",
           "Request subscriber checks on the numbers named.", "No further action at this time.",
           "Task local patrols to note vehicles at the location.")


def intel_log(b: Builder, s: Scene, rng: random.Random, n: int, extra: Sequence[str] = ()) -> str:
    """A 5x5x5-style intelligence log as plain text."""
    ref = f"KES/INT/{n:04d}"
    lines = ["INTELLIGENCE LOG - OPERATION KESTREL (OP-KESTREL)", f"Log reference: {ref}",
             f"Date recorded: {day(s.when)} {clock(s.when)}", f"Grading: {rng.choice(GRADES)}",
             f"Subjects: {', '.join(p.formal for p in s.subjects)}",
             f"Location: {s.place.text.split(' ', 1)[1]}", "", "Report:",
             f"Source reports the following. {s.topic.text}", *cast_lines(s, rng), *extra, "",
             f"Action: {rng.choice(ACTIONS)}", f"Recorded by: {rng.choice(('DC', 'DS'))} {rng.randint(1000, 9999)}"]
    path = b.add(f"intelligence/logs/{ref.replace('/', '-')}.txt", ("\n".join(lines) + "\n").encode(),
                 "txt", "intel-log", ref, "\n".join(lines))
    b.describe(path, s.description)
    return path


def summary(b: Builder, s: Scene, rng: random.Random, n: int, extra: Sequence[str] = ()) -> str:
    """An analyst's Markdown summary with a table of subjects."""
    title = f"Analyst summary {n:03d}: Operation Kestrel"
    rows = [f"| {p.name} | {p.dob} | {p.vehicle} | {p.vrm} |" for p in s.subjects]
    md = [f"# {title}", "", f"*Prepared {day(s.when)} for the Kestrel tasking meeting.*", "",
          "## Subjects", "", "| Name | Date of birth | Vehicle | VRM |", "|---|---|---|---|", *rows, "",
          "## Assessment", "", f"Reporting from {s.place.text.split(' ', 1)[1]}: {s.topic.text}", "",
          *[f"- {line}" for line in cast_lines(s, rng) + list(extra)], "",
          f"**Next step:** {rng.choice(ACTIONS)}"]
    text = "\n".join(md) + "\n"
    path = b.add(f"intelligence/summaries/summary_{n:03d}.md", text.encode(), "md", "intel-summary",
                 title, text)
    b.describe(path, s.description)
    return path


def forum_post(b: Builder, s: Scene, rng: random.Random, n: int) -> str:
    """A saved page from a neighbourhood forum thread."""
    where = s.place.text.split(" ", 1)[1]
    title = f"Bristol Neighbours Forum - worrying goings-on in {where}"
    paras = [f"Posted {day(s.when)} at {clock(s.when)} by user{rng.randint(100, 999)}",
             f"Not sure who else to tell. {s.topic.text}", *cast_lines(s, rng, 2)]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    page = (f"<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title></head>\n<body><nav>Home &gt; Community safety</nav>\n"
            f"<article class=\"post\"><h1>{html.escape(title)}</h1>\n{body}</article>\n"
            f"<footer>Saved copy for Operation Kestrel exhibit WEB/{n:03d}</footer></body></html>\n")
    path = b.add(f"web/forum_{n:03d}.html", page.encode(), "html", "web-page", title,
                 "\n".join([title, *paras]))
    b.describe(path, s.description)
    return path


def car_advert(b: Builder) -> str:
    """A dealer's used-car listing: prices, registrations and a phone number."""
    cars = [(p.vehicle, p.vrm, 4995 + 1500 * i) for i, p in enumerate(SUBJECTS[1:4])]
    items = "".join(f"<li><b>{v}</b> reg {r} - £{price:,} - ask for Gary</li>\n" for v, r, price in cars)
    lines = [f"{AVON_MOTORS.name} - quality used cars", f"Call {AVON_MOTORS.phone}",
             *[f"{v} reg {r} - £{price:,} - ask for Gary" for v, r, price in cars]]
    page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{AVON_MOTORS.name}</title>"
            f"</head>\n<body><h1>{html.escape(lines[0])}</h1><p>{AVON_MOTORS.address} - {lines[1]}</p>\n"
            f"<ul>\n{items}</ul></body></html>\n")
    return b.add("web/avon_valley_motors_stock.html", page.encode(), "html", "web-page", lines[0],
                 "\n".join(lines))
