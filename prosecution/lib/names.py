"""People's names in the reader's script. Names are stored as the person's documents write them,
in Cyrillic for Kazakh and Russian names; a page or letter in English shows them in Latin letters
(issue 13: "Данияр Сейітқали" under an English page), transliterated by the usual rules of
English-language texts from Kazakhstan: the Kazakh letters to their nearest Latin one (ә a, ғ g,
қ k, ң n, ө o, ұ ү u, һ h, і i), й y, я ya, ю yu, х kh, ц ts, ч ch, ш sh, щ shch, ж zh, and the
soft and hard signs dropped. Names already in Latin letters pass unchanged."""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import get_language

_LETTERS = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


class Person(Protocol):
    def get_full_name(self) -> str: ...
    def get_username(self) -> str: ...


def latin(name: str) -> str:
    """The name in Latin letters: each Cyrillic letter by the table above, a capital staying a
    capital (Щ → Shch); anything else as it is."""
    out = []
    for char in name:
        lower = char.lower()
        if lower not in _LETTERS:
            out.append(char)
            continue
        letters = _LETTERS[lower]
        out.append(letters.capitalize() if char != lower else letters)
    return "".join(out)


def shown_name(person: Person | None) -> str:
    """A person's full name (the username if none) as the current language shows it: in Latin
    letters in English, as stored otherwise."""
    if person is None:
        return ""
    return in_readers_script(person.get_full_name() or person.get_username())


def in_readers_script(names: str) -> str:
    """Names kept as text (a history note that lists who was assigned) as the current language
    shows them: in Latin letters in English, as stored otherwise."""
    return latin(names) if (get_language() or "")[:2] == "en" else names
