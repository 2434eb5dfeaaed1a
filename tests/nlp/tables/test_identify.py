"""Identifier columns (nlp.tables.identify): by the share of cells a rule accepts, never by
the header's name. No servers."""

import pytest

from nlp.tables.identify import identifier_rule, normaliser

PHONES = ["07700 900123", "+44 7700 900124", "07700900125", "(07700) 900126", "0044 7700 900127"]


@pytest.mark.parametrize(("cells", "label"), [
    (PHONES, "PHONE"),
    (["ab12 cde", "AB12CDE", "YX19 ZZT", "lm63klp"], "VRM"),
    (["LS1 4AP", "SW1A 1AA", "M1 1AE"], "POSTCODE"),
    (["a@example.org", "B@EXAMPLE.NET", "c.d@example.com"], "EMAIL"),
    (["GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32"], "IBAN"),
    (["JG103759A", "AB 12 34 56 C"], "NINO"),
    (["12-34-56", "10-02-34"], "SORTCODE"),
    (PHONES[:4] + ["not known"], "PHONE"),                      # 80% valid is enough
    (PHONES[:3] + ["not known", "ask"], None),                  # 60% is not
    (["100234", "200345", "300456"], None),                     # plain numbers are numbers, not sort codes
    (["447700900123", "447700900950", "441174960215"], "PHONE"),  # call data's MSISDNs (44 and ten digits)
    (["07700900123", "447700900950", "353871234567"], "PHONE"),   # in a phone column, any MSISDN
    (["234150000000001", "234150000000002"], None),             # IMSIs are numbers, not Nigerian phones
    (["353871234567", "353861234567"], None),                   # plain numbers: only UK MSISDNs make a phone column
    (["Main entrance", "Door 3", "Side gate"], None),
    (["CAM-01", "CAM-02"], None),
    ([], None),
])
def test_identify_column_by_share_of_valid_cells(cells, label):
    rule = identifier_rule(cells)
    assert (rule.label if rule else None) == label


def test_identify_a_phone_column_reads_msisdns_as_their_numbers():
    rule = identifier_rule(["447700900123", "07700 900950", "353871234567"])
    normal = normaliser(rule)
    assert [normal(c) for c in ("447700900123", "07700 900950", "353871234567", "12")] == [
        "+447700900123", "+447700900950", "+353871234567", None]
