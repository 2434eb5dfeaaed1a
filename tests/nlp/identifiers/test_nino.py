import pytest

from nlp.identifiers.nino import Nino

RULE = Nino()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("NI number AB 12 34 56 C.", "AB123456C"),
    ("NI number AB123456C.", "AB123456C"),
    ("NI number AB 123456 C.", "AB123456C"),
    ("ni: ab123456c", "AB123456C"),
    ("NINO JG-10-32-54-D", "JG103254D"),
    ("Prefix OA is allowed: OA 12 34 56 A", "OA123456A"),
])
def test_nino_finds_and_normalises(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "BG 12 34 56 C",      # unallocated prefixes
    "GB123456A",
    "NK 12 34 56 B", "KN123456B", "TN123456B", "NT123456B",
    "ZZ 12 34 56 T",      # administrative test prefix; T is no suffix either
    "QQ123456C",          # Q never used
    "DA123456A", "FA123456A", "IA123456A", "UA123456A", "VA123456A",
    "AD123456A", "AO123456A", "AV123456A",   # second letter D, O, V
    "AB123456E",          # suffix beyond D
    "AB12345C",           # five digits
    "AB 12 34 56",        # no suffix
    "Ab123456C",          # mixed case
    "Paid £1,234.56 on 12/03/2024 at 14:30.",
])
def test_nino_rejects_impossible(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("ab 12 34 56 c", "AB123456C"), ("AB123456C", "AB123456C"), ("BG 12 34 56 C", None), ("QQ123456C", None),
])
def test_nino_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal


@pytest.mark.parametrize(("text", "value"), [
    ("NI number AB\u00a012\u00a034\u00a056\u00a0C.", "AB123456C"),    # no-break spaces (HTML mail, Word)
    ("NI number AB\u202f123456\u202fC.", "AB123456C"),
    ("my ni number is ab\u00a012\u00a034\u00a056\u00a0c", "AB123456C"),
])
def test_nino_finds_groups_parted_by_no_break_spaces(text: str, value: str) -> None:
    assert values(text) == [value]


def test_nino_finds_every_number_in_lists_and_tables() -> None:
    text = ("NI numbers used: AB 12 34 56 C, CE654321A and JK-10-32-54-D.\n"
            "| Name | NI number |\n|---|---|\n| Jo Bloggs | ab123456 b |\nName\tNINO:WX 987654 C\t12/03/1980")
    assert values(text) == ["AB123456C", "CE654321A", "JK103254D", "AB123456B", "WX987654C"]


@pytest.mark.parametrize("text", [
    "AB\u00a012\u00a034\u00a056 has no suffix",
    "QQ\u00a012\u00a034\u00a056\u00a0C is HMRC's specimen",
    "AB\t12\t34\t56\tC is a table row, not one number",
])
def test_nino_rejects_no_break_space_look_alikes(text: str) -> None:
    assert values(text) == []


def test_nino_normalise_reads_no_break_spaces() -> None:
    assert RULE.normalise("AB\u00a012\u00a034\u00a056\u00a0C") == "AB123456C"
