"""The fields of field:value terms: what each one is, and how its values are cleaned and checked.

Identifier fields go through nlp.identifiers, the code ingest uses, so phone:07700900123 and
phone:"+44 7700 900123" are one value. Filter and date fields ANDed at the top of a query are
lifted into `Query.filters` (LIFTED).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from nlp.identifiers import normalise
from nlp.labels import Label, labels
from search.errors import QuerySyntaxError
from search.querylang.dates import date_range
from search.querylang.nodes import DateRange, FieldTerm


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: Literal["identifier", "entity", "text", "filter", "date"]
    clean: Callable[[str, str], str | None]  # (value, phone region) -> its normal form, or None when invalid
    label: Label | None = None  # the nlp.labels label an identifier value is normalised as
    prefix: bool = False  # may end in * (unquoted)
    expects: tuple[str, str] | None = None  # (noun, example) of a valid value, when not a label's


def _words(value: str, region: str) -> str:
    return " ".join(value.split())


def _identifier(label: Label, kind: Literal["identifier", "filter"] = "identifier") -> FieldSpec:
    return FieldSpec(kind, lambda value, region: normalise(label.name, value, region), label)


def _language(value: str, region: str) -> str | None:
    """A language code as nlp.language writes them ('FR' -> 'fr'), or None."""
    value = value.strip().lower()
    return value if value.isascii() and value.isalpha() and len(value) in (2, 3) else None


_EMAIL = next(label for label in labels() if label.name == "EMAIL")  # from: and to:
OTHER_FIELDS: dict[str, FieldSpec] = {  # the fields that are not entity labels
    "title": FieldSpec("text", _words, prefix=True),
    "path": FieldSpec("text", lambda value, region: value, prefix=True),
    "case": FieldSpec("filter", _words),
    "type": FieldSpec("filter", lambda value, region: _words(value, region).lower()),
    "marking": FieldSpec("filter", lambda value, region: _words(value, region).upper()),
    "lang": FieldSpec("filter", _language, expects=("language code (ISO 639-1)", "fr")),
    "from": _identifier(_EMAIL, "filter"),
    "to": _identifier(_EMAIL, "filter"),
    "date": FieldSpec("date", lambda value, region: value),
}
LIFTED = frozenset(name for name, spec in OTHER_FIELDS.items() if spec.kind in ("filter", "date"))


def fields() -> dict[str, FieldSpec]:
    """Every field, by name: one per identifier label, person/org/place for the model's labels, then
    OTHER_FIELDS. Derived from nlp.labels at call time; grammar.py builds its tokens from the names."""
    return _fields(labels())


@lru_cache(maxsize=8)
def _fields(known: tuple[Label, ...]) -> dict[str, FieldSpec]:
    entity = FieldSpec("entity", _words, prefix=True)
    return {**{label.query: _identifier(label) for label in known if label.kind == "identifier" and label.query},
            **{label.query: entity for label in known if label.kind == "entity" and label.query},
            **OTHER_FIELDS}


def field_term(name: str, raw: str, pos: int, quoted: bool, region: str) -> FieldTerm | DateRange:
    """The term `name`:`raw` means; `raw` starts at `pos` (after the quote when `quoted`); phone
    numbers without their country code are read as in `region`."""
    spec, prefix = fields()[name], False
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
    value = spec.clean(raw, region)
    if value is None and spec.expects:
        noun, example = spec.expects
        raise QuerySyntaxError(f"not a {noun}: {raw}", pos, f"write it like {name}:{example}", "invalid_value")
    if value is None:
        label = spec.label or _EMAIL
        noun, example = label.noun, label.example
        if label.name == "PHONE":
            noun = f"{'UK' if region == 'GB' else region} {noun}"
        raise QuerySyntaxError(f"not a valid {noun}: {raw}", pos,
                               f'write it like {name}:{example}, or search for the text with "{raw}"',
                               "invalid_identifier")
    return FieldTerm(field=name, value=value, prefix=prefix)
