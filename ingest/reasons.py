"""A failure's stable reason code, from the text ingest writes for it: the one place that maps
one to the other (docs/reporting.md lists the codes). The ledger and the documents store store the
code beside the text when they record a failure, so dashboards count failures by reason.

Rules are tried in order and the first that matches wins: a parser's exception text or the
index's refusal may say anything, so those come first. A message no rule matches is `other`;
`tests/ingest/test_reasons.py` holds a row for every message ingest writes.
"""

import re

FILE_RULES: tuple[tuple[str, str], ...] = (   # (code, pattern searched in the lower-cased text)
    ("index_refused", r"^the index refused"),
    ("parser_error", r"\bparser failed: "),
    ("timeout", r"\bgave up after\b|\btime ?limit\b|\btimed? ?out\b"),
    ("encrypted", r"\bencrypted\b|\bpassword required\b"),
    ("too_deep", r"nested (more than \d+ levels|too deeply)"),
    ("too_large", r"\bover the (limit|[\d,]+-byte limit)\b|zip bomb|\btoo large\b"),
    ("outside_root", r"outside the ingested folder"),
    ("unsupported_format", r"^unsupported file type\b|^binary data, not text|unrecognised encoding"),
    ("ocr_failed", r"^ocr failed\b"),
    ("corrupt", r"\bcorrupt\b|\bmalformed\b|\binvalid json\b|^not an? \w+|^empty table\b"),
    ("empty", r"^empty file\b"),
    ("symlink", r"^symbolic link\b"),
    ("unreadable", r"\bvanished\b|permission denied|^cannot open\b|^unreadable$"),
)
RUN_RULES: tuple[tuple[str, str], ...] = (
    ("interrupted", r"stopped by the user"),
    ("stalled", r"stopped heart-beating"),
    ("index_refused", r"^the index refused"),
)
FILE_CODES = tuple(dict.fromkeys(code for code, _ in FILE_RULES)) + ("other",)
RUN_CODES = tuple(code for code, _ in RUN_RULES) + ("crashed",)
_FILE = tuple((code, re.compile(p)) for code, p in FILE_RULES)
_RUN = tuple((code, re.compile(p)) for code, p in RUN_RULES)


def _first(rules: tuple[tuple[str, re.Pattern], ...], text: str, otherwise: str) -> str:
    low = text.strip().lower()
    return next((code for code, pattern in rules if pattern.search(low)), otherwise)


def file_reason(error: str | None) -> str | None:
    """The code of a file's or a document's failure (or skip); None when there is no error."""
    return None if error is None else _first(_FILE, error, "other")


def run_reason(status: str, error: str | None) -> str | None:
    """The code of why a run did not finish; None for a run that finished (or is at work)."""
    if status in ("finished", "running") and error is None:
        return None
    return _first(_RUN, error or "", "crashed")
