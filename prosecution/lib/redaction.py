"""Personal data taken out of a text before the public reads it (Art. 42; docs/rules.md "Secrecy
and publicity": publicity is the rule where no secret or personal data is exposed).

`redact(text, names=..., addresses=...)` finds what a pattern can find in any of our three
languages (12-digit IINs and BINs, Kazakhstan phone numbers, e-mail addresses, street addresses
with their street, house and flat markers) and what the record knows (the names of the persons
and the addresses it holds, with the case endings Kazakh and Russian add to a name and the
initials written beside it), and returns the text with each finding replaced by a mark of its
kind, and the list of findings: the preview shows the prosecutor both, so that what is published
is exactly what was seen.

A pattern cannot know every name: the names the record holds are the ones it finds for sure, and
the preview is where a person reads the rest.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext

# Capital letters of the three alphabets (Python's re has no \p{Lu}): initials are capitals.
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_INITIALS = rf"(?:[{_UPPER}]\.\s?){{1,2}}"
# The endings a name takes in a sentence: Russian cases (Иванову, Ивановой) and Kazakh suffixes
# (Сейтқалиға, Сейтқалидың, Сейтқалиевке) add at most this many letters.
_ENDING = r"[^\W\d_]{0,5}"
# A name's last vowel (or soft sign) changes with its case, so it is not part of the stem.
_CHANGING = "аяйьыеиоуәіөүюэ"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 12 digits, not part of a longer number: an IIN or a BIN (prosecution/lib/identifiers.py).
_IDENTIFIER = re.compile(r"(?<![\d])\d{12}(?![\d])")
# +7 701 234 56 78, 8 (701) 234-56-78, 87012345678, and a city number +7 7172 12 34 56.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+7|8)[\s-]*\(?\d{3,4}\)?[\s-]*\d{2,3}[\s-]*\d{2}[\s-]*\d{2}(?![\d])"
)
_HOUSE = r"\d+[\w/-]*"
# Street addresses with their markers: Russian (ул. Абая, д. 5, кв. 12), Kazakh (Абай көшесі,
# 12-үй, 5-пәтер; Әуезов к-сі, 1) and English (12 Abai Street, apt. 5).
_ADDRESS = re.compile(
    r"(?:"
    r"(?:ул\.|улица|пр\.|пр-т|проспект|пер\.|переулок|бульвар|б-р|мкр\.?|микрорайон)"
    rf"\s*[{_UPPER}\d][^,;\n]{{0,40}}"
    r"|"
    rf"[{_UPPER}][^\W\d_]*(?:\s[{_UPPER}][^\W\d_]*)?\s(?:көшесі|к-сі|даңғылы|даңғ\.|шағын\s?ауданы|ш/а)"
    r"|"
    rf"(?:{_HOUSE}\s)?[{_UPPER}][^\W\d_]*\s(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Lane|Boulevard)"
    r")"
    # What follows the street: house, building and flat, in any of the languages.
    rf"(?:,?\s*(?:д\.|дом|корп\.|кв\.|квартира|үй|пәтер|apt\.?|flat|house)?\s*{_HOUSE}"
    r"(?:-?(?:үй|пәтер))?)*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "identifier", "phone", "email", "name", "address"
    text: str  # what was in the text
    start: int
    end: int


@dataclass
class Redacted:
    text: str
    findings: list[Finding] = field(default_factory=list)


def _marks() -> dict[str, str]:
    """What stands in the place of each kind, in the reader's language."""
    return {
        "identifier": gettext("[IIN/BIN]"),
        "phone": gettext("[phone]"),
        "email": gettext("[e-mail]"),
        "name": gettext("[name]"),
        "address": gettext("[address]"),
    }


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Each word of each known name (three letters or more), with its case endings and the
    initials written before or after it: "Сейтқали Ә. Ғ.", "Ә.Ғ. Сейтқалиға", "Ivanova"."""
    words = set()
    for name in names:
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", name or ""):
            if len(word) >= 3:
                stem = word[:-1] if word[-1].lower() in _CHANGING and len(word) > 3 else word
                words.add(stem)
    patterns = []
    for stem in sorted(words, key=len, reverse=True):
        patterns.append(
            re.compile(
                rf"(?<!\w)(?:{_INITIALS}\s*)?{re.escape(stem)}{_ENDING}(?!\w)(?:\s*{_INITIALS})?",
                re.IGNORECASE,
            )
        )
    return patterns


def _address_patterns(addresses: Iterable[str]) -> list[re.Pattern[str]]:
    """An address the record holds, as written, with any spacing."""
    patterns = []
    for address in addresses:
        parts = (address or "").split()
        if parts:
            patterns.append(re.compile(r"\s+".join(map(re.escape, parts)), re.IGNORECASE))
    return patterns


def redact(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> Redacted:
    """`text` without the personal data in it, and what was taken out (in order of place)."""
    detectors: list[tuple[str, re.Pattern[str]]] = [
        ("email", _EMAIL),
        ("identifier", _IDENTIFIER),
        ("phone", _PHONE),
        *(("address", p) for p in _address_patterns(addresses)),
        ("address", _ADDRESS),
        *(("name", p) for p in _name_patterns(names)),
    ]
    found: list[Finding] = []
    for kind, pattern in detectors:
        for match in pattern.finditer(text):
            # Trailing spaces and commas are the sentence's, not the finding's.
            value = match.group().rstrip(" ,;")
            if value:
                found.append(Finding(kind, value, match.start(), match.start() + len(value)))
    # Where findings overlap, the one that starts first (the longer if both start together) wins:
    # "ул. Абая, д. 5" is one address, not an address and a name Абай.
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        previous = kept[-1] if kept else None
        # "John Smith" is one name in the preview and one mark in the text, not two.
        if (
            previous
            and previous.kind == finding.kind
            and not text[previous.end : finding.start].strip()
        ):
            kept[-1] = Finding(
                finding.kind, text[previous.start : finding.end], previous.start, finding.end
            )
            continue
        kept.append(finding)
    marks = _marks()
    pieces, position = [], 0
    for finding in kept:
        pieces += [text[position : finding.start], marks[finding.kind]]
        position = finding.end
    pieces.append(text[position:])
    return Redacted("".join(pieces), kept)
