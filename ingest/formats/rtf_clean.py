"""RTF made safe and quick for striprtf (ingest.formats.rtf), in time linear in the file's size.

striprtf walks every character in a Python loop, and two of its patterns go quadratic or worse on
input it meets in the wild. Before it sees a file:
- binary payloads are cut out: `\\binN` runs, and the groups of pictures, embedded objects' data,
  theme data, XML data stores and embedded fonts (hex text striprtf would walk through one
  character at a time to ignore: ~8 s for a 20 MB picture);
- the font table is rewritten one font a line, each with a character set Python has a codec for:
  striprtf's font pattern is quadratic on a long one-line table (14 s for 100 KB) and gives a
  font without a character set the next font's (and that font none); its map of the Mac
  character sets 78-89 names codecs Python lacks (Japanese, Chinese, Korean, Hebrew, Thai and a
  few more: an `\\'xx` escape in such a font raised LookupError), so these take the nearest code
  page Python has (the Windows one of the same script, Mac Cyrillic for Mac Ukrainian);
- footnotes and comments, destinations striprtf skips, are unwrapped into text on lines of their own;
- `\\field{` becomes `\\field {` (the same control word): striprtf's hyperlink pattern backtracks
  for minutes over a line holding many fields. The link's text is kept, its target is not;
- `\\cell` becomes CELL, which the caller turns into ' | ';
- `\\uN` out of Unicode's range and `\\uc` without a number (on which striprtf raises) become `\\u63`
  ('?') and `\\uc1`.
"""

import re

CELL = "\ue000"                       # a private-use character: a table cell ends here
_PAYLOADS = rb"pict|objdata|themedata|colorschememapping|datastore|fontemb|fontfile|blipuid"
_OUTER = re.compile(rb"\\[\\{}]|\\bin(\d{1,10}) ?|\{\s*(?:\\\*\s*)?\\(?:" + _PAYLOADS + rb")(?![a-zA-Z])")
_INNER = re.compile(rb"\\[\\{}]|\\bin(\d{1,10}) ?|[{}]")
_NOTES = re.compile(rb"\\[\\{}]|\{\s*(?:\\\*\s*)?\\(footnote|annotation)(?![a-zA-Z]) ?")
_GROUP = rb"\{\s*(?:\\\*\s*)?\\%s(?![a-zA-Z])"
_FONT = re.compile(rb"\\f(\d+)")
_CHARSET = re.compile(rb"\\fcharset(\d+)")
_MAC = {78: 128, 79: 136, 80: 129, 82: 177, 85: 134, 86: 238, 87: 84, 88: 222, 89: 238}   # Mac -> nearest
_WORDS = re.compile(r"\\\\|\\[{}]|\\field(?=\{)|\\(?:nest)?cell(?![a-zA-Z])(?:-?\d+)? ?|\\u(-?\d{5,})|\\uc(?![-\d])")


def strip_payloads(data: bytes) -> tuple[bytes, int]:
    """`data` without its binary runs and payload groups, and how many were cut."""
    parts, pos, cut = [], 0, 0
    while match := _OUTER.search(data, pos):
        if match.group().startswith(b"\\") and match.group(1) is None:       # an escaped \ { or }
            parts.append(data[pos : match.end()])
            pos = match.end()
            continue
        parts.append(data[pos : match.start()])
        pos = match.end() + int(match.group(1)) if match.group(1) else group_end(data, match.end())
        cut += 1
    parts.append(data[pos:])
    return b"".join(parts), cut


def group_end(data: bytes, pos: int) -> int:
    """Where the group open at `pos` ends (after its '}'), skipping escapes and binary runs."""
    depth = 1
    while match := _INNER.search(data, pos):
        pos = match.end() + int(match.group(1) or 0)
        depth += {b"{": 1, b"}": -1}.get(match.group(), 0)
        if depth == 0:
            return pos
    return len(data)


def notes(data: bytes) -> bytes:
    """Footnotes, endnotes and comments as text (striprtf skips them as destinations), each on lines
    of its own where it is anchored: 'Note: ...', 'Comment: ...'."""
    parts, pos = [], 0
    while match := _NOTES.search(data, pos):
        if match.group(1) is None:                                          # an escaped \ { or }
            parts.append(data[pos : match.end()])
            pos = match.end()
            continue
        end = group_end(data, match.end())
        body = data[match.end() : end - 1 if data[end - 1 : end] == b"}" else end]
        label = b"Note: " if match.group(1) == b"footnote" else b"Comment: "
        parts += [data[pos : match.start()], b"{\\par ", label, body, b"\\par }"]
        pos = end
    parts.append(data[pos:])
    return b"".join(parts)


def group(data: bytes, word: bytes, end: int | None = None) -> bytes | None:
    """The first `{\\word ...}` group in data[:end], whole, or None."""
    match = re.compile(_GROUP % re.escape(word)).search(data, 0, len(data) if end is None else end)
    return data[match.start() : group_end(data, match.end())] if match else None


def fonts(data: bytes) -> bytes:
    """`data` with its font table rewritten one font a line, with character sets Python can decode.
    A font without a character set is left out, so its escapes follow the document's \\ansicpg
    (striprtf's pattern gave it the next font's set, and the next font none)."""
    table = group(data, b"fonttbl")
    if table is None:
        return data
    entries = []
    for entry in table.split(b";"):
        font, charset = _FONT.search(entry), _CHARSET.search(entry)
        if font and charset:
            number = int(charset.group(1))
            entries.append(b"{\\f%s\\fcharset%d F;}\n" % (font.group(1), _MAC.get(number, number)))
    return data.replace(table, b"{\\fonttbl\n" + b"".join(entries) + b"}", 1)


def words(text: str) -> str:
    """`text` with the control words striprtf mishandles rewritten (see the module's docstring)."""
    return _WORDS.sub(_word, text)


def _word(match: re.Match) -> str:
    token = match.group()
    if token.startswith("\\field"):
        return "\\field "
    if match.group(1) is not None:
        return token if -32768 <= int(match.group(1)) <= 65535 else "\\u63"
    if token == "\\uc":
        return "\\uc1"
    return CELL if "cell" in token else token
