"""BM25 ranking over small multi-field documents, in pure Python.

A document is a mapping of field name to texts (a model's title, description, task label …).
Fields carry weights, combined the BM25F way: a term's frequency in a document is the weighted
sum of its counts in the fields, and the document length is the weighted sum of the field
lengths, so a word in a title counts more than the same word deep in a limitations section.

    score(q, d) = Σ_t∈q idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·len(d)/avglen))
    idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

Text is folded to lower-case ASCII letters and digits; a word that runs letters into digits
("resnet50", "squad2") also yields its parts ("resnet", "50"), a light plural rule folds
"models" onto "model", and a short list of English stop words is dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)

STOP_WORDS: Final = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which",
    "with"})
_WORD: Final = re.compile(r"[a-z0-9]+")
_LETTERS_DIGITS: Final = re.compile(r"[a-z]+|[0-9]+")


def fold(text: str) -> str:
    """Lower-case, with accents removed (é → e)."""
    if text.isascii():  # the common case, ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """The index terms of a text, in order (a word split into letters and digits also keeps
    its whole form)."""
    terms: list[str] = []
    for word in _WORD.findall(fold(text)):
        if word in STOP_WORDS:
            continue
        terms.append(_stem(word))
        parts = _LETTERS_DIGITS.findall(word)
        if len(parts) > 1:
            terms.extend(_stem(p) for p in parts if p not in STOP_WORDS)
    return terms


@dataclass(frozen=True)
class Hit(Generic[Key]):
    key: Key
    score: float
    matches: dict[str, list[str]]  # field → the query terms found in it


@dataclass
class _Doc:
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # field → term counts
    weighted: dict[str, float] = field(default_factory=dict)  # term → weighted frequency
    length: float = 0.0


class BM25Index(Generic[Key]):
    """An index of documents under keys; ``search`` ranks them for a query."""

    def __init__(
        self, documents: Mapping[Key, Mapping[str, Iterable[str]]],
        weights: Mapping[str, float] | None = None, *, k1: float = 1.2, b: float = 0.75,
        default_weight: float = 1.0,
    ) -> None:
        self.k1, self.b = k1, b
        self._docs: dict[Key, _Doc] = {}
        self._df: Counter[str] = Counter()
        weights = weights or {}
        for key, fields in documents.items():
            doc = _Doc()
            for name, texts in fields.items():
                weight = weights.get(name, default_weight)
                counts: Counter[str] = Counter()
                for text in texts:
                    counts.update(tokenize(text))
                if not counts or weight <= 0:
                    continue
                doc.counts[name] = counts
                for term, n in counts.items():
                    doc.weighted[term] = doc.weighted.get(term, 0.0) + weight * n
                doc.length += weight * sum(counts.values())
            self._docs[key] = doc
            self._df.update(doc.weighted.keys())
        total = sum(d.length for d in self._docs.values())
        self._avg_length = total / len(self._docs) if self._docs and total else 1.0

    def __len__(self) -> int:
        return len(self._docs)

    def idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1 + (len(self._docs) - df + 0.5) / (df + 0.5))

    def search(
        self, query: str, *, among: Iterable[Key] | None = None,
    ) -> list[Hit[Key]]:
        """Documents that match at least one query term, best first (ties by key order of
        insertion); ``among`` restricts the candidates."""
        terms = list(dict.fromkeys(tokenize(query)))
        if not terms:
            return []
        idf = {t: self.idf(t) for t in terms}
        candidates = self._docs.keys() if among is None else [
            k for k in among if k in self._docs]
        hits: list[Hit[Key]] = []
        for key in candidates:
            doc = self._docs[key]
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * doc.length / self._avg_length)
            for term in terms:
                tf = doc.weighted.get(term, 0.0)
                if tf:
                    score += idf[term] * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                matches = {name: [t for t in terms if t in counts]
                           for name, counts in doc.counts.items()}
                hits.append(Hit(key, score, {n: ts for n, ts in matches.items() if ts}))
        order = {k: i for i, k in enumerate(self._docs)}
        hits.sort(key=lambda h: (-h.score, order[h.key]))
        return hits
