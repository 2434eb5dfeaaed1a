"""E-mail addresses, lower-cased whole, with a plausible top-level domain."""

import re
from collections.abc import Iterator

from nlp.identifiers import tlds
from nlp.identifiers.base import Match

_LOCAL = r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
PATTERN = re.compile(
    rf"(?<![\w.%+\-])(?:mailto:)?(?P<address>{_LOCAL}@(?:{_LABEL}\.)+(?P<tld>[A-Za-z]{{2,24}}))(?![\w\-@]|\.\w)"
)


def _valid(m: re.Match[str]) -> bool:
    local = m["address"].rsplit("@", 1)[0]
    return len(local) <= 64 and len(m["address"]) <= 254 and tlds.plausible(m["tld"])


class Email:
    label = "EMAIL"
    name = "email"
    version = "v1"
    noun = "email address"
    example = "name@example.com"

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            if _valid(m):
                value = m["address"].lower()
                yield Match(m.start("address"), m.end("address"), m["address"], value, 0.97)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: an address has an '@'."""
        return "@" in value

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = PATTERN.fullmatch(value.strip())
        return m["address"].lower() if m and _valid(m) else None
