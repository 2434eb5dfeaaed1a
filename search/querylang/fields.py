"""The fields of field:value terms: what each one is, and how its values are cleaned and checked.

Identifier fields go through nlp.identifiers, the code ingest uses, so phone:07700900123 and
phone:"+44 7700 900123" are one value. Filter and date fields ANDed at the top of a query are
lifted into `Query.filters` (LIFTED).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from nlp.identifiers import normalise
from nlp.settings import get_nlp_settings
from search.errors import QuerySyntaxError
from search.querylang.dates import date_range
from search.querylang.nodes import DateRange, FieldTerm


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: Literal["identifier", "entity", "text", "filter", "date"]
    clean: Callable[[str], str | None]  # the normal form of a value, or None when it is invalid
    label: str | None = None  # the nlp.identifiers label the value is normalised as
    prefix: bool = False  # may end in * (unquoted)


def _words(value: str) -> str:
    return " ".join(value.split())


def _identifier(label: str, kind: Literal["identifier", "filter"] = "identifier") -> FieldSpec:
    return FieldSpec(kind, lambda value: normalise(label, value), label)


# grammar.py builds the FIELD and FIELD_QUOTED tokens from these names.
FIELDS: dict[str, FieldSpec] = {
    **{name: _identifier(name.upper()) for name in (
        "phone", "email", "vrm", "postcode", "nino", "iban", "ip", "url", "domain", "crime_ref")},
    **{name: FieldSpec("entity", _words, prefix=True) for name in ("person", "org", "place")},
    "title": FieldSpec("text", _words, prefix=True),
    "path": FieldSpec("text", lambda value: value, prefix=True),
    "case": FieldSpec("filter", _words),
    "type": FieldSpec("filter", lambda value: _words(value).lower()),
    "marking": FieldSpec("filter", lambda value: _words(value).upper()),
    "from": _identifier("EMAIL", "filter"),
    "to": _identifier("EMAIL", "filter"),
    "date": FieldSpec("date", lambda value: value),
}
LIFTED = frozenset(name for name, spec in FIELDS.items() if spec.kind in ("filter", "date"))
_ABOUT = {  # label: (what it is, an example) for error messages
    "PHONE": ("phone number", "07700900123"), "EMAIL": ("email address", "name@example.com"),
    "VRM": ("vehicle registration", "AB12CDE"), "POSTCODE": ("UK postcode", '"SW1A 1AA"'),
    "NINO": ("National Insurance number", "AB123456C"), "IBAN": ("IBAN", "GB82WEST12345698765432"),
    "IP": ("IP address", "192.0.2.1"), "URL": ("web address", "https://example.com/page"),
    "DOMAIN": ("domain name", "example.com"), "CRIME_REF": ("crime reference", '"CAD 1234/24"'),
}


def field_term(name: str, raw: str, pos: int, quoted: bool) -> FieldTerm | DateRange:
    """The term `name`:`raw` means; `raw` starts at `pos` (after the quote when `quoted`)."""
    spec, prefix = FIELDS[name], False
    if not quoted and (star := raw.find("*")) != -1:
        at = pos + star
        if not spec.prefix:
            raise QuerySyntaxError(f"{name}: can't use the * wildcard (position {at})", at,
                                   f'give the whole value; to search for * itself, use {name}:"quotes"',
                                   "bad_wildcard")
        if star == 0 or star < len(raw) - 1:
            raise QuerySyntaxError(f"'*' at position {at} is not at the end of the value", at,
                                   f'a * ends a value ({name}:rep* finds report); to search for * itself, '
                                   'use "quotes"', "bad_wildcard")
        raw, prefix = raw[:-1], True
    if not raw.strip():
        raise QuerySyntaxError(f"{name}: at position {pos} has an empty value", pos,
                               f'write {name}:value with no space after the colon, or {name}:"a quoted value"',
                               "empty_value")
    if spec.kind == "date":
        return date_range(raw, pos)
    value = spec.clean(raw)
    if value is None:
        noun, example = _ABOUT[spec.label or ""]
        if spec.label == "PHONE":
            region = get_nlp_settings().default_region
            noun = f"{'UK' if region == 'GB' else region} {noun}"
        raise QuerySyntaxError(f"not a valid {noun}: {raw}", pos,
                               f'write it like {name}:{example}, or search for the text with "{raw}"',
                               "invalid_identifier")
    return FieldTerm(field=name, value=value, prefix=prefix)
