"""The folder of case BENCH-NOTES, which two judged sets of bench/relevance.py search:

    bench/queries/paraphrase_notes.json  16 short notes, each found by a description in other words
    bench/queries/identifiers.json       14 UK identifiers written into documents, queried in other forms

    write_notes_case(dest) -> the folder: notes/<id>.txt (the paraphrase set's notes), idnotes/<name>.txt
    (the identifier set's short notes) and mail/<group>/<file> (the 120 distractor e-mails, copied from
    bench/data/latency/spamassassin, with the identifier set's sentences planted in 13 of them).

The e-mails come from bench/latency_corpus.py --fetch (the SpamAssassin public corpus). A planted
sentence becomes a paragraph of its own at the blank line of the message body nearest its middle.
"""

import json
from pathlib import Path

from common import DATA, ROOT, need

QUERIES = ROOT / "bench" / "queries"


def spec(name: str) -> dict:
    return json.loads((QUERIES / f"{name}.json").read_text())


def plant(message: str, sentence: str) -> str:
    """`message` (headers, a blank line, the body) with `sentence` as a paragraph of its own at the
    body's blank line nearest the middle of the body (at its end when it has none)."""
    head, sep, body = message.partition("\n\n")
    lines = body.split("\n")
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    at = min(blanks, key=lambda i: (abs(i - len(lines) / 2), i)) if blanks else len(lines)
    return head + sep + "\n".join([*lines[:at], "", sentence, *lines[at:]])


def write_notes_case(dest: Path) -> Path:
    """Write the BENCH-NOTES folder under `dest` and return it."""
    para, ident = spec("paraphrase_notes"), spec("identifiers")
    root = need(DATA / "latency" / "spamassassin", "run bench/latency_corpus.py --fetch first")
    planted = {p["host"]: p["sentence"] for p in ident["planted"]}
    if missing := set(planted) - set(para["distractors"]["files"]):
        raise SystemExit(f"identifiers.json plants into e-mails that are not distractors: {sorted(missing)}")
    for rel in para["distractors"]["files"]:
        text = need(root / rel, "run bench/latency_corpus.py --fetch first").read_text(encoding="utf-8")
        out = dest / para["distractors"]["folder"] / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(plant(text, planted[rel]) if rel in planted else text, encoding="utf-8")
    for doc in [*para["notes"], *ident["documents"]]:
        out = dest / doc["path"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(doc["text"] + "\n", encoding="utf-8")
    return dest
