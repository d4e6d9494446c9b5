"""`{{ term.legal_basis|article }}`: the article a term or a refusal cites, as the reader's
language cites it (prosecution/lib/articles.py): "Art. 24(3)", "п. 3 ст. 24", "24-баптың
3-тармағы"."""

from django import template

from prosecution.lib.articles import article_in_words, article_label

register = template.Library()


@register.filter
def article(code: str) -> str:
    return article_label(code)


@register.filter
def article_words(code: str) -> str:
    """The article with the law named in full, for an official document."""
    return article_in_words(code)
