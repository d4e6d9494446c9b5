"""Models of the prosecution app: the office hierarchy and staff, the working-day calendar, and the
statutory terms (the timers engine) with their notices."""

from prosecution.models.audit import AuditOutcome, AuditRecord, PendingAuditRecord
from prosecution.models.calendar import CalendarDay, CalendarDayKind
from prosecution.models.citizen_guards import ConfirmationCode, RateCounter
from prosecution.models.hierarchy import (
    LEADERSHIP_POSITIONS,
    ClassRank,
    Office,
    OfficeKind,
    Position,
    StaffProfile,
    StaffProfileGroupObjectPermission,
    StaffProfileUserObjectPermission,
    TrilingualName,
    Unit,
    UnitKind,
)
from prosecution.models.notices import DailyJob, Notice, NoticeChannel, NoticeKind, NoticeState
from prosecution.models.numbering import NumberCounter
from prosecution.models.tallies import (
    ActiveTermsByKind,
    ActiveTermsByPerson,
    LateTermsByDay,
    OpenTermsByKindAndDay,
    OpenTermsByPersonAndDay,
)
from prosecution.models.terms import (
    ACTIVE_STATES,
    Term,
    TermEvent,
    TermEventKind,
    TermKind,
    TermState,
    TermUnitChoice,
)

__all__ = [
    "ACTIVE_STATES",
    "LEADERSHIP_POSITIONS",
    "ActiveTermsByKind",
    "ActiveTermsByPerson",
    "AuditOutcome",
    "AuditRecord",
    "CalendarDay",
    "CalendarDayKind",
    "ClassRank",
    "ConfirmationCode",
    "DailyJob",
    "LateTermsByDay",
    "Notice",
    "NoticeChannel",
    "NoticeKind",
    "NoticeState",
    "NumberCounter",
    "Office",
    "OfficeKind",
    "OpenTermsByKindAndDay",
    "OpenTermsByPersonAndDay",
    "PendingAuditRecord",
    "Position",
    "RateCounter",
    "StaffProfile",
    "StaffProfileGroupObjectPermission",
    "StaffProfileUserObjectPermission",
    "Term",
    "TermEvent",
    "TermEventKind",
    "TermKind",
    "TermState",
    "TermUnitChoice",
    "TrilingualName",
    "Unit",
    "UnitKind",
]
