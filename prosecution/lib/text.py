"""Characters nobody sees, taken out of what people type and of what the system shows
(docs/security.md 26; issue 14).

Bidirectional controls reorder what follows them: a name "O'Brien" + U+202E (right-to-left
override) + "gnp.exe" showed as "O'Brienexe.png" on staff pages, and U+202E in an answer reversed
a line of the answer letter's PDF. Zero-width and other format characters make two names that
look the same compare different (a search, a duplicate check), and C0/C1 control characters have
no place in any text of this system. Kazakh, Russian and English text needs none of them.

- `clean_line`: a name or any single-line field: the invisible characters are removed and every
  line break or tab becomes one space.
- `clean_text`: a text of several lines (an appeal, an answer, a matter): the invisible characters
  are removed, line breaks and tabs are kept.
- `neutralise`: what is shown (a page, a PDF), whatever was stored before these rules: the
  invisible characters are removed.

Where: every value of a query string, a form and an API body is cleaned with `clean_text` at the
door (prosecution/lib/input_guard.py, prosecution/api/parsers.py), passwords excepted; the
services make names single-line (`clean_line`); every HTML page and every PDF is neutralised on
the way out.
"""

from __future__ import annotations

import re

# Cf (format) characters that occur in text, and C0/C1 controls other than tab and line breaks:
#   U+00AD soft hyphen, U+061C Arabic letter mark, U+180E Mongolian vowel separator,
#   U+200B-U+200F zero-width space, non-joiner, joiner, LRM, RLM,
#   U+202A-U+202E LRE, RLE, PDF, LRO, RLO, U+2060-U+2064 word joiner and invisible operators,
#   U+2066-U+2069 LRI, RLI, FSI, PDI, U+206A-U+206F deprecated format controls,
#   U+FEFF byte order mark, U+FFF9-U+FFFB interlinear annotation, U+E0000-U+E007F tags.
_INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_BREAKS = re.compile(r"\s*[\t\n\r\u2028\u2029]\s*")


def has_invisible(value: str) -> bool:
    return _INVISIBLE_RE.search(value) is not None


def neutralise(value: str) -> str:
    """`value` without the invisible characters."""
    return _INVISIBLE_RE.sub("", value)


def clean_text(value: str) -> str:
    """A text of several lines: the invisible characters removed; U+2028 and U+2029 (line and
    paragraph separators) become line breaks."""
    return neutralise(value).replace("\u2028", "\n").replace("\u2029", "\n")


def clean_line(value: str) -> str:
    """A single line: the invisible characters removed, line breaks and tabs made one space,
    the ends stripped."""
    return _BREAKS.sub(" ", neutralise(value)).strip()
