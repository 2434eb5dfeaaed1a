"""Emails between officers (.eml, some with attachments) and one seized MBOX mailbox."""

import io
import random
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime

from app.samplecase.builder import Builder
from app.samplecase.cast import BRENNAN, MOSS, OFFICERS, POLICE_DOMAIN, PRYCE, WROBEL
from app.samplecase.narrative import Scene, cast_lines, day
from app.samplecase.render import docx_bytes, pdf_bytes

MIME = {"docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "pdf": ("application", "pdf"), "csv": ("text", "csv")}


def _address(officer: tuple[str, str, str]) -> str:
    rank, first, last = officer
    return f"{rank} {first} {last} <{first.lower()}.{last.lower()}@{POLICE_DOMAIN}>"


def message(sender: str, to: str, subject: str, body: str, when: datetime, msg_id: str,
            attachments: Sequence[tuple[str, bytes]] = (), reply_to: str | None = None) -> EmailMessage:
    """A message with fixed Date, Message-ID and MIME boundary, so its bytes never change."""
    m = EmailMessage(policy=default)
    m["From"], m["To"], m["Subject"] = sender, to, subject
    m["Date"] = format_datetime(when.replace(tzinfo=timezone.utc))
    m["Message-ID"] = msg_id
    if reply_to:
        m["In-Reply-To"] = reply_to
    m.set_content(body)
    for name, data in attachments:
        maintype, subtype = MIME[name.rsplit(".", 1)[1]]
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if attachments:
        m.set_boundary(f"==kestrel-{msg_id.strip('<>').split('@')[0]}==")
    return m


def as_bytes(m: EmailMessage) -> bytes:
    return m.as_bytes(policy=SMTP)


def _attachments(s: Scene, n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    kinds = [[], ["docx"], [], ["pdf"], [], ["csv"], ["docx", "csv"]][n % 7]
    paras = [f"Note on {day(s.when)}.", *cast_lines(s, rng, 2)]
    out = []
    for k in kinds:
        if k == "docx":
            out.append((f"memo_{n:03d}.docx", docx_bytes(f"Memo {n}", "Operation Kestrel", paras)))
        elif k == "pdf":
            out.append((f"analyst_note_{n:03d}.pdf", pdf_bytes(f"Analyst note {n}", "Joe Ridley", paras)[0]))
        else:
            rows = [f"{(s.when + timedelta(days=i)):%Y-%m-%d},Cash deposit,{rng.randint(800, 990)}.00"
                    for i in range(6)]
            out.append((f"deposits_{n:03d}.csv", ("date,description,amount\n" + "\n".join(rows) + "\n").encode()))
    return out


def officer_email(b: Builder, s: Scene, rng: random.Random, n: int, extra: Sequence[str] = ()) -> str:
    """Email n between two officers about a scene, with 0-2 attachments."""
    frm, to = rng.sample(OFFICERS, 2)
    where = s.place.text.split(" ", 1)[1]
    subject = f"Kestrel: report from {where} ({day(s.when)})"
    body_lines = [f"{to[1]},", "", f"A report came in from {where}. {s.topic.text}", "",
                  *cast_lines(s, rng), *extra, "", "Can you add this to the timeline?", "",
                  f"{frm[0]} {frm[1]} {frm[2]}", "Operation Kestrel, Major Crime Investigation Team"]
    body = "\n".join(body_lines) + "\n"
    files = _attachments(s, n, rng)
    reply = f"<kes-{n - 1:04d}@{POLICE_DOMAIN}>" if n % 5 == 4 else None
    m = message(_address(frm), _address(to), subject, body, s.when, f"<kes-{n:04d}@{POLICE_DOMAIN}>",
                files, reply)
    path = b.add(f"email/kes_{n:03d}.eml", as_bytes(m), "eml", "email", subject,
                 "\n".join([subject, body]), children=len(files))
    b.describe(path, s.description)
    return path


CHAT = ("you about later", "usual spot by the lay-by, 11ish", "bring the bags, not the car",
        "he still owes 2 grand", "dont use this number after friday", "parcel went to Swindon ok",
        "need the van sat night", "cash is in the freezer at roys", "keep shauna out of it",
        "who was that at the car wash", "new sim tomorrow", "all sorted, delete this")


def mailbox(b: Builder, rng: random.Random, start: datetime) -> str:
    """Declan Moss's seized mailbox: 12 short messages with his associates, as one MBOX file."""
    me = "Dex <dex.moss@fastmail.example>"
    others = [f"{p.name} <{p.first.lower()}{rng.randint(10, 99)}@fastmail.example>"
              for p in (BRENNAN, PRYCE, WROBEL)]
    out, text, when = io.BytesIO(), [], start
    for i, line in enumerate(CHAT):
        when += timedelta(hours=rng.randint(2, 60))
        frm, to = (me, others[i % 3]) if i % 2 == 0 else (others[i % 3], me)
        m = message(frm, to, f"re: {line[:18]}", line + "\n", when, f"<dex-{i:03d}@fastmail.example>")
        out.write(f"From {frm.split('<')[1].rstrip('>')} {when:%a %b %d %H:%M:%S %Y}\n".encode())
        BytesGenerator(out, mangle_from_=True, policy=default.clone(linesep="\n")).flatten(m)
        out.write(b"\n")
        text.append(line)
    return b.add("email/seized/moss_personal.mbox", out.getvalue(), "mbox", "mailbox",
                 f"Mailbox of {MOSS.name}", "\n".join(text), children=len(CHAT))
