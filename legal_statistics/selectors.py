"""Reads of the supervisors' deadline dashboard (issue 3): active terms rolled up through the office
hierarchy, by kind and by person, the trend of missed terms, and the items behind every number.

Every query starts from the one access policy (prosecution.offices.access.visible_to) on the one
narrow term table, whose rows carry their office's path: "this office and everything below it" is a
prefix match on an indexed column, with no join.

The roll-up, the people and the trend read counts kept ahead of time (prosecution/models/tallies.py:
counting a million terms per request took ~700 ms for the republic), with the bands computed from
today's date as the terms' are. The tallies carry the office's path and the classified flag too,
so the same policy scopes them exactly as it scopes the terms. A filter that a tally cannot apply
(a period of due dates; a person for the roll-up, a kind for the people, either for the trend)
counts from the term table, as before the tallies. So does the page of an office with no office
below it (a district, _own_terms): its few thousand terms are counted once for the roll-up, the
kinds and the people, in less time than the tallies' queries take to build.

How the roll-up of the term table is grouped (measured on PostgreSQL 15, 1,000,000 active terms,
bench/README.md):
the query groups by the stored `office_path` (a few hundred distinct values, a few thousand in
production) and Python folds those rows into the direct children of the office on view. The
alternatives cost more per row, and rows are what there are a million of: a CASE over the
children's paths evaluates up to one LIKE per child for each row, and cutting the child's prefix out
of the path in SQL (substr/strpos) doubled the time of the query; hashing the stored path is
cheaper than either, and the fold is a loop over at most a few thousand rows. The same query also
groups by kind (a few thousand rows instead of a few hundred; one scan instead of two), so the
roll-up and the breakdown by kind cost one pass over the active terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import add
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    Expression,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Left, StrIndex, Substr
from django.http import Http404
from django.utils import timezone

from legal_statistics.bands import Band, BandCounts, Horizon
from prosecution.lib.names import shown_name
from prosecution.models import (
    ACTIVE_STATES,
    ActiveTermsByKind,
    ActiveTermsByPerson,
    LateTermsByDay,
    Office,
    OpenTermsByKindAndDay,
    OpenTermsByPersonAndDay,
    Term,
    TermEvent,
    TermEventKind,
    TermKind,
    TermState,
)
from prosecution.offices.access import (
    Viewer,
    get_visible_or_404,
    has_grants,
    staff_profile,
    visible_to,
)
from prosecution.offices.selectors import ancestors
from prosecution.terms.selectors import was_extended

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

_M = TypeVar("_M", bound=Model)


class _Banded(TypedDict):
    band: str  # Band's value
    extensions: int  # how many times the term was extended (was_extended)


# A term of the item list and the exports: with its band beside it.
TermWithBand: TypeAlias = "WithAnnotations[Term, _Banded]"

# Bands counted in SQL, in this order; "on time" is the rest of the active terms (the bands
# partition them).
_COUNTED = (Band.OVERDUE, Band.DUE_TODAY, Band.DUE_SOON, Band.SUSPENDED)
_ZERO = (0, 0, 0, 0, 0)  # the counted bands and the total
PERSON_ROWS = 20
TREND_WEEKS = 12
OFFICE_SORT_KEYS = ("office", *(b.value for b in Band), "total")


@dataclass(frozen=True)
class DashboardFilters:
    kind: str = ""
    state: str = ""
    due_from: date | None = None
    due_to: date | None = None
    responsible: int | None = None
    # The item list and the exports only: one band, only the office's own terms (not below), or
    # only the extended terms.
    band: str = ""
    own: bool = False
    extended: bool = False


@dataclass
class OfficeRow:
    code: str
    name: str
    counts: BandCounts
    office: Office | None = None  # None only for a path whose office row is gone
    is_own: bool = False  # the terms of the office on view itself, not of an office below


@dataclass
class KindRow:
    kind: str
    label: str
    counts: BandCounts


@dataclass
class PersonRow:
    user_id: int | None  # None: terms nobody is responsible for yet
    username: str
    name: str
    office_code: str
    counts: BandCounts
    office_name: str = ""  # in the reader's language: the page shows it, the API the code


@dataclass
class WeekCount:
    week_start: date  # a Monday
    missed: int


@dataclass
class Dashboard:
    office: Office
    horizon: Horizon
    totals: BandCounts
    by_office: list[OfficeRow]
    by_kind: list[KindRow]
    by_person: list[PersonRow] = field(default_factory=list)
    trend: list[WeekCount] = field(default_factory=list)


def scope_office(user: Viewer, code: str = "") -> Office:
    """The office the dashboard looks at: the user's own, or one below it named by its code.
    Out of scope or unknown is 404 (Art. 5(2); existence does not leak)."""
    profile = staff_profile(user)
    if profile is None:
        raise Http404
    if not code or code == profile.office.code:
        return profile.office
    return get_visible_or_404(user, Office.objects.all(), office_field="", code=code)


def _scoped(
    user: Viewer, office: Office, queryset: QuerySet[_M], filters: DashboardFilters
) -> QuerySet[_M]:
    queryset = visible_to(user, queryset, office_field="office_path")
    profile = staff_profile(user)
    # The policy has limited the rows to the user's subtree: the same prefix again would be one
    # more LIKE on each of a million rows, for nothing.
    if profile is not None and office.path != profile.office.path:
        queryset = queryset.filter(office_path__startswith=office.path)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.responsible is not None:
        queryset = queryset.filter(responsible_id=filters.responsible)
    return queryset


def active_terms(user: Viewer, office: Office, filters: DashboardFilters) -> QuerySet[Term]:
    """Open, suspended and missed terms of `office` and below that `user` may see, filtered."""
    queryset = _scoped(user, office, Term.objects.filter(state__in=ACTIVE_STATES), filters)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    return queryset


def extensions() -> Coalesce:
    """How many times each term was extended (was_extended): for the item list and the exports,
    one index probe of the events per term listed."""
    events = (
        TermEvent.objects.filter(term=OuterRef("pk"), kind=TermEventKind.EXTENDED)
        .order_by()
        .values("term")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(events), 0)


def extended_counts(user: Viewer, office: Office, filters: DashboardFilters) -> QuerySet:
    """Rows of (office_path, kind, responsible_id, n): the active terms extended at least once,
    with the dashboard's filters, in one grouped query of the term table. The tallies do not
    count extensions (prosecution/models/tallies.py), so this one figure reads the terms (an
    index probe of the events per active term of the scope)."""
    return (
        active_terms(user, office, filters)
        .filter(was_extended())
        .order_by()
        .values_list("office_path", "kind", "responsible_id")
        .annotate(n=Count("due_date"))
    )


def _add_extended(
    office: Office,
    totals: BandCounts,
    offices: list[OfficeRow],
    kinds: list[KindRow],
    people: list[PersonRow],
    rows: Iterable[Sequence[Any]],
) -> None:
    """The extended terms of `rows` (extended_counts) added to the totals, to the row of the
    direct child of `office` they are in (or the own row), to their kind's and their person's."""
    by_path = {row.office.path: row for row in offices if row.office is not None}
    by_path[office.path] = next(row for row in offices if row.is_own)
    by_code = {row.code: row for row in offices if row.office is None}
    by_kind = {row.kind: row for row in kinds}
    by_person = {row.user_id: row for row in people}
    for path, kind, responsible_id, n in rows:
        totals.extended += n
        child = _child_path(office, path)
        office_row = by_path.get(child) or by_code.get(_code_of(child))
        for row in (office_row, by_kind.get(kind), by_person.get(responsible_id)):
            if row is not None:
                row.counts.extended += n


def _band_aggregates(horizon: Horizon) -> dict:
    # COUNT(due_date), not COUNT(id): due_date (NOT NULL) is in every index the dashboard reads,
    # id is not, and reading it would send each row to the table (Django refuses COUNT(*) with a
    # FILTER).
    counted = {
        f"n_{band.value}": Count("due_date", filter=horizon.condition(band)) for band in _COUNTED
    }
    return {**counted, "n_total": Count("due_date")}


def _grouped(queryset: QuerySet[Term], horizon: Horizon, *keys: str) -> QuerySet:
    """Rows of (*keys, overdue, due today, due soon, suspended, total): one GROUP BY."""
    return queryset.order_by().values_list(*keys).annotate(**_band_aggregates(horizon))


def _tally_can_count(filters: DashboardFilters, *unsupported: str) -> bool:
    """Whether the tallies answer with these filters set: none of the `unsupported` ones (the
    attributes of DashboardFilters its tally lacks), and no terms shared one by one beyond the
    office scope, which a count kept ahead cannot tell apart."""
    asked = {name for name in unsupported if getattr(filters, name) not in ("", None)}
    return not asked and not has_grants(Term)


def _tallied(
    user: Viewer,
    office: Office,
    models: tuple[type[Model], type[Model]],
    filters: DashboardFilters,
    horizon: Horizon,
    *keys: str,
    **computed: Expression,
) -> QuerySet:
    """The rows _grouped gives, from tallies (prosecution/models/tallies.py): (*keys, overdue, due
    today, due soon, suspended, total), in two parts of one statement (UNION ALL, one snapshot)
    to add up by key; a key is a column or one of the `computed` expressions. The first tally,
    of the active terms by state, gives the missed (overdue), the suspended and all; the second,
    of the open terms by due date, gives those due by the end of "due soon" as overdue, due
    today or due soon; "on time" is the rest (_counts)."""
    by_state, open_by_day = models
    counted = _scoped(user, office, by_state._default_manager.all(), filters)
    if filters.state:
        counted = counted.filter(state=filters.state)
    counted = (
        counted.order_by()
        .annotate(**computed)
        .values_list(*keys)
        .annotate(
            n_overdue=Sum("n", filter=Q(state=TermState.MISSED), default=0),
            n_due_today=Value(0),
            n_due_soon=Value(0),
            n_suspended=Sum("n", filter=Q(state=TermState.SUSPENDED), default=0),
            n_total=Sum("n", default=0),
        )
    )
    today = horizon.today
    near = open_by_day._default_manager.filter(due_date__lte=horizon.soon_until)
    near = _scoped(user, office, near, filters)
    if filters.state not in ("", TermState.OPEN):
        near = near.none()
    near = (
        near.order_by()
        .annotate(**computed)
        .values_list(*keys)
        .annotate(
            # Open terms all: the band is the date's (Horizon.condition, less the state).
            n_overdue=Sum("n", filter=Q(due_date__lt=today), default=0),
            n_due_today=Sum("n", filter=Q(due_date=today), default=0),
            n_due_soon=Sum("n", filter=Q(due_date__gt=today), default=0),
            n_suspended=Value(0),
            n_total=Value(0),
        )
    )
    return counted.union(near, all=True)


def _child_of(office: Office) -> Expression:
    """The path of the direct child of `office` that a path is in, or the office's own path: on a
    tally (a few thousand rows, unlike the terms) cheaper in SQL than the rows sent to Python."""
    below = Substr("office_path", len(office.path) + 1)
    return Left("office_path", len(office.path) + StrIndex(below, Value("/")))


def _child_path(office: Office, path: str) -> str:
    """The path of the direct child of `office` that `path` is in, or the office's own path
    (_child_of, in Python, for rows already read)."""
    if path == office.path:
        return path
    return path[: path.index("/", len(office.path)) + 1]


def _code_of(path: str) -> str:
    """The code of the office at the end of `path` ("GPO/R-AKMOLA/" → "R-AKMOLA")."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _plus(a: tuple[int, ...], b: Iterable[int]) -> tuple[int, ...]:
    return tuple(map(add, a, b))


def _counts(sums: Sequence[int]) -> BandCounts:
    overdue, due_today, due_soon, suspended, total = sums
    on_time = total - overdue - due_today - due_soon - suspended
    return BandCounts(overdue, due_today, due_soon, on_time, suspended)


def rollup(
    user: Viewer,
    office: Office,
    filters: DashboardFilters,
    horizon: Horizon,
    *,
    children: list[Office] | None = None,
) -> tuple[BandCounts, list[OfficeRow], list[KindRow]]:
    """Band counts in all, by direct child of `office` (each child with everything below it, plus
    a row for the office's own terms) and by kind: one grouped query, folded here (see the module
    docstring for why), and one for the children (unless given)."""
    if _tally_can_count(filters, "due_from", "due_to", "responsible"):
        tallies = (ActiveTermsByKind, OpenTermsByKindAndDay)
        child = _child_of(office)
        rows = _tallied(user, office, tallies, filters, horizon, "child", "kind", child=child)
    else:
        rows = _grouped(active_terms(user, office, filters), horizon, "office_path", "kind")
    if children is None:
        children = list(office.children.all())
    return _fold_rollup(office, children, rows)


def _fold_rollup(
    office: Office, children: list[Office], rows: Iterable[Sequence[Any]]
) -> tuple[BandCounts, list[OfficeRow], list[KindRow]]:
    """Rows of (path, kind, *sums) added up by direct child and by kind. Sums are plain tuples in
    the loop: at the republic level it runs over a few thousand rows."""
    by_path: dict[str, tuple] = {}
    by_kind: dict[str, tuple] = {}
    for path, kind, *sums in rows:
        child = _child_path(office, path)
        by_path[child] = _plus(by_path.get(child, _ZERO), sums)
        by_kind[kind] = _plus(by_kind.get(kind, _ZERO), sums)
    own = by_path.pop(office.path, _ZERO)
    totals: tuple[int, ...] = _ZERO
    for kind_sums in by_kind.values():
        totals = _plus(totals, kind_sums)
    return _counts(totals), _office_rows(office, children, own, by_path), _kind_rows(by_kind)


def _office_rows(
    office: Office, children: list[Office], own: tuple, by_path: dict[str, tuple]
) -> list[OfficeRow]:
    """Every active child (with zeros if it has no terms), an inactive one only if it still has
    terms, and the office's own terms first."""
    rows = [OfficeRow(office.code, office.name, _counts(own), office, is_own=True)]
    seen = set()
    for child in children:
        sums = by_path.get(child.path)
        seen.add(child.path)
        if child.is_active or sums:
            rows.append(OfficeRow(child.code, child.name, _counts(sums or _ZERO), child))
    for path, sums in by_path.items():
        if path not in seen:  # a path left behind by a move: shown, never dropped from the sums
            code = _code_of(path)
            rows.append(OfficeRow(code, code, _counts(sums)))
    return rows


def _kind_rows(by_kind: dict[str, tuple]) -> list[KindRow]:
    return [
        KindRow(kind.value, str(kind.label), _counts(by_kind[kind.value]))
        for kind in TermKind
        if kind.value in by_kind
    ]


def sort_office_rows(rows: list[OfficeRow], sort: str) -> list[OfficeRow]:
    """The children sorted by a column ("-" first: descending); the office's own row stays on
    top. Ties keep the order of the codes, so the table does not shuffle between requests."""
    key = sort.lstrip("-")
    if key not in OFFICE_SORT_KEYS:
        raise ValueError(f"unknown sort key: {sort}")
    own = [row for row in rows if row.is_own]
    children = sorted((row for row in rows if not row.is_own), key=lambda row: row.code)
    if key == "office":
        children.sort(key=lambda row: row.name.casefold(), reverse=sort.startswith("-"))
    else:
        children.sort(key=lambda row: _count_of(row.counts, key), reverse=sort.startswith("-"))
    return own + children


def _count_of(counts: BandCounts, key: str) -> int:
    return counts.total if key == "total" else counts.get(key)


def by_person(
    user: Viewer,
    office: Office,
    filters: DashboardFilters,
    horizon: Horizon,
    *,
    limit: int = PERSON_ROWS,
) -> list[PersonRow]:
    """The people with the most overdue terms (then the most terms; nobody's terms last among
    equals): one grouped query, added up, ordered and cut to `limit` in the database (_first),
    then one query for their names and offices."""
    if _tally_can_count(filters, "due_from", "due_to", "kind"):
        tallies = (ActiveTermsByPerson, OpenTermsByPersonAndDay)
        rows = _tallied(user, office, tallies, filters, horizon, "responsible_id")
    else:
        rows = _grouped(active_terms(user, office, filters), horizon, "responsible_id")
    return _people(_first(rows, "responsible_id", limit))


_SUMS = (*(f"n_{band.value}" for band in _COUNTED), "n_total")


def _first(rows: QuerySet, key: str, limit: int) -> list[tuple]:
    """(key, counts) of the first `limit` keys of `rows` (the rows of _grouped or _tallied,
    several per key) by overdue terms, then by all terms, a key of None last among equals:
    the rows are added up in the database around the queryset's own SQL, so that the republic's
    3,000 rows of people never reach Python (12 ms instead of 20 at a million terms,
    bench/README.md). The scope is the inner queryset's (prosecution.offices.access.visible_to):
    this only adds up and orders."""
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    column = quote(key)
    sums = ", ".join(f"SUM({quote(name)})" for name in _SUMS)
    total = len(_SUMS) + 1
    outer = (
        f"SELECT {column}, {sums} FROM ({sql}) AS parts GROUP BY {column} "  # noqa: S608
        f"ORDER BY 2 DESC, {total} DESC, {column} IS NULL, {column} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, [*params, limit])
        return [(pk, tuple(int(n or 0) for n in sums)) for pk, *sums in cursor.fetchall()]


def _rank(by_id: dict[int | None, tuple], limit: int) -> list[tuple]:
    """_first's order, for rows already added up in Python (_own_terms)."""
    return sorted(
        by_id.items(),
        key=lambda item: (-item[1][0], -item[1][4], item[0] is None, item[0] or 0),
    )[:limit]


def _people(ranked: list[tuple]) -> list[PersonRow]:
    """The ranked people with their names and offices: one query."""
    ids = [pk for pk, _sums in ranked if pk is not None]
    people = get_user_model().objects.select_related("staff_profile__office").in_bulk(ids)
    result = []
    for responsible_id, sums in ranked:
        person = people.get(responsible_id)
        username = name = office_code = office_name = ""
        if person is not None:
            username = person.get_username()
            name = shown_name(person)  # in Latin letters on English pages
            profile = getattr(person, "staff_profile", None)
            if profile is not None:
                office_code, office_name = profile.office.code, profile.office.name
        result.append(
            PersonRow(responsible_id, username, name, office_code, _counts(sums), office_name)
        )
    return result


def _own_terms(
    user: Viewer,
    office: Office,
    filters: DashboardFilters,
    horizon: Horizon,
    *,
    limit: int = PERSON_ROWS,
) -> tuple[BandCounts, list[OfficeRow], list[KindRow], list[PersonRow]]:
    """The roll-up, the kinds and the people of an office with no office below it (a district),
    from one grouped query of its terms (then one for the people's names): its terms are a few
    thousand, and the tallies' two-part queries took longer to build than these to count."""
    rows = _grouped(
        active_terms(user, office, filters), horizon, "office_path", "kind", "responsible_id"
    )
    by_place: list[tuple[Any, ...]] = []
    by_id: dict[int | None, tuple[int, ...]] = {}
    for path, kind, responsible_id, *sums in rows:
        by_place.append((path, kind, *sums))
        by_id[responsible_id] = _plus(by_id.get(responsible_id, _ZERO), sums)
    totals, offices, kinds = _fold_rollup(office, [], by_place)
    return totals, offices, kinds, _people(_rank(by_id, limit))


def missed_per_week(
    user: Viewer,
    office: Office,
    filters: DashboardFilters,
    today: date,
    *,
    weeks: int = TREND_WEEKS,
) -> list[WeekCount]:
    """Terms missed per week over the last `weeks` weeks (this week last). A term is missed on the
    day after its due date: it counts in that day's week if it is marked missed, or was met late.
    An open term past its due date counts once the sweep marks it (within a minute). The kind and
    person filters apply; the state and period filters do not (the trend has its own period)."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    days = Q(due_date__gte=first_monday - timedelta(days=1), due_date__lt=today)
    per_day: QuerySet[Any, dict[str, Any]]
    if _tally_can_count(filters, "kind", "responsible"):
        late = _scoped(user, office, LateTermsByDay.objects.filter(days), filters)
        per_day = late.order_by().values("due_date").annotate(n=Sum("n"))
    else:
        is_late = Q(state=TermState.MISSED) | Q(state=TermState.MET, met_on__gt=F("due_date"))
        queryset = _scoped(user, office, Term.objects.filter(is_late, days), filters)
        per_day = queryset.order_by().values("due_date").annotate(n=Count("*"))
    per_week = {first_monday + timedelta(weeks=i): 0 for i in range(weeks)}
    for row in per_day:
        missed_on = row["due_date"] + timedelta(days=1)
        per_week[missed_on - timedelta(days=missed_on.weekday())] += row["n"]
    return [WeekCount(monday, n) for monday, n in per_week.items()]


def dashboard(
    user: Viewer,
    office: Office,
    filters: DashboardFilters,
    *,
    today: date | None = None,
    sort: str = "-overdue",
) -> Dashboard:
    """Everything the page and the API show. For an office above others: the office's children,
    three counting queries (the roll-up with the kinds, the people, the trend) and the people's
    names. For an office with none below it (_own_terms): the children (none), one query for the
    roll-up, the kinds and the people with their names, and the trend. Either way one more for
    the extended terms (extended_counts)."""
    horizon = Horizon.on(today or timezone.localdate())
    children = list(office.children.all())
    if children:
        totals, offices, kinds = rollup(user, office, filters, horizon, children=children)
        people = by_person(user, office, filters, horizon)
    else:
        totals, offices, kinds, people = _own_terms(user, office, filters, horizon)
    extended = extended_counts(user, office, filters)
    _add_extended(office, totals, offices, kinds, people, extended)
    return Dashboard(
        office=office,
        horizon=horizon,
        totals=totals,
        by_office=sort_office_rows(offices, sort),
        by_kind=kinds,
        by_person=people,
        trend=missed_per_week(user, office, filters, horizon.today),
    )


def items(
    user: Viewer, office: Office, filters: DashboardFilters, horizon: Horizon
) -> QuerySet[TermWithBand]:
    """The terms behind the numbers, most urgent first, each labelled with its band and the
    number of its extensions."""
    queryset = active_terms(user, office, filters)
    if filters.own:
        queryset = queryset.filter(office_path=office.path)
    if filters.band:
        queryset = queryset.filter(horizon.condition(filters.band))
    if filters.extended:
        queryset = queryset.filter(was_extended())
    return (
        queryset.annotate(band=horizon.band_expression(), extensions=extensions())
        .select_related("office", "responsible")
        .order_by("due_date", "pk")
    )


def breadcrumbs(user: Viewer, office: Office) -> QuerySet[Office]:
    """The chain from the user's own office down to the office on view: never above the user's
    office (a district prosecutor gets no link to the region)."""
    profile = staff_profile(user)
    if profile is None:
        return Office.objects.none()
    return ancestors(office).filter(path__startswith=profile.office.path)
