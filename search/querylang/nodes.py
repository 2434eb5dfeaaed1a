"""The parsed query: frozen pydantic models, one per construct, and `Query` at the top."""

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Word(_Node):
    kind: Literal["word"] = "word"
    text: str
    prefix: bool = False


class Phrase(_Node):
    kind: Literal["phrase"] = "phrase"
    text: str


class Identifier(_Node):
    """A bare word, a phrase or adjacent words (text single-spaced, unquoted) that are a whole
    identifier: search its text and its normal forms."""

    kind: Literal["identifier"] = "identifier"
    text: str
    quoted: bool = False
    matches: tuple[tuple[str, str], ...] = Field(description="(label, value): ('VRM', 'AB12CDE')")


class FieldTerm(_Node):
    kind: Literal["field"] = "field"
    field: str = Field(description="a FIELDS name; the query builder maps it to index fields")
    value: str = Field(description="normalised: E.164 phone, lower-case email, ...")
    prefix: bool = False


class DateRange(_Node):
    """Inclusive days; None is an open end (never both)."""

    kind: Literal["date"] = "date"
    field: Literal["date"] = "date"
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _ends(self) -> "DateRange":
        if (self.start, self.end) == (None, None) or (self.start and self.end and self.end < self.start):
            raise ValueError("a date range needs a start or an end, and must not end before it starts")
        return self


class Not(_Node):
    kind: Literal["not"] = "not"
    child: "Node"


class And(_Node):
    kind: Literal["and"] = "and"
    children: tuple["Node", ...] = Field(min_length=2)


class Or(_Node):
    kind: Literal["or"] = "or"
    children: tuple["Node", ...] = Field(min_length=2)


Node = Annotated[
    Word | Phrase | Identifier | FieldTerm | DateRange | Not | And | Or, Field(discriminator="kind")
]
Filter = Annotated[FieldTerm | DateRange, Field(discriminator="kind")]
for _model in (Not, And, Or):
    _model.model_rebuild()


class Query(_Node):
    """A parsed query: `root` (None when only filters or nothing was asked) ANDed with `filters`."""

    root: Node | None = None
    filters: tuple[Filter, ...] = ()


def join(kind: type[And] | type[Or], parts: Sequence[Node]) -> Node:
    """`parts` joined by AND or OR, flattened: (a b) c is a b c."""
    if len(parts) == 1:
        return parts[0]
    return kind(children=tuple(c for p in parts for c in (p.children if isinstance(p, kind) else (p,))))
