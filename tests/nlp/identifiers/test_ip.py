import pytest

from nlp.identifiers.ip import Ip

RULE = Ip()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("Login from 81.2.69.160 at 14:30.", "81.2.69.160"),
    ("Router at 192.168.1.10.", "192.168.1.10"),
    ("Panel at 10.0.0.5:8080", "10.0.0.5"),
    ("Range 10.0.0.0/24 allocated", "10.0.0.0"),
    ("Source 2001:0DB8:0000:0000:0000:0000:0000:0001 seen", "2001:db8::1"),
    ("Source 2001:db8::1 seen", "2001:db8::1"),
    ("Link-local fe80::1ff:fe23:4567:890a.", "fe80::1ff:fe23:4567:890a"),
    ("Bracketed [2001:db8::7]:443", "2001:db8::7"),
    ("Mapped ::ffff:192.0.2.1 address", "::ffff:c000:201"),
])
def test_ip_finds_and_compresses(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "version 1.2.3 released",
    "build 10.2.3.4 flagged",
    "Windows 10.0.19045.3803 installed",
    "Chrome/120.0.6099.129 Safari/537.36",
    "256.10.1.1 is out of range",
    "1.2.3.4.5 has five parts",
    "10.0.0 has three",
    "Meet at 12:30:45 on 12.03.2024",
    "MAC 00:1A:2B:3C:4D:5E",
    "Paid £1,234.56",
])
def test_ip_ignores_versions_and_times(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("[::1]", "::1"), ("10.0.0.1", "10.0.0.1"),
    ("300.1.1.1", None), ("1.2.3", None),
])
def test_ip_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
