"""A number as Excel shows it under a cell's number format (ECMA-376 Part 1, 18.8.31): the format's
section for the value's sign (`positive;negative;zero`), its digit placeholders (`0` a digit
always, `#` and `?` a digit when there is one), decimal point, thousands separator (`,` between
placeholders; trailing ones divide by 1,000 each), percent, scientific notation (`0.00E+00`) and
literal text (`"kg"`, `\\x`, `$`, `[$€-407]`, `_x` as a space, `*x` as nothing). Colours and locales
are dropped.

`shown` answers None for what it does not render, where the plain number stays: General, text
(`@`), dates and times (calamine reads those as dates already), fractions and conditions (`[>100]`).
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal

BUILT_IN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
            37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;(#,##0.00)",
            48: "##0.0E+0"}
_TOKENS = re.compile(r'"([^"]*)"|\\(.)|_.|\*.|\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]|([0#?.,]+(?:[Ee][+-][0#?]+)?)|(.)')
_DATE = re.compile(r"[ymdhsYMDHS]|AM/PM|A/P")


def shown(value: float, code: str) -> str | None:
    if not math.isfinite(value) or not code or code.strip().lower() in ("general", "@"):
        return None
    sections = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', code)             # the ';' outside quotes
    sign = ""
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section, sign = sections[0], "-" if value < 0 else ""
    bare = re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", section)           # no literals, no brackets
    if re.search(r"\[[<>=]", section) or "@" in section or "/" in bare or _DATE.search(bare):
        return None
    parts, number = [], None
    for quoted, escaped, currency, digits, other in _TOKENS.findall(section):
        if digits and number is None:
            number, digits = digits, "\0"
        parts.append(quoted or escaped or currency or digits or other)
    if number is None:
        return (sign + "".join(parts)).strip() or None
    scaled = abs(value) * 100 ** "".join(parts).count("%")
    return (sign + "".join(parts).replace("\0", _digits(scaled, number), 1)).strip()


def _digits(value: float, pattern: str) -> str:
    """`value` (not negative) laid out by a run of placeholders such as '#,##0.00' or '0.00E+00'."""
    mantissa, exponent = re.split(r"[Ee][+-]", pattern, maxsplit=1) if re.search("[Ee][+-]", pattern) else (pattern, "")
    whole, _, fraction = mantissa.partition(".")
    scale = len(whole) - len(whole.rstrip(","))                          # trailing commas: thousands
    whole = whole.rstrip(",")
    power = 0
    if exponent:
        places = max(sum(whole.count(c) for c in "0#?"), 1)
        power = math.floor(math.log10(value)) - places + 1 if value else 0
        value /= 10.0 ** power
    rounded = Decimal(repr(value / 1000 ** scale)).quantize(Decimal(1).scaleb(-len(fraction)), ROUND_HALF_UP)
    integer, _, decimals = f"{rounded:f}".partition(".")
    integer = integer.lstrip("0").rjust(whole.count("0"), "0")
    if "," in whole and integer:
        integer = f"{int(integer):,}".rjust(whole.count("0"), "0")
    keep = len(fraction.rstrip("#?"))
    decimals = decimals[:keep] + decimals[keep:].rstrip("0")
    text = integer + ("." + decimals if decimals else "")
    if exponent:
        text += f"E{'-' if power < 0 else '+'}{str(abs(power)).rjust(exponent.count('0'), '0')}"
    return text or "0"
