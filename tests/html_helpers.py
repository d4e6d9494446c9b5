"""Reading rendered pages in tests: the ids a page gives twice, and where each label points."""

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[found["id"] or ""] += 1
        if tag == "label" and found.get("for"):
            self.label_targets.append(found["for"] or "")


def repeated_ids(html: str) -> dict[str, int]:
    """Each id the page gives more than once, with how often (a label can point to one only)."""
    parser = _Ids()
    parser.feed(html)
    return {name: count for name, count in parser.ids.items() if count > 1}


def labels_without_field(html: str) -> list[str]:
    """The `for` of each label that names no element of the page."""
    parser = _Ids()
    parser.feed(html)
    return [target for target in parser.label_targets if target not in parser.ids]
