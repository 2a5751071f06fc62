"""Words the service puts round its data: counts with nouns, labels inside a sentence.

Pure helpers; templates reach them through the `counted` and `inline` filters.
"""

from __future__ import annotations

from datetime import date

# Organisations and titles keep their capital inside a sentence ("the Ofsted report").
PROPER_NAMES = frozenset(
    {"Ofsted", "Estyn", "His", "Her", "HM", "HMI", "HMP", "HMP/YOI", "YOI", "England", "Wales"}
)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_noun(count: int, noun: str, plural: str = "", *, words: bool = False) -> str:
    """'0 minutes', '1 minute', '2 minutes': the count with its noun in the right number.

    `plural` is for nouns that do not just add an s ("person", "people"); `words` spells
    one to nine as published documents do (GOV.UK style: 'one recommendation', '12 themes').
    """
    number = NUMBER_WORDS[count] if words and 0 < count < len(NUMBER_WORDS) else str(count)
    return f"{number} {noun if count == 1 else plural or noun + 's'}"


def lower_first(text: str) -> str:
    """A sentence-case label as it reads inside a sentence: 'Full inspection' → 'full
    inspection'; names ('Ofsted report on …') and acronyms ('IRP') are kept as they are."""
    first = text.split(" ", 1)[0]
    if first in PROPER_NAMES or len(first) < 2 or not first[0].isupper():
        return text
    if not first[1:].islower():  # an acronym or a name such as 'McDonald'
        return text
    return text[0].lower() + text[1:]


def long_date(day: date) -> str:
    """'3 August 2026', the GOV.UK style for dates."""
    return f"{day.day} {day:%B %Y}"
