"""How much of one extractor's text the other found: word-level recall, per file and per format.

Both texts are normalised the same way (Unicode NFKC, casefold, word tokens `\\w+`) and compared as
word multisets: a word Tika found three times counts as found three times only if Clew has it three
times. Recall of Tika in Clew = words in common / Tika's words; the reverse divides by Clew's words.
Per format they are micro averages (all files' words in common / all files' words). A file with no
words on the side divided by has no recall of its own and adds nothing to the format's.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def common(a: Counter[str], b: Counter[str]) -> int:
    """Words in both, each as often as the side with fewer has it."""
    return sum((a & b).values())


@dataclass(frozen=True)
class Agreement:
    """One file (or a sum of files): words on each side and words in common."""

    tika: int = 0
    clew: int = 0
    shared: int = 0

    @classmethod
    def of(cls, tika_text: str, clew_text: str) -> "Agreement":
        t, c = words(tika_text), words(clew_text)
        return cls(sum(t.values()), sum(c.values()), common(t, c))

    def __add__(self, other: "Agreement") -> "Agreement":
        return Agreement(self.tika + other.tika, self.clew + other.clew, self.shared + other.shared)

    @property
    def recall_of_tika(self) -> float | None:
        """Share of Tika's words that Clew's text has too (None when Tika has no words)."""
        return round(self.shared / self.tika, 4) if self.tika else None

    @property
    def recall_of_clew(self) -> float | None:
        """Share of Clew's words that Tika's text has too (None when Clew has no words)."""
        return round(self.shared / self.clew, 4) if self.clew else None


def total(items: Iterable[Agreement]) -> Agreement:
    return sum(items, Agreement())


def missing(tika_text: str, clew_text: str, most: int = 8) -> list[str]:
    """Tika's most frequent words that Clew's text lacks (or has fewer of), for the report."""
    gap = words(tika_text) - words(clew_text)
    return [w for w, _ in gap.most_common(most)]
