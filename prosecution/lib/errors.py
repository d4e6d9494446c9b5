"""One domain error type: services raise it, pages and the API turn it into one shape."""


class RuleViolation(Exception):
    """An action the law (or a rule of the system) does not allow. `article` cites the source."""

    def __init__(self, message: str, *, article: str = "", code: str = "rule_violation"):
        super().__init__(message)
        self.message = message
        self.article = article
        self.code = code
