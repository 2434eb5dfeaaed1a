"""Normal forms of entity text, so one person, company, place, date or sum written many ways groups
as one `Mention.value`.

    normalise("PERSON", "DS 4512 SMITH, John's")  -> "John Smith"
    normalise("ORG", "Acme Holdings Limited.")    -> "acme holdings ltd"
    normalise("GPE", "STOKE-ON-TRENT")            -> "Stoke-on-Trent"
    normalise("DATE", "Tuesday 12th March 2024")  -> "2024-03-12"   (else the cleaned text)
    normalise("MONEY", "£1.2m")                   -> "GBP 1200000.00" (else the cleaned text)

Pure functions; never empty for non-blank input (falls back to the cleaned text).
"""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

_EDGE = "\"'‘’“”()[]{}<>,.;:!?*_-–—/\\|"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.I)
_HONOURS = frozenset({"qc", "kc", "mp", "obe", "mbe", "cbe", "esq"})
_RANK_INITIALS = frozenset({"pc", "wpc", "ps", "dc", "ds", "di", "dci", "dsu", "dcs"})  # only as 'DI', not 'Di'
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "cllr",
    "sgt", "insp", "supt", "ch", "chief", "det", "detective", "constable", "sergeant", "inspector",
    "superintendent", "officer", "acting",
})
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "den", "du", "la", "le"})
_PLACE_SMALL = frozenset({"upon", "on", "in", "of", "the", "and", "under", "by", "le", "en", "sur"})


def clean(text: str) -> str:
    """Whitespace collapsed, surrounding punctuation and a trailing possessive removed."""
    text = " ".join(text.split()).strip(_EDGE + " ")
    return _POSSESSIVE.sub("", text).strip(_EDGE + " ")


def _cap(word: str, small: frozenset[str] = frozenset(), first: bool = True) -> str:
    """'o'neill' -> "O'Neill", 'mcdonald' -> 'McDonald'; small words stay lower unless first."""
    if not first and word in small:
        return word
    word = re.sub(r"(^|-|['’](?=\w\w))(\w)", lambda m: m[1] + m[2].upper(), word)
    return re.sub(r"^Mc(\w)", lambda m: "Mc" + m[1].upper(), word)


def _is_title(word: str) -> bool:
    bare = word.replace(".", "")
    key = bare.lower()
    return (key in _TITLES or key.isdigit() or (key in _RANK_INITIALS and bare.isupper())
            or key.startswith("t/"))


def _drop_titles(words: list[str]) -> list[str]:
    """Leading titles, ranks and collar numbers ('Det. Sgt 4512', 'T/DI') off; never the last word."""
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    return words


def name_start(text: str) -> int:
    """Where the name begins after leading titles and ranks: 8 in 'DS 4512 Jo Bloggs'."""
    words = list(re.finditer(r"\S+", text))
    kept = _drop_titles([w[0] for w in words])
    return words[len(words) - len(kept)].start() if words else 0


def person(text: str) -> str:
    """'DS 4512 SMITH, John' -> 'John Smith': titles, ranks, collar numbers and honours dropped."""
    words = _drop_titles(clean(text).split())
    name = " ".join(words)
    if name.count(",") == 1:
        surname, given = (p.strip() for p in name.split(","))
        words = _drop_titles(f"{given} {surname}".split())
    while len(words) > 1 and words[-1].replace(".", "").lower() in _HONOURS:
        words = words[:-1]
    name = re.sub(r"\b(\w)\.", r"\1 ", " ".join(words)).replace(".", " ").strip(_EDGE + " ")
    return " ".join(_cap(w, _PARTICLES, i == 0) for i, w in enumerate(name.lower().split()))


def organisation(text: str) -> str:
    """'The Acme Holdings Limited.' and 'ACME HOLDINGS LTD' -> 'acme holdings ltd'."""
    text = clean(text).casefold().replace("&", " and ")
    text = re.sub(r"\bp\.?\s?l\.?\s?c\b\.?|\bpublic limited company\b", "plc", text)
    text = re.sub(r"\b(?:limited|ltd)\b\.?", "ltd", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text.strip(_EDGE + " ")


def _place_word(word: str, first: bool) -> str:
    if word.isupper() and len(word) <= 3:
        return word
    parts = word.lower().split("-")
    return "-".join(_cap(p, _PLACE_SMALL, first and j == 0) for j, p in enumerate(parts))


def place(text: str) -> str:
    """'the CITY OF LONDON' -> 'City of London'; short all-capital names ('UK', 'USA') kept."""
    words = re.sub(r"^the\s+", "", clean(text), flags=re.I).split()
    return " ".join(_place_word(w, i == 0) for i, w in enumerate(words))


_MONTHS = {m: i for i, names in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"], 1)
    for m in names.split()}
_MONTH = r"(?P<mon>[a-z]{3,9})\.?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4}|\d{2})"
_DATES = [re.compile(p) for p in (
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
    r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.]" + _YEAR,
    _DAY + r"(?: of)?[ -]" + _MONTH + r",?[ -]" + _YEAR,
    _MONTH + r" " + _DAY + r",? " + _YEAR,
)]
_LEAD = re.compile(r"^(?:(?:on|the|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?),?\s+)+")  # 'on Tuesday the'


def day(text: str) -> str:
    """ISO 'yyyy-mm-dd' when day, month and year are all given (UK day-first; '24' -> 2024,
    '85' -> 1985 as POSIX %y), else the cleaned text."""
    cleaned = clean(text)
    candidate = _LEAD.sub("", cleaned.lower())
    for pattern in _DATES:
        if m := pattern.fullmatch(candidate):
            parts = m.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"], 0)
            year = int(parts["y"]) + (0 if len(parts["y"]) == 4 else 2000 if int(parts["y"]) < 70 else 1900)
            try:
                return date(year, month, int(parts["d"])).isoformat()
            except ValueError:
                return cleaned
    return cleaned


_CURRENCY = {"£": "GBP", "gbp": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
             "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
             "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR", "p": "GBP", "pence": "GBP"}
_SCALE = {"k": 1000, "thousand": 1000, "m": 10**6, "million": 10**6, "bn": 10**9, "billion": 10**9}
_MONEY = re.compile(
    r"(?P<pre>£|\$|€|us\$|gbp|usd|eur)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>k|m|bn|thousand|million|billion)?\s*"
    r"(?P<post>gbp|usd|eur|pounds?|sterling|pence|p|dollars?|euros?)?")


def money(text: str) -> str:
    """'£1,234.5' -> 'GBP 1234.50', '50p' -> 'GBP 0.50', '€2m' -> 'EUR 2000000.00'; else cleaned text."""
    cleaned = clean(text)
    m = _MONEY.fullmatch(cleaned.lower())
    if not m or not (m["pre"] or m["post"]):
        return cleaned
    codes = {_CURRENCY[c] for c in (m["pre"], m["post"]) if c}
    if len(codes) != 1:
        return cleaned
    try:
        amount = Decimal(m["num"].replace(",", "")) * _SCALE.get(m["scale"] or "", 1)
    except InvalidOperation:
        return cleaned
    if m["post"] in {"p", "pence"} and not m["pre"]:
        amount /= 100
    return f"{codes.pop()} {amount.quantize(Decimal('0.01'))}"


BY_LABEL: dict[str, Callable[[str], str]] = {
    "PERSON": person, "ORG": organisation, "GPE": place, "LOC": place, "FAC": place,
    "DATE": day, "MONEY": money,
}


def normalise(label: str, text: str) -> str:
    """The grouping value for an entity's text; labels without a rule get the cleaned text."""
    value = BY_LABEL.get(label, clean)(text)
    return value or clean(text) or " ".join(text.split())
