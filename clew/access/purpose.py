"""A stated purpose: why this access is necessary (free text, a few words at least) and the case or
job reference it is for. Every data request carries both; the audit trail records them."""

import re

from clew.access.errors import AccessError

MIN_WORDS = 3
MAX_PURPOSE = 500
CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:#-]{0,99}")


class BadPurpose(AccessError):
    """The purpose or case reference given cannot be used."""


def checked_purpose(purpose: str | None, case_ref: str | None) -> tuple[str, str]:
    """The purpose (whitespace collapsed) and case reference, or BadPurpose saying what is missing."""
    text = " ".join((purpose or "").split())
    if len(re.findall(r"\w{2,}", text)) < MIN_WORDS:
        raise BadPurpose("state the purpose of this access in a few words (at least 3)",
                         "for example: 'identify the owner of the blue van seen at the scene'")
    if len(text) > MAX_PURPOSE:
        raise BadPurpose(f"the purpose is longer than {MAX_PURPOSE} characters", "say it in a sentence or two")
    ref = (case_ref or "").strip()
    if not CASE_REF.fullmatch(ref):
        raise BadPurpose("give the case or job reference this access is for",
                         "up to 100 letters, digits, spaces and . _ / : # -, such as 'OP-KESTREL/0423'")
    return text, ref
