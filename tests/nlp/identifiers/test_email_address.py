import pytest

from nlp.identifiers.email_address import Email

RULE = Email()


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("Write to j.smith@example.org today.", "j.smith@example.org", "j.smith@example.org"),
    ("From: Dex <Dex.Moss@Fastmail.Example>", "Dex.Moss@Fastmail.Example", "dex.moss@fastmail.example"),
    ("From: Jo <Jo.Smith@Example.CO.UK>", "Jo.Smith@Example.CO.UK", "jo.smith@example.co.uk"),
    ("EMAIL: JOHN.SMITH@GMAIL.COM", "JOHN.SMITH@GMAIL.COM", "john.smith@gmail.com"),
    ("Link mailto:info@walton.com here", "info@walton.com", "info@walton.com"),
    ("Tagged jo+bank@mail.walton.co.uk.", "jo+bank@mail.walton.co.uk", "jo+bank@mail.walton.co.uk"),
    ("(contact: ops@armstrong-bennett.info)", "ops@armstrong-bennett.info", "ops@armstrong-bennett.info"),
])
def test_email_finds_and_lower_cases(text: str, surface: str, value: str) -> None:
    assert found(text) == [(surface, value)]


@pytest.mark.parametrize("text", [
    "admin@localhost bounced",
    "mail to jo@server.local failed",
    "jo@intranet is internal",
    "user@@example.com is malformed",
    "the file jo@example.zip",
    "Paid £1,234.56 on 12/03/2024 at 14:30.",
])
def test_email_ignores_invalid(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    (" Jo.Smith@Example.ORG ", "jo.smith@example.org"),
    ("jo@localhost", None),
    ("not an address", None),
])
def test_email_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
