"""Demo legality checks for `make run`: in the prosecutor's office of Esil District of Astana
(C-ASTANA-D1), checks in every state, appointed by the office's demo head
(`demo.c-astana-d1.head`), named to its demo inspector `demo.astana.inspector`, and a queue waiting
for `demo.statistics` in the register. Made through the services, as staff would make them. (Not
in Kokshetau: the demo's terms and notices of `demo.kokshetau.prosecutor` stay as they were.)
Idempotent: an office that has checks is left alone."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from appeals import services as appeals
from appeals.models import Channel
from legal_statistics import services as register
from prosecution import workdays
from prosecution.models import Office, Position, StaffProfile
from prosecution.seed.demo import _ensure_user
from supervision import services
from supervision.models import (
    BusinessConsentKind,
    Check,
    CheckGround,
    ExemptKind,
    SubjectKind,
    SuspensionCause,
)

OFFICE = "C-ASTANA-D1"
INSPECTOR = "demo.astana.inspector"
# (name, BIN, state to reach, working days ago the resolution was signed)
SUBJECTS = [
    ("Astana Su Arnasy LLP", "120540012342", "awaiting", 1),
    ("Astana Heat JSC", "120540012342", "awaiting", 2),
    ("School-gymnasium No. 3", "120540012342", "refused", 4),
    ("Astana Bus Park LLP", "120540012342", "registered", 2),
    ("City Hospital No. 1", "120540012342", "running", 10),
    ("Esil Grain LLP", "120540012342", "suspended", 15),
    ("Burabay Resort LLP", "120540012342", "extended", 28),
    ("Astana Construction JSC", "120540012342", "overdue", 45),
    ("Children's Home No. 2", "120540012342", "completed", 28),
    ("Esil Market LLP", "120540012342", "cancelled", 5),
    ("Astana bailiffs' office", "120540012342", "exempt", 3),
]


@transaction.atomic
def seed_demo_checks() -> int:
    office = Office.objects.filter(code=OFFICE).first()
    officer = get_user_model().objects.filter(username="demo.statistics").first()
    if office is None or officer is None:
        return 0  # the demo offices and cast come first (prosecution.seed.demo)
    # Its own checks (the appeals' demo appoints checks on appeals of this office too).
    if Check.objects.filter(office=office, inspectors__username=INSPECTOR).exists():
        return 0
    inspector = _ensure_user(  # type: ignore[no-untyped-call]  # the demo cast's helper
        INSPECTOR, "Әлия", "Бектұрова", office, Position.PROSECUTOR, "LAWYER-1", None
    )
    head_profile = (
        StaffProfile.objects.filter(office=office, position=Position.HEAD, is_active=True)
        .select_related("user")
        .first()
    )
    if head_profile is None:
        return 0
    head = head_profile.user  # demo.c-astana-d1.head (prosecution.seed.demo)
    today = timezone.localdate()
    made = 0
    for n, (name, bin_, road, ago) in enumerate(SUBJECTS, start=1):
        signed = workdays.add_working_days(today, -ago)
        _make(n, name, bin_, road, signed, head=head, inspector=inspector, officer=officer)
        made += 1
    return made


def _make(
    n: int,
    name: str,
    bin_: str,
    road: str,
    signed: date,
    *,
    head: User,
    inspector: User,
    officer: User,
) -> Check:
    resolution = services.Resolution(
        resolution_number=f"2-15/{n:03d}",
        resolution_date=signed,
        subject_kind=SubjectKind.ORGANISATION,
        subject_number=bin_,
        subject_name=name,
        subject_address="Astana",
        subject_matter="Compliance with the law on consumer protection and tariffs",
        period_from=date(signed.year - 1, 1, 1),
        period_to=date(signed.year - 1, 12, 31),
        inspectors=[inspector],
        ground=CheckGround.UNLIMITED_PERSONS,
        is_private_business=road == "running",
        business_consent_kind=BusinessConsentKind.PG_AGREEMENT if road == "running" else "",
        business_consent_number="2-07/11" if road == "running" else "",
        business_consent_date=signed if road == "running" else None,
        exempt_kind=ExemptKind.ENFORCEMENT if road == "exempt" else "",
    )
    if road == "exempt":
        resolution.ground = ""
    check = services.appoint_check(by=head, resolution=resolution)
    if road == "exempt":
        return services.start_check(check, by=inspector, on=signed)
    entry = services.send_for_registration(check, by=head)
    if road == "awaiting":
        return check
    if road == "refused":
        register.refuse_registration(
            entry, by=officer, reason="The period under review is not stated in the resolution."
        )
        return check
    register.register_check(entry, by=officer)
    if road == "registered":
        return check
    if road == "cancelled":
        return services.cancel_check(check, by=head, reason="The instruction was withdrawn.")
    services.start_check(check, by=inspector, on=signed)
    if road == "suspended":
        services.suspend_check(
            check,
            by=inspector,
            cause=SuspensionCause.EXPERT_EXAMINATION,
            reason="Expert examination of the grain stocks",
            on=workdays.add_working_days(signed, 5),
        )
    elif road == "extended":
        services.extend_check(
            check,
            by=head,
            days=20,
            reason="Large volume of contracts to examine",
            consent_number="2-05/31",
            consent_date=workdays.add_working_days(signed, 20),
            on=workdays.add_working_days(signed, 21),
        )
    elif road == "completed":
        _on_appeal(check, head, signed)
        ended = workdays.add_working_days(signed, 25)
        services.complete_check(
            check,
            by=inspector,
            result="Violations of the rights of pupils to free meals found.",
            violations="Meals not provided to 14 pupils of low-income families (Art. 52 of the "
            "Law on Education).",
            violations_count=1,
            on=ended,
        )
        services.hand_certificate(
            check,
            by=inspector,
            on=min(workdays.add_working_days(ended, 1), timezone.localdate()),
            received_by="Director of the children's home",
        )
    return check


def _on_appeal(check: Check, head: User, signed: date) -> None:
    """Art. 24(4): the check was appointed on an appeal; its completion opens the appeal's 10
    working days to the final answer (appeals/signals.py), which the demo shows open."""
    received = workdays.add_working_days(signed, -2)
    appeal, _code = appeals.register_appeal(
        office=check.office,
        channel=Channel.WRITTEN,
        received_on=received,
        language="ru",
        summary="Питание воспитанников детского дома",
        text="Воспитанники детского дома № 2 не получают бесплатное питание.",
        applicants=[
            appeals.ApplicantData(
                iin="900101300126",
                last_name="Серикбаева",
                first_name="Айгерим",
                email="",
                phone="+77010000000",
                postal_address="",
            )
        ],
        by=head,
    )
    appeals.assign_appeal(appeal, by=head, executor=head)
    appeals.appoint_check(
        appeal,
        by=head,
        legality_check=check,
        interim_reply="По Вашему обращению назначена проверка; о результатах сообщим.",
        on=signed,
    )
