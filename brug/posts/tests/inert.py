"""Check that HTML holds nothing that could run: parse it like a browser would."""

from html.parser import HTMLParser

FORBIDDEN_TAGS = {"script", "svg", "img", "iframe", "style", "object", "embed", "math", "form"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "?")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            is_url = name in {"href", "src", "action", "formaction"} and value is not None
            if is_url and not value.strip().lower().startswith(SAFE_SCHEMES):
                self.problems.append(f"{tag}[{name}={value}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")


def problems(html: str, *, allow: frozenset = frozenset()) -> list[str]:
    """Return what in ``html`` could run code (elements or attributes)."""
    collector = _Collector()
    collector.feed(html)
    return [p for p in collector.problems if p.strip("<>") not in allow]


def assert_inert(html: str) -> None:
    found = problems(html)
    assert not found, f"active content in user HTML: {found}"
