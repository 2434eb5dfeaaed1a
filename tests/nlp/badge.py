"""A made-up identifier rule for tests only: a collar number written 'XB-1234' or 'xb 1234'. It has
no `may_be`, as a rule added without one would not (nlp.identifiers.base: the test is optional)."""

import re
from collections.abc import Iterator

from nlp.identifiers.base import Match


class Badge:
    label = "BADGE"
    name = "badge"
    version = "v1"
    noun = "collar number"
    example = "XB-1234"
    _FORM = re.compile(r"\bXB[ -]?(\d{4})\b", re.I)

    def find(self, text: str) -> Iterator[Match]:
        for m in self._FORM.finditer(text):
            yield Match(m.start(), m.end(), m[0], f"XB{m[1]}", 0.95)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = self._FORM.fullmatch(value.strip())
        return f"XB{m[1]}" if m else None
