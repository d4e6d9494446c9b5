"""Demo acts for `make run`: in the prosecutor's office of Esil District of Astana (C-ASTANA-D1),
acts of every kind and in every state, some overdue, one cancelled, one revoked and one suspended
by the Astana city office above it. Drafted and signed by the office's demo prosecutor
`demo.astana.inspector` (the heads' kinds by `demo.c-astana-d1.head`); the superior is
`demo.astana.head`. Made through the services, as staff would make them, after the demo checks
(supervision/demo.py: a submission rests on the completed one). Idempotent: an office that has
acts is left alone."""

from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from acts import publication, services
from acts.models import (
    Act,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from acts.tasks import built_here
from prosecution import workdays
from prosecution.models import Office, Position, StaffProfile
from prosecution.seed.demo import _ensure_user
from supervision.demo import INSPECTOR, OFFICE
from supervision.models import Check, CheckState

SUPERIOR = "demo.astana.head"
HEADS_KINDS = (
    ActKind.PUBLIC_APPEAL,
    ActKind.ORDER,
    ActKind.INTERNAL_RESOLUTION,
    ActKind.INTERNAL_INSTRUCTION,
)
BODY_BIN = "120540012342"

# (kind, where it gets to, working days ago it was signed, addressee)
ROADS: list[tuple[str, str, int, str]] = [
    (ActKind.SUBMISSION, "draft", 0, "Children's Home No. 2"),
    (ActKind.PROTEST, "signed", 1, "Akimat of Esil District"),
    (ActKind.SUBMISSION, "delivered", 2, "Astana Heat JSC"),
    (ActKind.PROTEST, "under_consideration", 3, "Department of Education of Astana"),
    (ActKind.SUBMISSION, "satisfied", 25, "City Hospital No. 1"),
    (ActKind.PROTEST, "partly_satisfied", 12, "Land Relations Department of Astana"),
    (ActKind.PROTEST, "rejected", 14, "Akimat of Astana"),
    (ActKind.SUBMISSION, "unconsidered", 30, "Astana Bus Park LLP"),
    (ActKind.PROTEST, "withdrawn", 4, "Esil District Housing Department"),
    (ActKind.PROTEST, "cancelled", 3, "Astana Architecture Department"),
    (ActKind.SUBMISSION, "revoked", 5, "Esil Market LLP"),
    (ActKind.PROTEST, "suspended", 2, "Astana Transport Department"),
    (ActKind.PROTEST, "overdue", 15, "Astana Public Utilities Department"),
    (ActKind.SUBMISSION, "overdue", 30, "Astana Su Arnasy LLP"),
    (ActKind.SUBMISSION, "amended", 6, "Burabay Resort LLP"),
    (ActKind.RESOLUTION, "delivered", 1, "Astana bailiffs' office"),
    (ActKind.SANCTION, "delivered", 2, "Police Department of Esil District"),
    (ActKind.SANCTION, "refused", 3, "Police Department of Esil District"),
    (ActKind.INSTRUCTION, "delivered", 4, "Police Department of Esil District"),
    (ActKind.PETITION, "delivered", 5, "Esil District Court of Astana"),
    (ActKind.PUBLIC_APPEAL, "delivered", 6, "Residents of Esil District"),
    (ActKind.WARNING, "delivered", 2, "Astana Construction JSC"),
    (ActKind.ORDER, "signed", 8, "Staff of the office"),
    (ActKind.INTERNAL_RESOLUTION, "signed", 9, "Staff of the office"),
    (ActKind.INTERNAL_INSTRUCTION, "signed", 10, "Staff of the office"),
]


def seed_demo_acts() -> int:
    # The documents of the signed acts are built here, after the seed's transaction, not left on
    # the broker for `make run`'s worker (acts/tasks.py built_here).
    with built_here():
        return _seed_demo_acts()


@transaction.atomic
def _seed_demo_acts() -> int:
    office = Office.objects.filter(code=OFFICE).first()
    prosecutor = User.objects.filter(username=INSPECTOR).first()
    if office is None or prosecutor is None or office.parent is None:
        return 0  # the demo offices, cast and checks come first
    if Act.objects.filter(office=office).exists():
        return 0
    head_profile = (
        StaffProfile.objects.filter(office=office, position=Position.HEAD, is_active=True)
        .select_related("user")
        .first()
    )
    if head_profile is None:
        return 0
    superior = _ensure_user(  # type: ignore[no-untyped-call]  # the demo cast's helper
        SUPERIOR, "Серік", "Жанұзақов", office.parent, Position.HEAD, "SCJ-3", None
    )
    people = {"prosecutor": prosecutor, "head": head_profile.user, "superior": superior}
    check = Check.objects.filter(office=office, state=CheckState.COMPLETED).first()
    today = timezone.localdate()
    made = 0
    for kind, road, ago, addressee in ROADS:
        signed = workdays.add_working_days(today, -ago) if ago else today
        _make(kind, road, signed, addressee, people=people, check=check, today=today)
        made += 1
    # One act published (Art. 42), as the public page of published acts shows it.
    rights = Act.objects.filter(office=office, kind=ActKind.SUBMISSION, state=ActState.SATISFIED)
    for act in rights.select_related("signatory")[:1]:
        assert act.signatory is not None  # a decided act was signed
        publication.publish_act(act, by=act.signatory, on_violation_of_rights=True)
    return made


def _draft(kind: str, addressee: str, check: Check | None, today: date) -> services.ActDraft:
    values: dict[str, Any] = {
        "kind": kind,
        "addressee_kind": AddresseeKind.BODY,
        "addressee_name": addressee,
        "addressee_number": BODY_BIN,
        "addressee_address": "Astana",
        "basis_kind": BasisKind.OTHER,
        "basis_text": "Supervision of compliance with the law on public services",
        "violation": "Applications of residents left without answers beyond the legal term",
        "demand": "Eliminate the violations and hold the officials responsible liable",
        "legal_references": "Law on public services, Art. 5; Constitutional Law, Art. 32",
    }
    if check is not None and kind == ActKind.SUBMISSION:
        values |= {"basis_kind": BasisKind.CHECK, "basis_check": check, "basis_text": ""}
    if kind == ActKind.PROTEST:
        values |= {
            "protested_act_kind": ProtestedActKind.DECISION,
            "protested_act": "Decision No. 112 on the refusal of a land plot",
        }
    if kind == ActKind.RESOLUTION:
        values["term_set_until"] = workdays.add_working_days(today, 10)
    if kind == ActKind.SANCTION:
        values["sanction_decision"] = SanctionDecision.GIVEN
        values["addressee_kind"] = AddresseeKind.OFFICIAL
        values["addressee_number"] = ""
    if kind in (ActKind.PETITION, ActKind.CLAIM):
        values |= {"addressee_kind": AddresseeKind.COURT, "addressee_number": ""}
    if kind in HEADS_KINDS and kind != ActKind.PUBLIC_APPEAL:
        values |= {"basis_kind": "", "basis_text": "", "addressee_number": ""}
        values["addressee_kind"] = AddresseeKind.OFFICIAL
    if kind == ActKind.PUBLIC_APPEAL:
        values |= {"addressee_kind": AddresseeKind.PERSON, "addressee_number": "850721300125"}
    return services.ActDraft(**values)


def _make(
    kind: str,
    road: str,
    signed: date,
    addressee: str,
    *,
    people: dict[str, User],
    check: Check | None,
    today: date,
) -> Act:
    prosecutor, head, superior = people["prosecutor"], people["head"], people["superior"]
    signer = head if kind in HEADS_KINDS else prosecutor
    draft = _draft(kind, addressee, check, today)
    if road == "refused":
        draft.sanction_decision = SanctionDecision.REFUSED
        draft.sanction_refusal_reasons = "The materials do not show the need for a search"
    act = services.draft_act(by=signer, draft=draft)
    if road == "draft":
        return act
    act = services.sign_act(act, by=signer, on=signed)
    if road in ("signed", "refused"):
        return act
    act = services.deliver_act(act, by=signer, on=signed)
    later = min(today, workdays.add_working_days(signed, 3))
    if road == "under_consideration":
        at = timezone.make_aware(datetime.combine(workdays.add_working_days(today, 2), time(10)))
        return services.record_consideration(
            act, by=prosecutor, at=at, place="Akimat, hall 1", on=later
        )
    if road in ("satisfied", "partly_satisfied", "rejected", "unconsidered"):
        act = services.decide_act(
            act,
            by=prosecutor,
            outcome=road,
            decision="" if road == "unconsidered" else "Considered at a meeting of the board",
            measures_taken="Two officials disciplined" if road != "rejected" else "",
            persons_liable=2 if road in ("satisfied", "partly_satisfied") else None,
            on=workdays.add_working_days(signed, 5),
        )
        if road == "satisfied" and kind == ActKind.SUBMISSION:
            act = services.report_result(
                act,
                by=prosecutor,
                measures_taken="Two officials disciplined",
                persons_liable=2,
                on=workdays.add_working_days(signed, 7),
            )
        if road == "rejected":
            services.bring_claim(
                act, by=prosecutor, court="Esil District Court of Astana", demand="Declare illegal"
            )
        return act
    if road == "withdrawn":
        return services.withdraw_act(act, by=prosecutor, reason="The akimat cancelled it itself")
    if road in ("cancelled", "revoked", "suspended"):
        decision = {"cancelled": "cancel", "revoked": "revoke", "suspended": "suspend"}[road]
        return services.superior_decision(
            act,
            by=superior,
            decision=decision,
            reason="The act does not state the facts of the violation",
        )
    if road == "amended":
        return services.superior_decision(
            act,
            by=superior,
            decision="amend",
            reason="The demand goes beyond the violations found",
            amendment="The demand to dismiss the director is removed",
        )
    return act  # delivered, overdue: waiting for the addressee
