"""Handling markings: an ordered list (`CLEW_MARKINGS`, lowest first). A user sees the markings at
or below their clearance, as an allow-list: a document whose marking nobody listed is shown to
nobody (access fails closed)."""

from clew.errors import ConfigError

def checked(marking: str, order: tuple[str, ...]) -> str:
    """`marking` (upper-cased) if it is one of `order`; else a ConfigError naming the known ones."""
    m = marking.strip().upper()
    if m not in order:
        raise ConfigError(f"unknown handling marking {marking!r}",
                          f"use one of {', '.join(order)} (CLEW_MARKINGS lists them, lowest first)")
    return m


def at_or_below(clearance: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """The markings a user cleared to `clearance` may see (the allow-list); none for an unknown one."""
    if clearance not in order:
        return ()
    return order[: order.index(clearance) + 1]
