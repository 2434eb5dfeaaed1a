"""The one list of formats. Adding a format is one module and one line here."""

from ingest.formats.base import Format, Probe

FORMATS: list[Format] = [
]


def choose(probe: Probe) -> Format | None:
    """The best-matching format for `probe`, or None when nothing can read it."""
    scored = [(f.match(probe), i, f) for i, f in enumerate(FORMATS)]
    scored = [x for x in scored if x[0] > 0]
    return max(scored, key=lambda x: (x[0], -x[1]))[2] if scored else None
