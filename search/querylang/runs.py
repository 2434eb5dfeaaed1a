"""Identifiers typed as several words: 07700 900417, (020) 7946 0018, +44 7700 900417, SW1A 1AA.

Investigators paste identifiers as documents write them, and the lexer cuts them into words (and
reads '(020)' as a bracketed word). Between lexing and parsing, `join` finds them again:

- A chain is a row of adjacent plain words: WORD tokens other than prefix* and name:thing, and
  '(digits)' with both brackets touching the digits (an area code: '(020) 7946 0018'). Anything
  else ends a chain: AND, OR, NOT, -x, +x, a "phrase", a field:value, any other bracket.
- A run is 2 to MAX_WORDS elements of a chain, at most MAX_CHARS long, holding a digit, whose
  text (the words, one space where the query has a gap) nlp.identifiers.identify accepts whole.
  Its end elements hold a digit or are short (END_LETTERS: the letters of a registration, a
  national insurance number or a crime reference prefix), and one with no digit that can go and
  leave the same identifier is not part of it: phonenumbers reads 'fraud 07700 900417' and
  'to 07700 900417' as the number, and 'fraud' and 'to' stay words. (So a vanity number,
  0800 FLOWERS, is two words here; "0800 FLOWERS" in quotes is the number.)
- The longest runs win, then the leftmost (as the identifier registry resolves overlaps). Each
  becomes one WORD token over its span and one unquoted `Identifier` with that text; a run never
  raises, so problems are still reported in the order they occur.
- A query tries at most MAX_LOOKS texts (each costs about 0.1 ms, most of it phonenumbers); words
  after that are read one by one, as before. Prose costs little: a candidate needs a digit, and
  long words at its ends rule it out before identify() is asked.

An operator before a run applies to the whole identifier (-07700 900417 leaves the number out).
describe() writes the text back unquoted, and the same run is found again.
"""

import re
from collections.abc import Sequence

from lark import Token

from nlp.identifiers import identify
from search.querylang.nodes import Identifier

MAX_WORDS = 8  # 'GB82 WEST 1234 5698 7654 32' is 6 words, 'AB 12 34 56 C' 5
MAX_CHARS = 48  # the longest IBAN (34 characters) in groups of four, with room to spare
MAX_LOOKS = 400  # texts tried per query: a pasted paragraph of 40 numbers and codes
END_LETTERS = 4  # the longest end element with no digit: 'CDE' in 'AB12 CDE', 'CRIS' in 'CRIS 1234/24'
_NAMED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:")  # a field term, or a word that names one
_AREA = re.compile(r"\+?[0-9]+")

Span = tuple[int, int]  # [first, end) token indices
Found = tuple[tuple[str, str], ...]  # (label, normal form), as identify() gives them


class _Look:
    """identify() for one query: each text tried once, and counted against MAX_LOOKS."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.seen: dict[str, Found] = {}

    def __call__(self, text: str) -> Found:
        if text not in self.seen:
            self.seen[text] = tuple(identify(text, self.region))
        return self.seen[text]

    @property
    def spent(self) -> bool:
        return len(self.seen) >= MAX_LOOKS


def _element(tokens: Sequence[Token], i: int) -> int | None:
    """The end of the chain element starting at token `i`, or None when it starts none."""
    t = tokens[i]
    if t.type == "WORD":
        return None if "*" in t or _NAMED.match(t) else i + 1
    if t.type == "_LPAR" and i + 2 < len(tokens):
        digits, close = tokens[i + 1], tokens[i + 2]
        touching = t.end_pos == digits.start_pos and digits.end_pos == close.start_pos
        if digits.type == "WORD" and close.type == "_RPAR" and touching and _AREA.fullmatch(digits):
            return i + 3
    return None


def area_code(tokens: Sequence[Token], i: int) -> int | None:
    """The end of the '(digits)' area code starting at token `i` ('(020)' of '(020) 7946 0018'), or None."""
    return _element(tokens, i) if tokens[i].type == "_LPAR" else None


def chains(tokens: Sequence[Token]) -> list[list[Span]]:
    """The chains of two or more elements, each as its elements' token spans."""
    found: list[list[Span]] = [[]]
    i = 0
    while i < len(tokens):
        if (end := _element(tokens, i)) is None:
            found.append([])
            i += 1
        else:
            found[-1].append((i, end))
            i = end
    return [chain for chain in found if len(chain) > 1]


def spelled(tokens: Sequence[Token]) -> str:
    """The text of adjacent tokens: one space where the query has a gap between two."""
    out = [tokens[0].value]
    for before, token in zip(tokens, tokens[1:], strict=False):
        out += [token.value] if before.end_pos == token.start_pos else [" ", token.value]
    return "".join(out)


def _runs(tokens: Sequence[Token], chain: list[Span], look: _Look) -> list[tuple[int, int, str]]:
    """The runs kept in one chain: (first element, end element, text), longest then leftmost first."""
    def text(a: int, b: int) -> str:
        return spelled(tokens[chain[a][0]:chain[b - 1][1]])

    alone = [text(e, e + 1) for e in range(len(chain))]
    letters = [not any(c.isdigit() for c in t) for t in alone]  # no digit
    if all(letters):
        return []  # prose: no run can hold a digit

    def may_end(e: int) -> bool:
        return not letters[e] or len(alone[e]) <= END_LETTERS

    def padded(a: int, b: int, found: Found) -> bool:
        ends = ((a, a + 1, b), (b - 1, a, b - 1))  # (the end element, the run without it)
        return any(letters[e] and look(text(x, y)) == found for e, x, y in ends)

    candidates = []
    for a in (a for a in range(len(chain)) if may_end(a)):
        for b in range(a + 2, min(len(chain), a + MAX_WORDS) + 1):
            if all(letters[a:b]):
                continue  # no digit yet: not a candidate, and longer texts are tested when one has one
            if len(words := text(a, b)) > MAX_CHARS or look.spent:
                break
            if may_end(b - 1) and (found := look(words)) and not padded(a, b, found):
                candidates.append((a, b, words))
    kept: list[tuple[int, int, str]] = []
    for a, b, words in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(b <= x or y <= a for x, y, _ in kept):
            kept.append((a, b, words))
    return kept


def join(tokens: list[Token], region: str) -> tuple[list[Token], dict[int, Identifier]]:
    """`tokens` with each run as one WORD token, and the Identifier of each run by its offset."""
    look = _Look(region)
    spans: dict[int, tuple[int, str]] = {}  # first token index -> (end token index, text)
    for chain in chains(tokens):
        for a, b, words in _runs(tokens, chain, look):
            spans[chain[a][0]] = (chain[b - 1][1], words)
    out: list[Token] = []
    nodes: dict[int, Identifier] = {}
    i = 0
    while i < len(tokens):
        if i not in spans:
            out.append(tokens[i])
            i += 1
            continue
        end, words = spans[i]
        first, last = tokens[i], tokens[end - 1]
        out.append(Token("WORD", words, start_pos=first.start_pos, line=first.line, column=first.column,
                         end_line=last.end_line, end_column=last.end_column, end_pos=last.end_pos))
        nodes[first.start_pos] = Identifier(text=words, matches=look(words))
        i = end
    return out, nodes
