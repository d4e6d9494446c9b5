"""The gettext catalogues (locale/*/LC_MESSAGES/django.po) and their committed .mo files.

Kazakh (the state language) and Russian are translated in full; English falls back to the
msgids, which are English already. No database is needed.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = ["kk", "ru"]
ALL_LANGUAGES = ["kk", "ru", "en"]

PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "en": "nplurals=2; plural=(n != 1);",
}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


# --- a small .po reader (stdlib only) -------------------------------------------------------


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index -> text; 0 if singular
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def catalog_items(self):
        """What GNUTranslations._catalog holds for this entry."""
        key = self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"
        if self.msgid_plural is None:
            yield key, self.msgstr[0]
        else:
            for index, text in self.msgstr.items():
                yield (key, index), text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")

    def escape(match: re.Match) -> str:
        try:
            return _ESCAPES[match.group(1)]
        except KeyError:
            raise ValueError(f"{where}: unknown escape \\{match.group(1)}") from None

    return re.sub(r"\\(.)", escape, token[1:-1])


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # which field a continuation line extends

    def finish():
        nonlocal entry, target
        if entry is not None and (entry.msgstr or entry.msgid_plural is not None or entry.msgid):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            finish()
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line outside an entry")
            name, index = target
            text = _unquote(line, where)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{where}: cannot parse {raw!r}")
        keyword, index, token = match.groups()
        text = _unquote(token, where)
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index or 0))
            entry.msgstr[target[1]] = text
        else:
            if keyword == "msgid" and (entry.msgstr or entry.msgid):
                raise ValueError(f"{where}: msgid without a blank line before it")
            target = (keyword, 0)
            setattr(entry, keyword, text)
    finish()
    return [e for e in entries if not e.obsolete]


def parse_header(entry: Entry) -> dict[str, str]:
    fields = {}
    for line in entry.msgstr[0].splitlines():
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name.strip()] = value.strip()
    return fields


def messages(language: str) -> list[Entry]:
    return [e for e in parse_po(po_path(language)) if not e.is_header]


# --- (1) complete, not fuzzy, proper headers -------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = messages(language)
    assert len(entries) > 100, "the catalogue looks truncated"
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], f"{language}: untranslated messages"
    assert fuzzy == [], f"{language}: fuzzy messages"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_entries_have_every_form(language):
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[language]).group(1))
    for entry in messages(language):
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_header_is_final_and_names_the_language(language):
    header = next(e for e in parse_po(po_path(language)) if e.is_header)
    assert "fuzzy" not in header.flags
    fields = parse_header(header)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Content-Transfer-Encoding"] == "8bit"
    assert fields["Plural-Forms"] == PLURAL_FORMS[language]
    assert "PACKAGE" not in fields["Project-Id-Version"]
    assert "YEAR" not in fields["PO-Revision-Date"]


def test_the_english_catalogue_falls_back_to_the_msgids():
    """The msgids are English: an empty msgstr makes gettext return the msgid itself."""
    entries = messages("en")
    assert {e.msgid for e in entries} == {e.msgid for e in messages("kk")}
    assert all(not any(e.msgstr.values()) for e in entries)


def test_all_languages_have_the_same_msgids():
    ids = {lang: {(e.msgctxt, e.msgid) for e in messages(lang)} for lang in ALL_LANGUAGES}
    assert ids["kk"] == ids["ru"] == ids["en"]


# --- (2) the committed .mo files match their .po ---------------------------------------------


def read_mo(path: Path) -> dict:
    with path.open("rb") as fp:
        return dict(gettext.GNUTranslations(fp)._catalog)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_committed_mo_holds_exactly_what_the_po_says(language):
    """Needs no msgfmt: the translations read from the .po by the parser above."""
    assert mo_path(language).exists(), f"run `manage.py compilemessages` for {language}"
    expected, header = {}, {}
    for entry in parse_po(po_path(language)):
        if entry.is_header:
            header = parse_header(entry)
            continue
        if "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy messages out
        for key, text in entry.catalog_items():
            if text:  # and untranslated ones
                expected[key] = text
    committed = read_mo(mo_path(language))
    committed_header = parse_header(Entry(line=0, msgstr={0: committed.pop("", "")}))
    assert committed == expected, f"{mo_path(language)} is stale: run `manage.py compilemessages`"
    header.pop("POT-Creation-Date", None)  # msgfmt drops it
    assert committed_header == header


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_committed_mo_equals_a_fresh_msgfmt_build(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip(
            "GNU msgfmt is not installed (Debian package `gettext`): cannot rebuild the .po "
            "to compare it with the committed .mo"
        )
    fresh = tmp_path / "django.mo"
    built = subprocess.run(
        [msgfmt, "--check-format", "-o", str(fresh), str(po_path(language))],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, f"msgfmt rejects {po_path(language)}:\n{built.stderr}"
    assert read_mo(mo_path(language)) == read_mo(fresh), (
        f"{mo_path(language)} is stale: run `manage.py compilemessages`"
    )


# --- (3) Django really serves the translations -----------------------------------------------

KEY_STRINGS = ["My work", "Personal reception", "File an appeal", "Staff sign-in"]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("msgid", KEY_STRINGS)
def test_key_strings_are_translated_at_run_time(language, msgid):
    with translation.override(language):
        translated = translation.gettext(msgid)
    assert translated and translated != msgid


@pytest.mark.parametrize("msgid", KEY_STRINGS)
def test_english_shows_the_msgid(msgid):
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("kk", "General Prosecutor's Office", "Бас прокуратура"),
        ("kk", "Personal reception", "Жеке қабылдау"),
        ("kk", "class rank", "сыныптық шен"),
        (
            "kk",
            "Committee on Legal Statistics and Special Accounts",
            "Құқықтық статистика және арнайы есепке алу жөніндегі комитет",
        ),
        ("ru", "General Prosecutor's Office", "Генеральная прокуратура"),
        ("ru", "Personal reception", "Личный приём"),
        ("ru", "class rank", "классный чин"),
        ("ru", "File an appeal", "Подать обращение"),
    ],
)
def test_official_terminology(language, msgid, expected):
    with translation.override(language):
        assert translation.gettext(msgid) == expected


# --- (4) placeholders survive translation ----------------------------------------------------

NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> set[str]:
    """Whole placeholders, conversion included: "%(years)s" and "%(years)d" differ."""
    return {match.group(0) for match in NAMED_PLACEHOLDER.finditer(text)}


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept(language):
    checked = 0
    for entry in messages(language):
        wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in entry.msgstr.values():
            assert placeholders(text) == wanted, (language, entry.msgid, text)
            if wanted:
                source = entry.msgid + (entry.msgid_plural or "")
                names = {name: "1" for name in NAMED_PLACEHOLDER.findall(source)}
                assert text % names  # a malformed "%(years)" would raise here
                checked += 1
    assert checked >= 1, "expected at least the %(years)s message"


def test_the_parser_reads_escapes_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: kk\\n"\n\n'
        "#, fuzzy, python-format\n"
        'msgid ""\n"a \\"b\\" "\n"%(n)s"\nmsgstr "x"\n\n'
        '#~ msgid "old"\n#~ msgstr "ескі"\n',
        encoding="utf-8",
    )
    header, entry = parse_po(po)
    assert parse_header(header) == {"Language": "kk"}
    assert entry.msgid == 'a "b" %(n)s'
    assert entry.flags == {"fuzzy", "python-format"}
