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

from django.utils.translation import gettext, pgettext

# "Art. 24", "Art. 24(4)": an article of the law on the prosecutor's office, with its paragraph.
_ARTICLE = re.compile(r"Art\. (?P<number>\d+)(?:\((?P<paragraph>\d+)\))?")


def article_label(code: str) -> str:
    """`code` as the active language cites it. Any other citation (a set of rules, an article of
    another law) is a msgid of its own, marked where it is defined, and is translated as it is."""
    if not code:
        return ""
    match = _ARTICLE.fullmatch(code)
    if match is None:
        return gettext(code)
    if match["paragraph"] is None:
        return pgettext("article reference", "Art. %(number)s") % {"number": match["number"]}
    return pgettext("article reference", "Art. %(number)s(%(paragraph)s)") % {
        "number": match["number"],
        "paragraph": match["paragraph"],
    }


def article_in_words(code: str) -> str:
    """`code` written out as an official document cites it, the law named in full in the active
    language: "paragraph 3 of Article 33 of the Constitutional Law of the Republic of Kazakhstan
    «On the Prosecutor's Office»" (docs/sources.md, seed 003). A citation of another law is
    translated as it is, as by `article_label`."""
    if not code:
        return ""
    match = _ARTICLE.fullmatch(code)
    if match is None:
        return gettext(code)
    if match["paragraph"] is None:
        return pgettext(
            "article in words",
            "Article %(number)s of the Constitutional Law of the Republic of Kazakhstan "
            "«On the Prosecutor's Office»",
        ) % {"number": match["number"]}
    return pgettext(
        "article in words",
        "paragraph %(paragraph)s of Article %(number)s of the Constitutional Law of the Republic "
        "of Kazakhstan «On the Prosecutor's Office»",
    ) % {"number": match["number"], "paragraph": match["paragraph"]}
