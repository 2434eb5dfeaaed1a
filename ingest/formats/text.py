"""Plain text and Markdown, in any encoding charset-normalizer recognises."""

from clew.records import Extraction
from ingest.formats import common
from ingest.formats.base import Limits, Probe


class Text:
    name = "text"
    version = "v1"
    media_types = frozenset({"text/plain", "text/markdown", "application/x-empty"})
    extensions = frozenset({"txt", "text", "md", "markdown", "log"})

    def match(self, probe: Probe) -> int:
        if probe.media_type.startswith("text/") and probe.media_type not in self.media_types:
            return common.FAMILY
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        text, cut = common.decode(data, limits.max_text_chars)
        notes = (common.truncated(limits.max_text_chars),) if cut else ()
        return Extraction(
            text=text,
            title=_markdown_title(text) if probe.media_type == "text/markdown" else None,
            processed_by=(common.stamp(self), common.library("charset-normalizer"), *notes),
        )


def _markdown_title(text: str) -> str | None:
    """The first '# Heading' in the first few lines of a Markdown file."""
    for line in text[:4096].splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None
