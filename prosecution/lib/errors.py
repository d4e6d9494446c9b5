"""One domain error type: services raise it, pages and the API turn it into one shape."""


class RuleViolation(Exception):
    """An action the law (or a rule of the system) does not allow. `article` cites the source."""

    def __init__(self, message: str, *, article: str = "", code: str = "rule_violation"):
        super().__init__(message)
        self.message = message
        self.article = article
        self.code = code


def error_shape(code: str, message: str, **extra) -> dict:
    """The API's one error shape: {"error": {"code", "message", "article"?, "fields"?}}."""
    return {"error": {"code": code, "message": str(message), **extra}}


def is_api(request) -> bool:
    """Under /api/ a client gets the error shape; elsewhere a person gets a page."""
    return request.path.startswith("/api/")
