"""One domain error type: services raise it, pages and the API turn it into one shape."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext

from prosecution.lib.articles import article_label


class RuleViolation(Exception):
    """An action the law (or a rule of the system) does not allow. `article` cites the source as
    a language-neutral key ("Art. 24(4)"); `message` is already in the reader's language (every
    raise passes it through gettext: tests/prosecution/test_messages_translated.py). `field`
    names the input at fault when a value, not the record's state, breaks the rule (a date
    before the appeal's receipt): the API answers it as invalid input, 400 with the field."""

    def __init__(
        self, message: str, *, article: str = "", code: str = "rule_violation", field: str = ""
    ):
        super().__init__(message)
        self.message = message
        self.article = article
        self.code = code
        self.field = field

    @property
    def article_label(self) -> str:
        """The article as the reader's language cites it ("п. 4 ст. 24", "24-баптың 4-тармағы")."""
        return article_label(self.article)

    def with_article(self) -> str:
        """The message and, in brackets, the article it enforces, for a page. A message that
        cites the article in its sentence already is not followed by it again."""
        label = self.article_label
        if not label or label in self.message:
            return self.message
        return gettext("%(message)s (%(article)s)") % {"message": self.message, "article": label}


def error_shape(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The API's one error shape: {"error": {"code", "message", "article"?, "fields"?}}."""
    return {"error": {"code": code, "message": str(message), **extra}}


def is_api(request: HttpRequest) -> bool:
    """Under /api/ a client gets the error shape; elsewhere a person gets a page."""
    return bool(request.path.startswith("/api/"))
