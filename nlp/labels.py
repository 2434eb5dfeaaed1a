"""Every entity label Clew knows, in one list: the source of truth for the indexes' `entities.*`
fields, the query language's fields, the search field lists, the facets and the views.

    labels() -> tuple[Label, ...]     the spaCy labels Clew keeps, then one per identifier rule

A label's `field` (its name in lower case) is its name everywhere after the NLP stage:
`entities.<field>` in both indexes (mapped by the dynamic template in the mapping files), the
facet of that name and, for identifiers, the query field (`phone:07700900123`). Model labels
are searched through `query`: PERSON by person:, ORG by org:, GPE, LOC and FAC together by place:.
Identifier labels come from `nlp.identifiers.registry.RULES` each time `labels()` is called, so
adding a rule (one module, one line) adds its label end to end.
"""

from dataclasses import dataclass
from typing import Literal

from nlp.identifiers import registry


@dataclass(frozen=True, slots=True)
class Label:
    name: str                                   # Mention.label: "PHONE", "PERSON"
    noun: str                                   # what one is called in messages: "phone number"
    example: str                                # one written as a query value: "07700900123"
    kind: Literal["identifier", "entity"]       # found by a validated rule, or by the model
    query: str | None                           # the query field that searches it; None: no field

    @property
    def field(self) -> str:
        """'phone': entities.phone in the indexes, the facet, the views' label parameter."""
        return self.name.lower()

    @property
    def title(self) -> str:
        """'Phone number': its noun as a heading, for people (facets, legends, entity pages)."""
        return self.noun[:1].upper() + self.noun[1:]


MODEL_LABELS: tuple[Label, ...] = (
    Label("PERSON", "person", '"Kyle Brennan"', "entity", "person"),
    Label("ORG", "organisation", '"Acme Holdings"', "entity", "org"),
    Label("GPE", "city, county or country", "Bristol", "entity", "place"),
    Label("LOC", "location", '"River Avon"', "entity", "place"),
    Label("FAC", "building or facility", '"Temple Meads"', "entity", "place"),
    Label("DATE", "date", "2024-03-01", "entity", None),
    Label("MONEY", "amount of money", "£1,200", "entity", None),
)


_made: tuple[tuple, tuple[Label, ...]] | None = None  # (the registry's rules, their labels), made once


def labels() -> tuple[Label, ...]:
    """The model labels, then every registered identifier rule's, in registry order. (A search asks
    many times: the labels are made again only when the registry's tuple of rules is another one.)"""
    global _made
    made, rules = _made, registry.RULES
    if made is None or made[0] is not rules:
        made = _made = (rules, MODEL_LABELS + tuple(Label(r.label, r.noun, r.example, "identifier", r.label.lower())
                                                    for r in rules))
    return made[1]


def model_label_names() -> frozenset[str]:
    """The spaCy labels the entity stage keeps ('PERSON', ...)."""
    return frozenset(label.name for label in MODEL_LABELS)


def entity_fields() -> tuple[str, ...]:
    """Every label's field name: 'person', ..., 'phone', ..."""
    return tuple(label.field for label in labels())


def by_field(field: str) -> Label | None:
    return next((label for label in labels() if label.field == field), None)


def title_of(field: str) -> str:
    """A label's heading by its field ('phone' -> 'Phone number'); an unknown field as it is."""
    label = by_field(field)
    return label.title if label else field
