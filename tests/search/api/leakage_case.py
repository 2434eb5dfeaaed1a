"""Two cases for the leakage tests, ingested through the real pipeline, with documents at all three
markings, children included (email attachments inherit their message's marking), hidden call
records, a file that fails at SECRET, and a shared phone number and registration that hidden
documents also mention (so a count that leaked would be larger).

    LEAK-A  off/   OFFICIAL             visible.txt, calls.csv
            sens/  OFFICIAL-SENSITIVE   sens.eml (+ quokka-ledger.txt)
            sec/   SECRET               sec.eml (+ zebra-plan.txt), calls-secret.csv, broken.pdf
    LEAK-B  b/     OFFICIAL             b.txt, calls-b.csv

Every hidden document carries a marker word that no request ever sends (MARKERS); hidden dates
are in 1999, visible ones in 2024.
"""

from email.message import EmailMessage
from pathlib import Path

A, B = "LEAK-A", "LEAK-B"
SHARED_PHONE, SHARED_VRM = "07700 900111", "AB12 CDE"

# folder -> (case, marking)
FOLDERS = {"off": (A, "OFFICIAL"), "sens": (A, "OFFICIAL-SENSITIVE"), "sec": (A, "SECRET"), "b": (B, "OFFICIAL")}

# marker words by folder: each appears only in that folder's documents and is never sent in a request
MARKERS = {"sens": ("platypusinner", "quokkasensitive"), "sec": ("wombatinner", "zebrasecret", "zebrachild"),
           "b": ("yakcaseb", "ibexinner")}
# identifiers only hidden documents hold, by folder (as written, and in their normal form)
HIDDEN_IDS = {"sens": ("07700 900222", "+447700900222", "LS1 4AP", "LS14AP"),
              "sec": ("07700 900333", "+447700900333", "YX19 ZZT", "YX19ZZT"),
              "b": ("07700 900444", "+447700900444")}


def mail(subject: str, body: str, attachment: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "handler@example.org", "desk@example.org"
    msg["Subject"], msg["Date"] = subject, "Wed, 07 Jul 1999 10:15:00 +0100"
    msg.set_content(body)
    msg.add_attachment(text.encode(), maintype="text", subtype="plain", filename=attachment)
    return bytes(msg)


def write(root: Path) -> dict[str, Path]:
    """The four folders under `root`; folder name -> path."""
    files = {
        "off/visible.txt": f"Visible note: the courier van {SHARED_VRM} met {SHARED_PHONE} at the depot "
                           "on 3 May 2024. Nothing else was seen.\n",
        "off/calls.csv": "caller,callee,start,duration\n"
                         f"{SHARED_PHONE},07700 900555,2024-05-03 21:10:00,65\n"
                         f"07700 900555,{SHARED_PHONE},2024-05-04 08:02:00,12\n",
        "sec/calls-secret.csv": "caller,callee,start,duration\n"
                                f"{SHARED_PHONE},07700 900333,1999-07-07 22:10:00,301\n"
                                f"07700 900333,{SHARED_PHONE},1999-07-08 01:00:00,45\n",
        "sec/broken.pdf": "%PDF-1.4\nzebrafailed wombatinner: this is not a PDF at all\n",
        "b/b.txt": f"yakcaseb ibexinner: 07700 900444 called {SHARED_PHONE} about the courier van {SHARED_VRM} "
                   "on 9 July 1999.\n",
        "b/calls-b.csv": "caller,callee,start,duration\n"
                         f"{SHARED_PHONE},07700 900444,1999-07-09 09:00:00,30\n",
    }
    for name in FOLDERS:
        (root / name).mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)
    (root / "sens/sens.eml").write_bytes(mail(
        "Quokka arrangements", f"quokkasensitive: the courier van {SHARED_VRM} and {SHARED_PHONE} again; "
        "ring 07700 900222 on 6 July 1999.", "quokka-ledger.txt",
        "platypusinner ledger: payments collected at LS1 4AP on 5 July 1999."))
    (root / "sec/sec.eml").write_bytes(mail(
        "Zebra operation", f"zebrasecret: 07700 900333 rang {SHARED_PHONE}; the courier van {SHARED_VRM} "
        "followed YX19 ZZT on 7 July 1999.", "zebra-plan.txt",
        "zebrachild wombatinner plan: 07700 900333 meets YX19 ZZT at the depot on 8 July 1999."))
    return {name: root / name for name in FOLDERS}
