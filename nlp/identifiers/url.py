"""URLs with a scheme or starting 'www.'; host lower-cased, path kept as written.

Normal form: lower-case scheme and host, 'http://' added to a bare 'www.' address, no trailing
'/' on an empty path. Trailing sentence punctuation and unbalanced closing brackets are not part
of the URL.
"""

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from nlp.identifiers import tlds
from nlp.identifiers.base import Match

PATTERN = re.compile(r"(?<![\w@.\-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "["}


def _trim(candidate: str) -> str:
    while candidate and (candidate[-1] in _TRAILING or _unbalanced(candidate)):
        candidate = candidate[:-1]
    return candidate


def _unbalanced(candidate: str) -> bool:
    close = candidate[-1]
    return close in _PAIRS and candidate.count(close) > candidate.count(_PAIRS[close])


def _host_ok(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    return host == "localhost" or (len(labels) >= 2 and all(labels) and tlds.plausible(labels[-1]))


def _normal(candidate: str) -> str | None:
    if candidate.lower().startswith("www."):
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if not _host_ok(host):
        return None
    path = "" if parts.path == "/" and not parts.query and not parts.fragment else parts.path
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, parts.fragment))


class Url:
    label = "URL"
    name = "url"
    version = "v1"
    noun = "web address"
    example = "https://example.com/page"

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            surface = _trim(m[0])
            value = _normal(surface) if surface else None
            if value:
                yield Match(m.start(), m.start() + len(surface), surface, value, 0.97)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: a scheme's '://' or 'www.'."""
        return "://" in value or "www." in value.lower()

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = PATTERN.fullmatch(value.strip())
        return _normal(_trim(m[0])) if m else None
