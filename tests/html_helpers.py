"""Reading rendered pages in tests: the ids a page gives twice, where each label points, and which
fields are marked required."""

from collections import Counter
from html.parser import HTMLParser

_FIELDS = {"input", "select", "textarea"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []
        self.marked: set[str] = set()  # the ids of fields whose label has the class "required"
        self.required: set[str] = set()  # the ids of fields with the attribute `required`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[found["id"] or ""] += 1
        if tag == "label" and found.get("for"):
            self.label_targets.append(found["for"] or "")
            if "required" in (found.get("class") or "").split():
                self.marked.add(found["for"] or "")
        told = "required" in found or found.get("aria-required") == "true"
        if tag in _FIELDS and told and found.get("id"):
            self.required.add(found["id"] or "")


def _read(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def repeated_ids(html: str) -> dict[str, int]:
    """Each id the page gives more than once, with how often (a label can point to one only)."""
    return {name: count for name, count in _read(html).ids.items() if count > 1}


def labels_without_field(html: str) -> list[str]:
    """The `for` of each label that names no element of the page."""
    page = _read(html)
    return [target for target in page.label_targets if target not in page.ids]


def required_fields(html: str) -> tuple[set[str], set[str]]:
    """The ids of the fields whose label is marked required, and of those the browser is told are
    (`required` or aria-required, which assistive technology announces)."""
    page = _read(html)
    return page.marked, page.required
