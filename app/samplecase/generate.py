"""Write the whole Operation Kestrel case and its manifest. Same seed, same bytes."""

import random
import shutil
from pathlib import Path

from app.samplecase import handset, logs, mail, recordsets, statements, tables
from app.samplecase.builder import Builder
from app.samplecase.cast import BRENNAN, BURNER, MOSS, PRYCE, SUBJECTS, WROBEL, reserved_numbers, witness
from app.samplecase.manifest import Manifest, Paraphrase
from app.samplecase.narrative import START, scene
from app.samplecase.plants import (CRIME_REF, IBAN, IBAN_INVALID, NINO, NINO_IMPOSSIBLE,
                                      PARAPHRASE_QUERY, PARAPHRASE_SENTENCE, PHONE_DASHED,
                                      PHONE_E164, PHONE_SPACED, POSTCODE, VRM)

CASE_ID, CASE_NAME = "OP-KESTREL", "Operation Kestrel"

# Extra sentences planted into particular documents: (writer, number) -> sentences.
PLANTED = {
    ("docx", 1): [f"He gave me his mobile number, {PHONE_SPACED.value}, and told me to text first.",
                  f"I reported it at the time and was given the reference {CRIME_REF.value}."],
    ("pdf", 1): [f"The Range Rover, registration {VRM.value}, was parked outside 27 Belmont "
                 f"Terrace, {POSTCODE.value}, for most of the evening."],
    ("pdf", 2): [PARAPHRASE_SENTENCE],
    ("log", 1): [f"Source holds the subject's number as {PHONE_DASHED.value}.",
                 f"{MOSS.formal}, NI number {NINO.value}, believed linked to {CRIME_REF.value}."],
    ("summary", 1): [f"A tenancy form quotes the NI number {NINO_IMPOSSIBLE.value}, which cannot "
                     "exist and was probably invented.",
                     f"An invoice gives the account {IBAN_INVALID.value}, which fails its check digits."],
    ("email", 1): [f"The number he gave the landlord was {PHONE_E164.value}.",
                   f"Rent came from the account {IBAN.value} at Western Counties Bank plc."],
}
# (writer, how many) in the order they are written; each document gets the next scene.
PLAN = (("docx", 34), ("pdf", 30), ("log", 22), ("summary", 14), ("forum", 10), ("email", 28))
KINDS = {"docx": "witness-statement", "pdf": "witness-statement", "log": "intel-log",
         "summary": "intel-summary", "forum": "web-page", "email": "email"}


def _text_documents(b: Builder, rng: random.Random) -> str:
    """Write every scene-based document; returns the paraphrase target's path."""
    used, k, target = reserved_numbers(), 0, ""
    for writer, count in PLAN:
        for n in range(1, count + 1):
            s, extra = scene(k, KINDS[writer], rng), PLANTED.get((writer, n), [])
            k += 1
            if writer in ("docx", "pdf"):
                pages = 1 + (n % 3 if writer == "pdf" and n % 5 == 2 else 0)
                path = statements.write(b, s, witness(rng, used), rng, writer, n, extra, pages)
                target = path if PARAPHRASE_SENTENCE in extra else target
            elif writer == "log":
                logs.intel_log(b, s, rng, n, extra)
            elif writer == "summary":
                logs.summary(b, s, rng, n, extra)
            elif writer == "forum":
                logs.forum_post(b, s, rng, n)
            else:
                mail.officer_email(b, s, rng, n, extra)
    return target


def _structured(b: Builder, rng: random.Random) -> None:
    mail.mailbox(b, rng, START)
    logs.car_advert(b)
    tables.cdr(b, rng, MOSS.phone, "moss_07700900123", "national", 140)
    tables.cdr(b, rng, BRENNAN.phone, "brennan", "bare", 90)
    tables.cdr(b, rng, BURNER, "burner", "e164", 60)
    tables.anpr(b, rng, "m5_a38", 120)
    tables.anpr(b, rng, "a4_keynsham", 80)
    for holder, n in ((MOSS, 60), (PRYCE, 50), (BRENNAN, 45)):
        tables.bank(b, rng, holder, n)
    handset.extraction(b, BRENNAN, "KB-03", rng)
    handset.extraction(b, WROBEL, "TW-01", rng)
    used = reserved_numbers()
    for n in range(1, 5):
        handset.scan(b, n, witness(rng, used), SUBJECTS[n], rng)


def generate(out_dir: Path, seed: int = 7) -> Manifest:
    """Write the case under out_dir/evidence and its manifest to out_dir/manifest.json."""
    out_dir = Path(out_dir)
    root = out_dir / "evidence"
    if (out_dir / "manifest.json").exists():
        shutil.rmtree(root, ignore_errors=True)
    elif root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty and was not written by the sample case generator")
    rng, b = random.Random(seed), Builder(root)
    target = _text_documents(b, rng)
    _structured(b, rng)
    overlaps = recordsets.planted(b, rng)  # last: it reads back the tables written before it
    facts = b.facts()
    missing = [f.name for f in facts if not f.files]
    if missing:
        raise RuntimeError(f"planted facts not written anywhere: {missing}")
    manifest = Manifest(case_id=CASE_ID, case_name=CASE_NAME, seed=seed, files=tuple(b.files),
                        facts=facts, known_items=tuple(b.known), overlaps=overlaps,
                        paraphrase=Paraphrase(sentence=PARAPHRASE_SENTENCE, query=PARAPHRASE_QUERY, path=target))
    (out_dir / "manifest.json").write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest
