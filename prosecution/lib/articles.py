"""An article of the law as the reader's language cites it.

The code cites the statute by a language-neutral key, "Art. 24(4)" (docs/rules.md: "Art." with no
law named is an article of the Constitutional Law "On the Prosecutor's Office"): it is stored on
the terms (Term.legal_basis), carried by RuleViolation.article, and compared in tests. A person
reads it in their language: "Art. 24(4)" in English, "п. 4 ст. 24" in Russian, "24-баптың
4-тармағы" in Kazakh. The patterns are translations (context "article reference"), so the order of
article and paragraph is the translator's.

Inside a sentence, the messages put the reference where its case does not change: in Russian the
abbreviations "п." and "ст." do not decline; in Kazakh the nominative stands before "бойынша"
("under") or as a subject.
"""

import re
from collections.abc import Callable

from django.utils.translation import gettext, pgettext

# "Art. 24", "Art. 24(4)", "Art. 32(1)(3)": an article of the law on the prosecutor's office, with
# its paragraph and subparagraph.
_ARTICLE = re.compile(r"Art\. (?P<number>\d+)(?:\((?P<paragraph>\d+)\)(?:\((?P<sub>\d+)\))?)?")


def _cited(code: str, forms: tuple[Callable[[], str], ...]) -> str:
    """`code` in the form for its depth (article, paragraph, subparagraph); any other citation (a
    set of rules, an article of another law) is a msgid of its own, marked where it is defined,
    and is translated as it is."""
    match = _ARTICLE.fullmatch(code or "")
    if match is None:
        return gettext(code) if code else ""
    depth = 2 if match["sub"] else 1 if match["paragraph"] else 0
    return forms[depth]() % {k: v for k, v in match.groupdict().items() if v}


def article_label(code: str) -> str:
    """`code` as the active language cites it: "Art. 24(4)", "п. 4 ст. 24", "24-баптың
    4-тармағы"."""
    return _cited(
        code,
        (
            lambda: pgettext("article reference", "Art. %(number)s"),
            lambda: pgettext("article reference", "Art. %(number)s(%(paragraph)s)"),
            lambda: pgettext("article reference", "Art. %(number)s(%(paragraph)s)(%(sub)s)"),
        ),
    )


def article_in_words(code: str) -> str:
    """`code` written out as an official document cites it, the law named in full in the active
    language: "paragraph 3 of Article 33 of the Constitutional Law of the Republic of Kazakhstan
    «On the Prosecutor's Office»" (docs/sources.md, seed 003)."""
    return _cited(
        code,
        (
            lambda: pgettext(
                "article in words",
                "Article %(number)s of the Constitutional Law of the Republic of Kazakhstan "
                "«On the Prosecutor's Office»",
            ),
            lambda: pgettext(
                "article in words",
                "paragraph %(paragraph)s of Article %(number)s of the Constitutional Law of the "
                "Republic of Kazakhstan «On the Prosecutor's Office»",
            ),
            lambda: pgettext(
                "article in words",
                "subparagraph %(sub)s of paragraph %(paragraph)s of Article %(number)s of the "
                "Constitutional Law of the Republic of Kazakhstan «On the Prosecutor's Office»",
            ),
        ),
    )
