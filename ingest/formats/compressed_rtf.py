"""The RTF body Outlook keeps in PidTagRtfCompressed, decompressed ([MS-OXRTFCP]: LZ77 over a
4,096-byte window preloaded with common RTF words) and made text by striprtf. A message whose only
body is RTF is read this way; HTML encapsulated in the RTF (\\fromhtml1) comes out as its text,
since striprtf skips the \\*\\htmltag groups that hold the markup."""

import struct

from striprtf.striprtf import rtf_to_text

_COMPRESSED, _UNCOMPRESSED = 0x75465A4C, 0x414C454D     # 'LZFu', 'MELA'
_PRELOADED = (b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
              b"\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
              b"\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx")
MAX_RTF = 32 << 20                                      # decompressed bytes kept (a Python loop a byte)


def decompress(data: bytes, limit: int = MAX_RTF) -> bytes:
    """The RTF in `data`, at most `limit` bytes of it. Raises ValueError when it is not compressed RTF."""
    if len(data) < 16:
        raise ValueError("compressed RTF shorter than its header")
    size, raw_size, kind, _ = struct.unpack_from("<4I", data)
    if kind == _UNCOMPRESSED:
        return data[16: 16 + min(raw_size, limit)]
    if kind != _COMPRESSED:
        raise ValueError("not compressed RTF")
    window, at = bytearray(_PRELOADED.ljust(4096, b"\0")), len(_PRELOADED)
    out, i, end, want = bytearray(), 16, min(len(data), size + 4), min(raw_size, limit)
    while i < end and len(out) < want:
        flags, i = data[i], i + 1
        for bit in range(8):
            if i >= end or (flags >> bit & 1 and i + 1 >= end):
                break
            if not flags >> bit & 1:                               # a literal byte
                window[at], i = data[i], i + 1
                out.append(window[at])
                at = (at + 1) & 0xFFF
                continue
            reference, i = data[i] << 8 | data[i + 1], i + 2       # 12 bits of offset, 4 of length - 2
            offset = reference >> 4
            if offset == at:                                       # the end marker
                return bytes(out[:want])
            for k in range((reference & 0xF) + 2):                 # byte by byte: it may copy what it writes
                window[at] = window[(offset + k) & 0xFFF]
                out.append(window[at])
                at = (at + 1) & 0xFFF
    return bytes(out[:want])


def rtf_text(rtf: bytes) -> str:
    """The text of an RTF document (its \\ansicpg code page honoured by striprtf)."""
    return rtf_to_text(rtf.decode("latin-1"), errors="replace").strip()
