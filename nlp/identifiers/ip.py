"""IPv4 and IPv6 addresses, validated by `ipaddress`, normalised to the compressed form.

IPv4 needs four dotted octets not inside a longer dotted run ('1.2.3' and '10.0.19045.1.2' are
not addresses) and not labelled as a version or build number. IPv6 needs eight groups or '::'.
"""

import ipaddress
import re
from collections.abc import Iterator

from nlp.identifiers.base import Match, near

V4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
V6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)"
)
_VERSION = re.compile(r"\b(?:version|ver|v|build|release|firmware|ios|android|windows)\.?\s*$")


def _address(candidate: str) -> str | None:
    try:
        return ipaddress.ip_address(candidate).compressed
    except ValueError:
        return None


def _v6_shaped(candidate: str) -> bool:
    return ("::" in candidate or candidate.count(":") == 7) and any(c in "0123456789abcdefABCDEF" for c in candidate)


class Ip:
    label = "IP"
    name = "ip"
    version = "v1"
    noun = "IP address"
    example = "192.0.2.1"

    def find(self, text: str) -> Iterator[Match]:
        v6 = list(self._v6(text))
        yield from v6
        for m in V4.finditer(text):
            value = _address(m[0])
            inside = any(s.start <= m.start() and m.end() <= s.end for s in v6)  # '::ffff:192.0.2.1'
            if value and not inside and not near(_VERSION, text, m.start(), m.end(), before=12):
                yield Match(m.start(), m.end(), m[0], value, 0.95)

    def _v6(self, text: str) -> Iterator[Match]:
        for m in V6.finditer(text):
            value = _address(m[0]) if _v6_shaped(m[0]) else None
            if value:
                yield Match(m.start(), m.end(), m[0], value, 0.95)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: IPv4 has dots, IPv6 colons."""
        return "." in value or ":" in value

    def normalise(self, value: str, region: str | None = None) -> str | None:
        return _address(value.strip().strip("[]"))
