"""The views' small hand-made case: OP-VIEW is the case the caller may see; OP-OTHER shares its
people, numbers and words, so that a view leaking another case shows up. Ingested by tests/search/conftest.py."""

import io
from dataclasses import dataclass
from pathlib import Path

from clew import db, indexes
from clew.access.scope import Scope
from clew.settings import Settings
from nlp.embeddings import label_for

CASE, OTHER = "OP-VIEW", "OP-OTHER"
MODEL = label_for("all-MiniLM-L6-v2")
EVERY_MARKING = Settings.model_fields["markings"].default  # the case is ingested OFFICIAL (the default)


def scope(*cases: str, markings: tuple[str, ...] = EVERY_MARKING) -> Scope:
    """A caller who may see `cases` under `markings` (every marking unless told)."""
    return Scope(user="tester", role="analyst", cases=cases, markings=markings)


def email(sender: str, to: str, when: str, subject: str, body: str, attachment: tuple[str, str] | None = None) -> str:
    head = f"From: {sender}\nTo: {to}\nDate: {when}\nSubject: {subject}\nMessage-ID: <{subject.lower()}@example.com>\n"
    if attachment is None:
        return head + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
    name, text = attachment
    return (head + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n\n'
            "--XX\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n"
            f'--XX\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: attachment; filename="{name}"\n\n'
            + text + "\n--XX--\n")


def pdf(*pages: str, made: str = "20240320090000") -> bytes:
    """A text PDF, one page per string, made at `made` (UTC; invariant mode writes 2000-01-01)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue().replace(b"D:20000101000000", b"D:" + made.encode())


VIEW_FILES: dict[str, str | bytes] = {
    "statements/smith.txt":
        "Witness statement of John Smith.\n\nOn 5th March 2024 I met Sarah Jones at the Red Lion in Manchester. "
        "She gave me her mobile number 07700 900123 and said Acme Holdings Ltd would pay the council officer.",
    "statements/jones.txt":
        "Statement of Sarah Jones.\n\nI have known John Smith for two years. On 12 March 2024 I rang Peter Brown "
        "on 07700 900456 about the planning permission bribe.",
    "intel/log-brown.txt":
        "Intelligence log. Peter Brown was seen with John Smith in Leeds on 20/03/2024 driving vehicle AB12 CDE.",
    "intel/bribery-1.txt":
        "The council planning officer accepted a bribe of five thousand pounds to approve the warehouse "
        "planning application. The bribe was paid in cash in the council car park.",
    "intel/bribery-2.txt":
        "A second planning application was approved after the council officer took another cash bribe. "
        "Planning committee members were not told about the bribe.",
    "statements/brown.pdf": pdf("Statement of Peter Brown. I drove to Leeds in vehicle AB12 CDE.",
                                "I was paid by Sarah Jones. My number is 07700 900456."),
    "misc/recipe.txt":
        "Recipe for a lemon sponge cake: butter, caster sugar, eggs, self-raising flour and lemon zest. "
        "Bake for twenty-five minutes.",
    "emails/payment.eml": email(
        "sarah.jones@example.com", "john.smith@example.com", "Tue, 05 Mar 2024 10:00:00 +0000", "Payment",
        "John, Acme Holdings Ltd has the money ready. Call me on 07700 900123. Sarah Jones",
        ("invoice.txt", "Invoice from Acme Holdings Ltd to Peter Brown for consultancy, 1 March 2024.")),
    "emails/meeting.eml": email(
        "john.smith@example.com", "peter.brown@example.com", "Tue, 12 Mar 2024 09:30:00 +0000", "Meeting",
        "Peter, meet Sarah Jones and me in Manchester on 14 March 2024. John Smith"),
    "emails/later.eml": email(
        "peter.brown@example.com", "john.smith@example.com", "Tue, 02 Apr 2024 16:00:00 +0000", "Done",
        "John, the planning decision went through on 1 April 2024. Peter Brown"),
    "calls/cdr.csv":
        "caller,callee,start_time,duration_seconds,call_type,cell_id\n"
        "07700 900123,07700900456,2024-03-05T09:00:00Z,60,voice,C1\n"
        "+447700900456,07700900123,2024-03-06T10:00:00Z,120,voice,C2\n"
        "+447700900123,+44 7700 900789,2024-03-07T11:00:00Z,30,voice,C1\n"
        "07700900123,07700 900456,2024-03-08T12:00:00Z,90,voice,C3\n"
        "07700900789,07700900456,2024-03-09T13:00:00Z,45,voice,C2\n",
}
OTHER_FILES: dict[str, str | bytes] = {
    "other/smith.txt":
        "John Smith and Sarah Jones met in Leeds. The council officer took a planning bribe. Call 07700 900123.",
    "other/cdr.csv":
        "caller,callee,start_time,duration_seconds,call_type,cell_id\n"
        "07700900123,07700900999,2024-03-05T08:00:00Z,300,voice,X1\n",
}


@dataclass(frozen=True)
class Ingested:
    settings: Settings
    client: object
    evidence: Path | None = None  # the evidence store the case's originals went to

    @property
    def prefix(self) -> str:
        return self.settings.index_prefix

    def doc_id(self, path: str, case: str = CASE) -> str:
        """The id of the document found at `path` (a file, or 'a.eml!/b.txt' for a member)."""
        hits = self.client.search(index=indexes.documents_read_alias(self.prefix), body={
            "size": 2, "query": {"bool": {"filter": [{"term": {"paths": path}}, {"term": {"case_id": case}}]}}})
        (hit,) = hits["hits"]["hits"]
        return hit["_id"]

    def connect(self):
        return db.connect(self.settings)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return root
