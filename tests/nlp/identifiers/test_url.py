import pytest

from nlp.identifiers.url import Url

RULE = Url()


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("See https://www.walton.com/.", "https://www.walton.com/", "https://www.walton.com"),
    ("See HTTPS://WWW.Walton.COM/About.", "HTTPS://WWW.Walton.COM/About", "https://www.walton.com/About"),
    ("Visit www.walton.co.uk/contact, then call.", "www.walton.co.uk/contact", "http://www.walton.co.uk/contact"),
    ("(archived: http://jones.biz/a?q=1&p=2)", "http://jones.biz/a?q=1&p=2", "http://jones.biz/a?q=1&p=2"),
    ("Wiki https://en.wikipedia.org/wiki/Clew_(thread) is it.",
     "https://en.wikipedia.org/wiki/Clew_(thread)", "https://en.wikipedia.org/wiki/Clew_(thread)"),
    ("Panel at http://10.0.0.5:8080/admin.", "http://10.0.0.5:8080/admin", "http://10.0.0.5:8080/admin"),
])
def test_url_finds_trims_and_normalises(text: str, surface: str, value: str) -> None:
    assert found(text) == [(surface, value)]


@pytest.mark.parametrize("text", [
    "The file C:\\Users\\jo\\report.pdf was opened.",
    "version 1.2.3 released on 12/03/2024",
    "https://nonsense.notatld/page",
    "ftp:// alone",
])
def test_url_ignores_non_urls(text: str) -> None:
    assert found(text) == []


def test_url_normalise_makes_three_spellings_one_value() -> None:
    spellings = ["www.walton.com", "http://www.walton.com/", "HTTP://WWW.WALTON.COM"]
    assert {RULE.normalise(s) for s in spellings} == {"http://www.walton.com"}
    assert RULE.normalise("walton") is None
