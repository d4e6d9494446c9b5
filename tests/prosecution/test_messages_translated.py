"""Every message a person reads goes through gettext, in Kazakh, Russian and English (issue 12;
docs/style.md "Translations from the start"), the timer engine's refusals included.

Two halves:
- the source, read with `ast`: every RuleViolation raised in prosecution/, appeals/,
  legal_statistics/ (and the apps beside them) gets its message from a gettext call, directly or
  through a name bound to one; ValidationError, Http404 and PermissionDenied carry no literal or
  f-string message; every msgid so used has a Kazakh and a Russian translation and an English
  entry; every article the code cites reads in each language as that language cites it;
- behaviour: an engine refusal read through the API with Accept-Language ru / kk / en comes back
  in that language, the article too, and the staff page shows it in the page's language.
"""

import ast
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from prosecution.lib.articles import article_label
from prosecution.lib.errors import RuleViolation
from tests.prosecution.test_translations import messages

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["prosecution", "appeals", "legal_statistics", "acts", "supervision"]

# The functions of django.utils.translation that mark a msgid, and where the msgid is.
GETTEXT = {
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}
# Errors whose message a person reads (a page, the API's error shape).
SHOWN = {"ValidationError", "Http404", "PermissionDenied"}


@dataclass
class Module:
    path: str
    tree: ast.Module
    gettext: dict[str, str]  # local name -> function of django.utils.translation
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def __post_init__(self):
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def function_of(self, node: ast.AST):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def class_of(self, node: ast.AST):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.ClassDef):
                return node
        return None


def parse(path: str, source: str) -> Module:
    tree = ast.parse(source)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                if name.name in GETTEXT:
                    aliases[name.asname or name.name] = name.name
    return Module(path, tree, aliases)


def source_modules() -> list[Module]:
    modules = []
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            relative = str(path.relative_to(ROOT))
            modules.append(parse(relative, path.read_text(encoding="utf-8")))
    return modules


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


@dataclass(frozen=True)
class Msgid:
    context: str | None
    msgid: str
    plural: str | None
    where: str


def gettext_call(module: Module, node: ast.expr) -> ast.Call | None:
    """The gettext call that `node` is: `_("…")`, `_("… %(x)s") % {…}`, `str(_("…"))`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return gettext_call(module, node.left)
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in module.gettext:
            return node
        if name == "str" and len(node.args) == 1:
            return gettext_call(module, node.args[0])
    return None


def msgid_of(module: Module, call: ast.Call) -> Msgid:
    roles = dict(zip(GETTEXT[module.gettext[call.func.id]], call.args, strict=False))
    texts = {}
    for role, arg in roles.items():
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise AssertionError(
                f"{module.path}:{call.lineno}: the {role} of a gettext call must be a literal "
                "(makemessages cannot extract anything else)"
            )
        texts[role] = arg.value
    return Msgid(
        texts.get("context"), texts["msgid"], texts.get("plural"), f"{module.path}:{call.lineno}"
    )


def _message_argument(call: ast.Call):
    """The first argument, or `message=` (Django's errors) or `detail=` (DRF's)."""
    for given in call.keywords:
        if given.arg in ("message", "detail"):
            return given.value
    return call.args[0] if call.args else None


class Checker:
    """Walks the source; `problems` says where a message escapes gettext (for RuleViolation, and
    for the other errors people read), `msgids` what the messages use."""

    def __init__(self, modules: list[Module]):
        self.modules = modules
        self.problems: list[str] = []  # where a RuleViolation's message escapes gettext
        self.shown_problems: list[str] = []  # where a ValidationError's … does
        self.msgids: list[Msgid] = []
        self.rule_violations = 0
        self.subclasses = {"RuleViolation"}
        changed = True
        while changed:  # subclasses of subclasses (SlotTaken, LimitReached, RateLimited …)
            changed = False
            for module in modules:
                for node in ast.walk(module.tree):
                    if (
                        isinstance(node, ast.ClassDef)
                        and node.name not in self.subclasses
                        and any(_name(base) in self.subclasses for base in node.bases)
                    ):
                        self.subclasses.add(node.name)
                        changed = True

    def run(self) -> "Checker":
        for module in self.modules:
            for node in ast.walk(module.tree):
                if not isinstance(node, ast.Call):
                    continue
                name = _name(node.func)
                if name == "RuleViolation" or self._super_init_of_a_subclass(module, node):
                    self.rule_violations += 1
                    message = _message_argument(node)
                    where = f"{module.path}:{node.lineno}"
                    if message is None:
                        self.problems.append(f"{where}: a RuleViolation without a message")
                    else:
                        self.translated(module, message, where)
                elif name in SHOWN:
                    message = _message_argument(node)
                    if message is not None:
                        self.no_literals(module, message, f"{module.path}:{node.lineno}")
        return self

    def _super_init_of_a_subclass(self, module: Module, call: ast.Call) -> bool:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
            return False
        if not (isinstance(func.value, ast.Call) and _name(func.value.func) == "super"):
            return False
        cls = module.class_of(call)
        return cls is not None and cls.name in self.subclasses - {"RuleViolation"}

    def translated(self, module: Module, node: ast.expr, where: str, depth: int = 0) -> None:
        """`node` must be a gettext call, or a name bound to one: assigned from one in its
        function, or a parameter that every caller fills with one."""
        call = gettext_call(module, node)
        if call is not None:
            self.msgids.append(msgid_of(module, call))
            return
        if isinstance(node, ast.Name) and depth < 3:
            function = module.function_of(node)
            if function is not None and self._bound_in(module, function, node, where, depth):
                return
        self.problems.append(f"{where}: message not through gettext: {ast.unparse(node)}")

    def _bound_in(self, module, function, name: ast.Name, where: str, depth: int) -> bool:
        assigned = [
            n.value
            for n in ast.walk(function)
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name.id for t in n.targets)
        ]
        parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        if assigned:
            for value in assigned:
                self.translated(module, value, where, depth + 1)
            return True
        if name.id not in parameters + keyword_only:
            return False
        position = parameters.index(name.id) if name.id in parameters else None
        callers = 0
        for caller_module in self.modules:
            for call in ast.walk(caller_module.tree):
                if not (isinstance(call, ast.Call) and _name(call.func) == function.name):
                    continue
                callers += 1
                given = next((k.value for k in call.keywords if k.arg == name.id), None)
                if given is None and position is not None and len(call.args) > position:
                    given = call.args[position]
                if given is None:
                    self.problems.append(
                        f"{caller_module.path}:{call.lineno}: {function.name}() without "
                        f"its {name.id}"
                    )
                    continue
                self.translated(
                    caller_module, given, f"{caller_module.path}:{call.lineno}", depth + 1
                )
        if callers == 0:
            self.problems.append(f"{where}: {function.name}() is never called with a message")
        return True

    def no_literals(self, module: Module, node: ast.expr, where: str) -> None:
        """No English text outside gettext: dict keys (field names) and subscripts are not
        messages."""
        if gettext_call(module, node) is not None:
            self.msgids.append(msgid_of(module, gettext_call(module, node)))
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
            self.shown_problems.append(f"{where}: a literal message: {node.value!r}")
        elif isinstance(node, ast.JoinedStr):
            self.shown_problems.append(f"{where}: an f-string message: {ast.unparse(node)}")
        elif isinstance(node, ast.Dict):
            for value in node.values:
                self.no_literals(module, value, where)
        elif isinstance(node, ast.List | ast.Tuple):
            for item in node.elts:
                self.no_literals(module, item, where)
        elif isinstance(node, ast.Call):
            for arg in node.args:
                self.no_literals(module, arg, where)


@pytest.fixture(scope="module")
def checked() -> Checker:
    return Checker(source_modules()).run()


# --- the source -------------------------------------------------------------------------------


def test_every_rule_violation_message_goes_through_gettext(checked):
    """Issue 12: a refusal reaches people as the API's `message` and on pages."""
    # The engine's ~22, the offices' 2 and the appeals' and receptions' ~70: all of them seen.
    assert checked.rule_violations >= 90
    engine = [m for m in checked.msgids if m.where.startswith("prosecution/terms/engine.py")]
    assert len(engine) >= 20
    assert checked.problems == []


def test_no_literal_message_in_the_errors_people_read(checked):
    """ValidationError, Http404, PermissionDenied: no English text or f-string outside gettext
    (named placeholders let the translator reorder)."""
    assert checked.shown_problems == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_msgid_of_a_refusal_is_translated(checked, language):
    catalogue = {(e.msgctxt, e.msgid): e for e in messages(language)}
    missing, empty = [], []
    for used in checked.msgids:
        entry = catalogue.get((used.context, used.msgid))
        if entry is None or entry.msgid_plural != used.plural:
            missing.append((used.where, used.msgid))
        elif not entry.msgstr or not all(entry.msgstr.values()) or "fuzzy" in entry.flags:
            empty.append((used.where, used.msgid))
    assert missing == [], f"{language}: not in the catalogue (run `make messages`)"
    assert empty == [], f"{language}: not translated"


def test_every_msgid_of_a_refusal_has_an_english_entry(checked):
    english = {(e.msgctxt, e.msgid) for e in messages("en")}
    assert [m.msgid for m in checked.msgids if (m.context, m.msgid) not in english] == []


def test_the_engine_refusals_are_seen_translated_at_run_time(checked):
    engine = [m for m in checked.msgids if m.where.startswith("prosecution/terms/engine.py")]
    for language in ("kk", "ru"):
        with translation.override(language):
            for used in engine:
                if used.plural is None:
                    assert translation.gettext(used.msgid) != used.msgid, used
                else:
                    assert translation.ngettext(used.msgid, used.plural, 2) != used.plural, used


# Source the checker must refuse. The error's name is filled in when the cases are read
# (the test below), so that this file holds no untranslated raise itself.
CHECKER_CASES = [
    ('raise Refusal("An extension adds at least one day.")', "not through gettext"),
    ('raise Refusal(f"{article}: at most {n} days.")', "not through gettext"),
    ("raise RuleViolation(message)", "not through gettext"),
    ('raise ValidationError({"year": "A year is four digits."})', "a literal message"),
    ('raise ValidationError({name: f"Unknown {name}."})', "an f-string message"),
    ('raise Http404("No such file.")', "a literal message"),
    (
        "class Late(RuleViolation):\n"
        "    def __init__(self):\n"
        '        super().__init__("Too late.")\n',
        "not through gettext",
    ),
    (
        "def required(value, message):\n"
        "    raise RuleViolation(message)\n"
        'required("", "Say why.")\n',
        "not through gettext",
    ),
]


@pytest.mark.parametrize(("source", "problem"), CHECKER_CASES)
def test_the_checker_catches_an_untranslated_message(source, problem):
    """The walk above would fail on each of these."""
    source = source.replace("Refusal(", "RuleViolation(")
    module = parse("example.py", "from django.utils.translation import gettext as _\n" + source)
    checker = Checker([module]).run()
    assert problem in " ".join(checker.problems + checker.shown_problems)


def test_the_checker_accepts_gettext_and_names_bound_to_it():
    source = (
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import ngettext\n"
        "def required(value, message):\n"
        "    raise RuleViolation(message)\n"
        'required("", _("Say why."))\n'
        'raise RuleViolation(_("At most %(n)s.") % {"n": 3})\n'
        'raise RuleViolation(ngettext("%(n)s day.", "%(n)s days.", 2) % {"n": 2})\n'
        'raise ValidationError({"year": _("A year is four digits.")})\n'
        "def refuse():\n"
        '    message = _("No.")\n'
        "    raise RuleViolation(message)\n"
    )
    checker = Checker([parse("example.py", source)]).run()
    assert checker.problems == checker.shown_problems == []
    assert {m.msgid for m in checker.msgids} == {
        "Say why.",
        "At most %(n)s.",
        "%(n)s day.",
        "A year is four digits.",
        "No.",
    }


# --- articles -------------------------------------------------------------------------------

ARTICLE_CODE = re.compile(r"Art\. \d+(?:\(\d+\))?")


def cited_articles(modules) -> set[str]:
    """Every article key the code cites: RuleViolation(article=…), the rules of the terms,
    required(…, "Art. 24(7)") …"""
    return {
        node.value
        for module in modules
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and ARTICLE_CODE.fullmatch(node.value)
    }


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("en", "Art. 24(4)", "Art. 24(4)"),
        ("ru", "Art. 24(4)", "п. 4 ст. 24"),
        ("kk", "Art. 24(4)", "24-баптың 4-тармағы"),
        ("en", "Art. 37", "Art. 37"),
        ("ru", "Art. 37", "ст. 37"),
        ("kk", "Art. 37", "37-бап"),
        ("ru", "Art. 18(4)", "п. 4 ст. 18"),
        ("kk", "Art. 13", "13-бап"),
        ("ru", "", ""),
    ],
)
def test_an_article_reads_as_each_language_cites_it(language, code, expected):
    with translation.override(language):
        assert article_label(code) == expected


def test_every_article_the_code_cites_reads_in_kazakh_and_russian():
    from appeals.reception.common import RULES as RECEPTION_RULES

    codes = cited_articles(source_modules())
    assert {"Art. 24(4)", "Art. 18(4)", "Art. 13", "Art. 5(2)", "Art. 37"} <= codes
    for language in ("kk", "ru"):
        with translation.override(language):
            for code in codes:
                assert "Art." not in article_label(code), (language, code)
            # The reception's refusals cite the 2017 rules, not an article: a msgid of its own.
            assert article_label(RECEPTION_RULES) != RECEPTION_RULES


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_translation_cites_an_article_in_english(language):
    """ "Art. 24(4)" inside a Russian or Kazakh sentence reads as a foreign word."""
    english = [e.msgid for e in messages(language) if any("Art." in s for s in e.msgstr.values())]
    assert english == []


def test_a_page_message_names_the_article_once():
    with translation.override("ru"):
        refusal = RuleViolation("Нет.", article="Art. 24(4)")
        assert refusal.with_article() == "Нет. (п. 4 ст. 24)"
        cited = RuleViolation("Согласно п. 4 ст. 24 нет.", article="Art. 24(4)")
        assert cited.with_article() == "Согласно п. 4 ст. 24 нет."
        assert RuleViolation("Нет.").with_article() == "Нет."


# --- behaviour: the engine's refusal in the reader's language --------------------------------

TWO_MONTHS = {
    "kk": (
        "24-баптың 4-тармағы бойынша ұзартуды қоса алғанда мерзім 02.11.2026 күнінен бастап 2 "
        "айдан аспауы тиіс, яғни ол 05.01.2027 күнінен кешіктірілмей аяқталады."
    ),
    "ru": (
        "Согласно п. 4 ст. 24 срок вместе с продлением не может превышать 2 месяца с "
        "02.11.2026, то есть истекает не позднее 05.01.2027."
    ),
    "en": (
        "Under Art. 24(4), the term with its extensions ends at most 2 months after "
        "02.11.2026, that is by 05.01.2027."
    ),
}
LABELS = {"kk": "24-баптың 4-тармағы", "ru": "п. 4 ст. 24", "en": "Art. 24(4)"}


@pytest.fixture
def _tuesday_10_november():
    import time_machine

    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_tuesday_10_november")
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_an_engine_refusal_comes_back_in_the_language_of_the_request(
    cast, head_a, client, language
):
    """Art. 24(4): at most two months from receipt. The engine refuses; the API says so in the
    caller's language (Accept-Language), and keeps the article's key for other systems."""
    from appeals import services
    from tests.appeal_helpers import register

    appeal, _code = register(cast)
    with transaction.atomic():
        services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(head_a)
    response = client.post(
        f"/api/v1/appeals/{appeal.uuid}/extend/",
        {"ground": "facts", "until": "2027-01-20", "reason": "Запрошены сведения из акимата"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"] == {
        "code": "extension_beyond_maximum",
        "message": TWO_MONTHS[language],
        "article": "Art. 24(4)",
        "article_label": LABELS[language],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "24-баптың 5-тармағы бойынша белгіленген мерзім ұзартуға жатпайды."),
        ("ru", "Срок, предусмотренный п. 5 ст. 24, продлению не подлежит."),
        ("en", "A term under Art. 24(5) cannot be extended."),
    ],
)
def test_the_engine_refuses_in_the_active_language(cast, language, expected):
    """Art. 24(5): the term to tell the applicant of an extension is not extended."""
    from prosecution.models import TermKind
    from prosecution.terms import engine

    term = engine.open_term(
        subject=cast.district_a,
        kind=TermKind.APPEAL_EXTENSION_NOTICE,
        office=cast.district_a,
        start_date=date(2026, 11, 2),
        start_event="extended",
    )
    with translation.override(language), pytest.raises(RuleViolation) as refusal:
        engine.extend_term(term, by=None, reason="", length=3, system=True)
    assert refusal.value.message == expected
    assert refusal.value.article == "Art. 24(5)"


@pytest.mark.django_db
@pytest.mark.usefixtures("_tuesday_10_november")
def test_the_staff_page_shows_the_refusal_and_its_article_in_russian(cast, head_a, client):
    from django.urls import reverse

    from appeals import services
    from tests.appeal_helpers import register

    appeal, _code = register(cast)
    services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(head_a)
    response = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"ground": "facts", "until": "2027-02-01", "reason": "Экспертиза"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Согласно п. 4 ст. 24 срок вместе с продлением не может превышать 2 месяца" in page
    # The message cites the article: it is not repeated after it.
    assert "не позднее 05.01.2027.</p>" in page
    assert "Мотивированное решение (п. 4 ст. 24)" in page  # the form's label, in Russian too
