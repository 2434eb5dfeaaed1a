"""`clew nlp FILE --json` as a person tuning rules meets it (real spaCy model and tokenizer)."""

import json
import os
import subprocess
import sys

TEXT = ("DC Sarah Jones called 07700 900123 on 5th May 2024.\n"
        "Later she rang +44 7700 900123 again and paid £1,200 to Severn Freight Ltd in Bristol.\n"
        "NINO AB 12 34 56 C; a bad one: QQ 12 34 56 C. IBAN GB33 BUKB 2020 1555 5555 55.\n")


def clew_nlp(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")} | {"COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "app", "nlp", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=300)


def test_nlp_cli_json_from_standard_input():
    out = clew_nlp("-", "--json", stdin=TEXT)
    assert out.returncode == 0, out.stderr
    [doc] = json.loads(out.stdout)
    found = {(m["label"], m["value"]) for m in doc["mentions"]}
    assert {("PHONE", "+447700900123"), ("NINO", "AB123456C"), ("IBAN", "GB33BUKB20201555555555"),
            ("PERSON", "Sarah Jones"), ("MONEY", "GBP 1200.00")} <= found
    assert not any(m["value"].startswith("QQ") for m in doc["mentions"])
    for m in doc["mentions"]:
        assert TEXT[m["start"]:m["end"]] == m["text"]
        assert m["method"] in ("rule", "model")
    phones = [m for m in doc["mentions"] if m["label"] == "PHONE"]
    assert len(phones) == 2 and {m["method"] for m in phones} == {"rule"}
    assert doc["passages"] and doc["passages"][0]["start"] == 0
    assert doc["language"] == "en"


def test_nlp_cli_reads_a_file_and_its_attachments(tmp_path):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "call list"
    msg.set_content("See the attached note.")
    msg.add_attachment(TEXT.encode(), maintype="text", subtype="plain", filename="note.txt")
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(msg))
    out = clew_nlp(str(path), "--json")
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert [d["kind"] for d in docs][:1] == ["email"] and len(docs) >= 2
    note = next(d for d in docs if d["path"].endswith("!/note.txt"))
    assert any(m["value"] == "+447700900123" for m in note["mentions"])


def test_nlp_cli_missing_file_is_one_clear_line(tmp_path):
    out = clew_nlp(str(tmp_path / "nope.txt"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().startswith("error:") and len(out.stderr.strip().splitlines()) == 1
