"""Acts for tests: the cast around them (a district prosecutor who drafts and signs, the district's
head, the region's head above them) and a draft of each kind that passes every rule."""

from datetime import date

from acts import services as acts
from acts.models import ActKind, AddresseeKind, BasisKind, ProtestedActKind, SanctionDecision
from appeals.models import AppealKind
from prosecution.models import Position
from tests.appeal_helpers import register
from tests.conftest import make_staff

VALID_BIN = "120540012342"
VALID_IIN = "850721300125"
# Monday 2 November 2026: no day off in November 2026 (tests/appeal_helpers.py).
DELIVERED = date(2026, 11, 2)


class ActCast:
    def __init__(self, cast):
        self.cast = cast
        self.prosecutor = cast.a_user  # district A's prosecutor: drafts and signs
        self.head = make_staff("act_head_a", cast.district_a, Position.HEAD)
        self.regional_head = cast.region_user  # superior of district A (Art. 5(2))
        self.colleague = make_staff("act_colleague_a", cast.district_a)
        self.clerk = make_staff("act_clerk_a", cast.district_a, Position.CLERK)


def draft(kind: str = ActKind.SUBMISSION, **changes) -> acts.ActDraft:
    values: dict = {
        "kind": kind,
        "addressee_kind": AddresseeKind.BODY,
        "addressee_name": "Akimat of Kokshetau",
        "addressee_number": VALID_BIN,
        "basis_kind": BasisKind.OTHER,
        "basis_text": "Monitoring of tariffs",
        "violation": "Tariffs raised without a public hearing",
        "demand": "Cancel the decision and restore the tariffs",
        "legal_references": "Law on natural monopolies, Art. 15",
    }
    if kind == ActKind.PROTEST:
        values |= {"protested_act_kind": ProtestedActKind.ACT, "protested_act": "Decision No. 5"}
    if kind == ActKind.RESOLUTION:
        values["term_set_until"] = date(2026, 12, 30)
    if kind == ActKind.SANCTION:
        values["sanction_decision"] = SanctionDecision.GIVEN
    if kind in (ActKind.ORDER, ActKind.INTERNAL_RESOLUTION, ActKind.INTERNAL_INSTRUCTION):
        values |= {"basis_kind": "", "basis_text": ""}
    if kind == ActKind.CLAIM:
        values |= {"addressee_kind": AddresseeKind.COURT, "addressee_name": "Kokshetau court"}
    values.update(changes)
    return acts.ActDraft(**values)


def drafted(ac: ActCast, kind: str = ActKind.SUBMISSION, *, by=None, **changes):
    return acts.draft_act(by=by or ac.prosecutor, draft=draft(kind, **changes))


def signed(ac: ActCast, kind: str = ActKind.SUBMISSION, *, on=DELIVERED, **changes):
    heads = (ActKind.PUBLIC_APPEAL, ActKind.ORDER, ActKind.INTERNAL_RESOLUTION)
    signer = ac.head if kind in (*heads, ActKind.INTERNAL_INSTRUCTION) else ac.prosecutor
    return acts.sign_act(drafted(ac, kind, **changes), by=signer, on=on)


def delivered(ac: ActCast, kind: str = ActKind.SUBMISSION, *, on=DELIVERED, **changes):
    return acts.deliver_act(signed(ac, kind, on=on, **changes), by=ac.prosecutor, on=on)


def complaint_against(ac: ActCast, what: str):
    """A complaint against an act of district A, registered at the region (Art. 25(1))."""
    cast = ac.cast
    complaint, _code = register(
        cast,
        office=cast.region,
        by=cast.region_user,
        kind=AppealKind.COMPLAINT,
        complained_office=cast.district_a,
        complained_act=what,
        learned_on=DELIVERED,
    )
    return complaint
