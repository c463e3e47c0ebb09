"""Forgiving matching for "find my residence": accents, case, hyphens and apostrophes ignored."""

import re
import unicodedata
from collections.abc import Iterable

MAX_QUERY_LENGTH = 100


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()


def matches(query: str, haystacks: Iterable[str]) -> bool:
    """True when every word of the query appears in the residence's name or addresses."""
    words = normalise(query).split()
    text = " ".join(normalise(value) for value in haystacks)
    return all(word in text for word in words)
