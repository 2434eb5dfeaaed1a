"""Builders for the queries the querylang tests expect: w('fraud'), f('type', 'pdf'), q(root, *filters)."""

from datetime import date

from search.querylang import DateRange, FieldTerm, Identifier, Node, Query, Word


def w(text: str, prefix: bool = False) -> Word:
    return Word(text=text, prefix=prefix)


def f(field: str, value: str, prefix: bool = False) -> FieldTerm:
    return FieldTerm(field=field, value=value, prefix=prefix)


def ident(text: str, *matches: tuple[str, str], quoted: bool = False) -> Identifier:
    return Identifier(text=text, quoted=quoted, matches=matches)


def d(start: str | None, end: str | None) -> DateRange:
    return DateRange(start=start and date.fromisoformat(start), end=end and date.fromisoformat(end))


def q(root: Node | None = None, *filters: FieldTerm | DateRange) -> Query:
    return Query(root=root, filters=filters)
