"""`clew demo`'s searches still read as meant (the demo itself is run by hand: it needs the sample
case ingested with the real models)."""

from app import demo
from app.samplecase.plants import PHONE_DASHED, PHONE_E164, PHONE_SPACED
from search.querylang import FieldTerm, Identifier, Not, parse
from search.views.common import entity_key


def test_demo_phone_is_the_planted_number_as_one_document_writes_it():
    assert demo.PHONE == PHONE_DASHED.value
    assert {PHONE_SPACED.normalised, PHONE_E164.normalised} == {PHONE_DASHED.normalised}
    assert entity_key("phone", demo.PHONE) == ("phone", PHONE_DASHED.normalised)


def test_demo_queries_parse_as_meant():
    phone, no_rows = parse(demo.KEYWORD).root.children
    assert isinstance(phone, Identifier) and phone.matches == (("PHONE", PHONE_DASHED.normalised),)
    assert no_rows == Not(kind="not", child=FieldTerm(kind="field", field="type", value="json", prefix=False))
    hybrid = parse(demo.HYBRID)
    assert [w.text for w in hybrid.root.children] == ["blue", "van"]
    assert [(f.field, f.value) for f in hybrid.filters] == [("type", "email")]
