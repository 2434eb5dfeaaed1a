"""Bare domain names ('walton.co.uk'), lower-cased, with a plausible top-level domain.

Written without a scheme, a name must not look like a file ('report.py') or a missing space
after a full stop ('home.It was'): the top-level domain is lower-case unless the whole name is
upper-case, and a top-level domain that is also an English word ('at 6pm.it was dark') must not
run on into a lower-case word. URLs and e-mail addresses contain domains; the registry keeps the
longer match.
"""

import re
from collections.abc import Iterator

from nlp.identifiers import tlds
from nlp.identifiers.base import Match

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
PATTERN = re.compile(rf"(?<![\w@.\-/])(?:{_LABEL}\.)+(?P<tld>[A-Za-z]{{2,24}})(?![\w\-@/]|\.\w)")
WORDLIKE: frozenset[str] = frozenset("am as at be by do go id in is it me my no to us".split())
_RUN_ON = re.compile(r"[ \t]+[a-z]")


def _valid(name: str, tld: str) -> bool:
    if not (tld.islower() or name.isupper()):
        return False
    if tld.lower() in tlds.FILE_LIKE or not tlds.plausible(tld):
        return False
    return len(name) <= 253 and any(c.isalpha() for c in name.rsplit(".", 2)[-2])


def _runs_on(text: str, m: re.Match[str]) -> bool:
    return m["tld"].lower() in WORDLIKE and _RUN_ON.match(text, m.end()) is not None


class Domain:
    label = "DOMAIN"
    name = "domain"
    version = "v1"
    noun = "domain name"
    example = "example.com"

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            if _valid(m[0], m["tld"]) and not _runs_on(text, m):
                yield Match(m.start(), m.end(), m[0], m[0].lower(), 0.8)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: a name has a dot between its labels."""
        return "." in value

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = PATTERN.fullmatch(value.strip().rstrip("."))
        return m[0].lower() if m and _valid(m[0].lower(), m["tld"].lower()) else None
