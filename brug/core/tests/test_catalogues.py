"""The Dutch and English message catalogues are complete, correct and compiled.

Brug speaks Dutch by default and English on request, so every string that
``makemessages`` extracts must have a translation in both catalogues, keep the
placeholders and markup of its msgid, and be in the compiled ``.mo`` files
(they are committed, so a fresh checkout runs without GNU gettext).

Running ``makemessages`` itself in a test would need GNU gettext and rewrite
files, so ``test_every_translatable_string_in_the_code_is_in_the_catalogue``
does a lighter check instead: it collects the literal msgids the way
``makemessages`` would (Python through ``ast``: ``gettext``/``_``/``pgettext``/
``ngettext`` and their lazy forms; templates through regular expressions for
``{% translate %}``, ``{% blocktranslate %}`` and ``_("…")``) and asserts each
is in the catalogue. It misses strings only in shapes it does not parse, so a
catalogue that passes it may still lack a rare one, never the other way round.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

import brug

BRUG_DIR = Path(brug.__file__).parent
LOCALE_DIR = BRUG_DIR / "locale"
LANGUAGES = ("nl", "en")

# ---------------------------------------------------------------------------
# A small PO reader (polib is not a dependency of Brug).


class Entry:
    def __init__(self) -> None:
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr = ""
        self.msgstr_plural: dict[int, str] = {}
        self.flags: set[str] = set()
        self.line = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural.get(i, "") for i in range(2)]
        return [self.msgstr]

    def __repr__(self) -> str:
        return f"<line {self.line}: {self.msgid!r}>"


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """Return the header entry and the (non-obsolete) entries of a PO file."""
    entries: list[Entry] = []
    current: Entry | None = None
    field: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def start(lineno: int) -> Entry:
        nonlocal pending_flags
        entry = Entry()
        entry.flags = pending_flags
        entry.line = lineno
        pending_flags = set()
        entries.append(entry)
        return entry

    def append(entry: Entry, target: tuple[str, int | None], text: str) -> None:
        name, index = target
        if name == "msgstr_plural":
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current, field = None, None
            continue
        if line.startswith("#~"):
            continue  # obsolete entries are not used
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, text = match.groups()
            if current is None:  # entries are separated by blank lines
                current = start(lineno)
            if keyword == "msgstr" and index is not None:
                field = ("msgstr_plural", int(index))
                current.msgstr_plural.setdefault(int(index), "")
            else:
                field = (keyword, None)
                if keyword in ("msgid_plural", "msgctxt"):
                    setattr(current, keyword, getattr(current, keyword) or "")
            append(current, field, _unquote(text))
            continue
        if line.startswith('"'):
            assert current is not None and field is not None, f"{path}:{lineno}: stray string"
            append(current, field, _unquote(line))
            continue
        raise AssertionError(f"{path}:{lineno}: cannot read {raw!r}")
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    return header, [entry for entry in entries if entry is not header]


def catalogue(language: str) -> tuple[Entry, list[Entry]]:
    return read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")


# ---------------------------------------------------------------------------
# Placeholders and markup.

_NAMED = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_POSITIONAL = re.compile(r"%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_BRACES = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"<[^>]+>")


def placeholders(text: str) -> tuple[set[str], list[str], set[str]]:
    """Return the named %-placeholders, the positional ones (in order) and the
    {brace} fields of a message; ``%%`` is a literal percent sign."""
    text = text.replace("%%", "")
    named = set(_NAMED.findall(text))
    positional = _POSITIONAL.findall(_NAMED.sub("", text))
    braces = set(_BRACES.findall(text))
    return named, positional, braces


def placeholder_problems(entry: Entry) -> list[str]:
    problems = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    allowed_named = set().union(*(placeholders(source)[0] for source in sources))
    last = sources[-1]
    want_named, want_positional, want_braces = placeholders(last)
    want_tags = Counter(_TAG.findall(entry.msgid))
    for index, text in enumerate(entry.translations()):
        named, positional, braces = placeholders(text)
        if named - allowed_named:
            problems.append(
                f"{entry!r} msgstr[{index}] has unknown placeholders {named - allowed_named}"
            )
        # The singular of a plural may leave the count out ("once"); every other
        # form must keep every placeholder.
        if (entry.msgid_plural is None or index == 1) and named != want_named:
            problems.append(f"{entry!r} msgstr[{index}] placeholders {named} != {want_named}")
        if positional != want_positional:
            problems.append(
                f"{entry!r} msgstr[{index}] positional {positional} != {want_positional}"
            )
        if braces != want_braces:
            problems.append(f"{entry!r} msgstr[{index}] fields {braces} != {want_braces}")
        if Counter(_TAG.findall(text)) != want_tags:
            problems.append(f"{entry!r} msgstr[{index}] markup differs from the msgid")
    return problems


# ---------------------------------------------------------------------------
# The catalogues themselves.


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_with_its_language_and_plural_forms(language):
    header, entries = catalogue(language)
    metadata = dict(line.split(": ", 1) for line in header.msgstr.splitlines() if ": " in line)
    assert metadata["Language"] == language
    assert metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in metadata["Content-Type"]
    assert "fuzzy" not in header.flags
    assert len(entries) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_has_a_translation_and_none_is_fuzzy(language):
    _header, entries = catalogue(language)
    untranslated = [entry for entry in entries if not all(entry.translations())]
    fuzzy = [entry for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_and_markup_of_its_msgid(language):
    _header, entries = catalogue(language)
    problems = [problem for entry in entries for problem in placeholder_problems(entry)]
    assert problems == []


def test_both_catalogues_hold_the_same_msgids():
    _nl_header, nl = catalogue("nl")
    _en_header, en = catalogue("en")
    assert {entry.key for entry in nl} == {entry.key for entry in en}


def test_dutch_catalogue_is_really_dutch():
    """A catalogue filled by copying the msgids would pass the checks above."""
    _header, entries = catalogue("nl")
    same = [
        entry
        for entry in entries
        if entry.translations() == [entry.msgid, entry.msgid_plural][: len(entry.translations())]
    ]
    # Names, loanwords and codes ("Team", "Status", "E-mail") read the same.
    assert len(same) < len(entries) * 0.1, same


def test_placeholder_check_catches_a_broken_translation():
    entry = Entry()
    entry.msgid = "Hello %(name)s, <b>%(count)d</b> new"
    entry.msgstr = "Hoi %(naam)s, %(count)d nieuw"
    problems = placeholder_problems(entry)
    assert any("unknown placeholders" in problem for problem in problems)
    assert any("markup" in problem for problem in problems)


def test_po_reader_reads_context_plurals_continuations_and_flags(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "ctx"\nmsgid ""\n"a \\"b\\"\\n"\n"c"\nmsgstr "d"\n\n'
        'msgid "%(n)s x"\nmsgid_plural "%(n)s xs"\nmsgstr[0] "%(n)s y"\nmsgstr[1] ""\n"%(n)s ys"\n\n'
        '#~ msgid "old"\n#~ msgstr "oud"\n',
        encoding="utf-8",
    )
    header, entries = read_po(po)
    assert header.msgstr == "Language: nl\n"
    first, second = entries
    assert (first.msgctxt, first.msgid, first.msgstr) == ("ctx", 'a "b"\nc', "d")
    assert first.flags == {"fuzzy", "python-format"}
    assert second.msgid_plural == "%(n)s xs"
    assert second.translations() == ["%(n)s y", "%(n)s ys"]


# ---------------------------------------------------------------------------
# The compiled catalogues.


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    _header, entries = catalogue(language)
    mo_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as handle:
        mo = gnu_gettext.GNUTranslations(handle)
    wrong = []
    expected_keys = set()
    for entry in entries:
        prefix = f"{entry.msgctxt}\x04" if entry.msgctxt is not None else ""
        if entry.msgid_plural is not None:
            for index, text in enumerate(entry.translations()):
                expected_keys.add((prefix + entry.msgid, index))
                if mo._catalog.get((prefix + entry.msgid, index)) != text:
                    wrong.append(entry)
        else:
            expected_keys.add(prefix + entry.msgid)
            if mo._catalog.get(prefix + entry.msgid) != entry.msgstr:
                wrong.append(entry)
    assert wrong == [], "run `brug compilemessages` after editing the .po files"
    assert set(mo._catalog) - {""} == expected_keys
    assert mo.plural(1) == 0 and mo.plural(2) == 1 and mo.plural(0) == 1


# ---------------------------------------------------------------------------
# Every literal msgid in the code is in the catalogue.

_SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ugettext", "ugettext_lazy"}
_PLURAL = {"ngettext", "ngettext_lazy"}
_CONTEXT = {"pgettext", "pgettext_lazy"}
_CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


def _source_files(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        path
        for path in BRUG_DIR.rglob("*")
        if path.suffix in suffixes
        and path.is_file()
        and not {"tests", "migrations", "__pycache__", "static"}
        & set(path.relative_to(BRUG_DIR).parts)
    )


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_msgids(path: Path) -> list[tuple[str | None, str, str | None]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        args = [_literal(arg) for arg in node.args]
        if name in _SINGULAR and args[:1] and args[0] is not None:
            found.append((None, args[0], None))
        elif name in _PLURAL and len(args) >= 2 and None not in args[:2]:
            found.append((None, args[0], args[1]))
        elif name in _CONTEXT and len(args) >= 2 and None not in args[:2]:
            found.append((args[0], args[1], None))
        elif name in _CONTEXT_PLURAL and len(args) >= 3 and None not in args[:3]:
            found.append((args[0], args[1], args[2]))
    return found


_STRING = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_TRANSLATE = re.compile(r"{%\s*(?:translate|trans)\s+(" + _STRING + r")(.*?)%}", re.S)
_CONTEXT_OPTION = re.compile(r"\bcontext\s+(" + _STRING + ")")
_BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b(.*?)%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
_UNDERSCORE = re.compile(r"\b_\((" + _STRING + r")\)")
_COMMENTS = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
_VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")


def _template_string(quoted: str) -> str:
    return quoted[1:-1]


def _block_text(text: str, trimmed: bool) -> str:
    text = _VARIABLE.sub(lambda m: "%(" + m.group(1) + ")s", text.replace("%", "%%"))
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def template_msgids(path: Path) -> list[tuple[str | None, str, str | None]]:
    source = _COMMENTS.sub("", path.read_text(encoding="utf-8"))
    found = []
    for match in _TRANSLATE.finditer(source):
        context = _CONTEXT_OPTION.search(match.group(2))
        msgid = _template_string(match.group(1)).replace("%", "%%")
        found.append((_template_string(context.group(1)) if context else None, msgid, None))
    for match in _BLOCK.finditer(source):
        options, body = match.groups()
        context = _CONTEXT_OPTION.search(options)
        trimmed = re.search(r"\btrimmed\b", options) is not None
        singular, *plural = re.split(r"{%\s*plural\s*%}", body, maxsplit=1)
        found.append(
            (
                _template_string(context.group(1)) if context else None,
                _block_text(singular, trimmed),
                _block_text(plural[0], trimmed) if plural else None,
            )
        )
    for match in _UNDERSCORE.finditer(source):
        found.append((None, _template_string(match.group(1)).replace("%", "%%"), None))
    return found


def test_every_translatable_string_in_the_code_is_in_the_catalogue():
    _header, entries = catalogue("nl")
    known = {entry.key: entry for entry in entries}
    missing = []
    seen = 0
    for path in _source_files((".py",)):
        for context, msgid, plural in python_msgids(path):
            seen += 1
            entry = known.get((context, msgid))
            if entry is None or entry.msgid_plural != plural:
                missing.append((str(path.relative_to(BRUG_DIR)), context, msgid))
    for path in _source_files((".html", ".txt")):
        for context, msgid, plural in template_msgids(path):
            seen += 1
            entry = known.get((context, msgid))
            if entry is None or entry.msgid_plural != plural:
                missing.append((str(path.relative_to(BRUG_DIR)), context, msgid))
    assert seen > 100
    assert missing == [], "run `brug makemessages -l nl -l en` and translate the new strings"


def test_template_scanner_reads_the_forms_makemessages_reads(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% translate "Plain" %} {% translate \'Single\' context "ctx" %} {% translate "50%" %}\n'
        "{% blocktranslate with name=x.y trimmed %}\n  Hello {{ name }},\n  welcome\n{% endblocktranslate %}\n"
        "{% blocktranslate count counter=n %}{{ counter }} post{% plural %}{{ counter }} posts{% endblocktranslate %}\n"
        '{% comment %}{% translate "Hidden" %}{% endcomment %}{{ x|default:_("Fallback") }}',
        encoding="utf-8",
    )
    assert template_msgids(page) == [
        (None, "Plain", None),
        ("ctx", "Single", None),
        (None, "50%%", None),
        (None, "Hello %(name)s, welcome", None),
        (None, "%(counter)s post", "%(counter)s posts"),
        (None, "Fallback", None),
    ]


# ---------------------------------------------------------------------------
# The catalogues are used.


@pytest.mark.django_db
def test_sign_in_page_speaks_dutch_by_default_and_english_after_switching(client, settings):
    settings.LANGUAGE_CODE = "nl"
    login = reverse("people:login")
    dutch = client.get(login)
    assert dutch.status_code == 200
    assert re.search(r"<title>\s*Inloggen", dutch.text)
    assert "Welkom terug" in dutch.text

    switched = client.post(reverse("people:language"), {"language": "en", "next": login})
    assert switched.status_code == 302
    english = client.get(login)
    assert re.search(r"<title>\s*Sign in", english.text)
    assert "Welcome back" in english.text
    assert "Welkom terug" not in english.text


def test_python_strings_are_translated_through_the_compiled_catalogue():
    with translation.override("nl"):
        assert translation.gettext("Sign in") == "Inloggen"
        assert (
            translation.ngettext("%(counter)s member", "%(counter)s members", 3) % {"counter": 3}
            == "3 leden"
        )
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]
