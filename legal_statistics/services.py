"""The register of legality checks (Art. 18(4), 19(1)): a registration officer registers a
resolution, with a number unique in its year, or refuses it with reasons. Who is a registration
officer: an active member of staff in the position "legal statistics officer" (the demo account
`demo.statistics` at the Committee), deciding entries of the Committee's register (the access
policy's scope: the Committee and departments placed below it) or entries of checks appointed
within their own office's subtree (the legal statistics department of a regional office)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legal_statistics.models import Registration, RegistrationState
from prosecution.audit import log as audit
from prosecution.lib import numbering
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind
from prosecution.notices import outbox
from prosecution.offices import access
from supervision import services as checks
from supervision.models import Check, CheckEventKind, CheckState
from supervision.rules import REGISTRATION_SCOPE

ART_18_4 = "Art. 18(4)"


def _begin(registration: Registration, by: User | None) -> tuple[Registration, Check]:
    """Lock the entry, then its check (always in that order), and check the officer and the
    state. Two officers deciding the same resolution at once: the second waits for the first's
    lock and then finds it decided."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    # An officer of the register that keeps the entry; or else of the department whose region
    # the check was appointed in (which refuses, audited, anyone who is neither).
    if not access.may(by, "register_check", registration):
        access.require(
            by,
            "register_check",
            registration,
            office_field="check_office",
            article=ART_18_4,
            message=_("Only a registration officer of legal statistics decides this."),
        )
    if registration.state != RegistrationState.PENDING:
        raise RuleViolation(
            _("This resolution has already been decided (%(state)s).")
            % {"state": registration.get_state_display()},
            article=ART_18_4,
            code="already_decided",
        )
    check = checks.lock(registration.legality_check)
    return registration, check


@transaction.atomic
def register_check(registration: Registration, *, by: User) -> Registration:
    """Art. 18(4), 19(1): the resolution is entered into the register before the check begins,
    under the next number of the year (one gapless sequence: prosecution/lib/numbering.py)."""
    registration, check = _begin(registration, by)
    # Art. 18(2): the database refuses it too (check_private_business_registered_with_consent).
    checks.require_business_consent(check)
    now = timezone.now()
    year = timezone.localdate().year
    number = numbering.next_number(scope=REGISTRATION_SCOPE, office=registration.office, year=year)
    registration.state = RegistrationState.REGISTERED
    registration.year, registration.number = year, number
    registration.reference = reference(year, number)
    registration.decided_at, registration.decided_by = now, by
    registration.save()
    check.registration = registration
    check.state = CheckState.REGISTERED
    check.save(update_fields=["registration", "state"])
    checks.log(
        check,
        CheckEventKind.REGISTERED,
        by=by,
        on=timezone.localdate(),
        reference=registration.reference,
    )
    audit.record(
        "registration.register", target=registration, actor=by, reference=registration.reference
    )
    inspectors = list(check.inspectors.select_related("staff_profile"))  # one query, not one each
    _tell(check, registration, NoticeKind.CHECK_REGISTERED, inspectors)
    return registration


@transaction.atomic
def refuse_registration(registration: Registration, *, by: User, reason: str) -> Registration:
    """Art. 18(4): the officer refuses to register a resolution, with reasons; the prosecutor may
    correct it and send it again."""
    registration, check = _begin(registration, by)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("A refusal needs its reasons."), article=ART_18_4, code="required")
    registration.state = RegistrationState.REFUSED
    registration.refusal_reason = reason
    registration.decided_at, registration.decided_by = timezone.now(), by
    registration.save()
    check.state = CheckState.REGISTRATION_REFUSED
    check.save(update_fields=["state"])
    checks.log(
        check, CheckEventKind.REGISTRATION_REFUSED, by=by, on=timezone.localdate(), reason=reason
    )
    audit.record("registration.refuse", target=registration, actor=by, reason=reason)
    sender = registration.sent_by
    _tell(check, registration, NoticeKind.CHECK_REGISTRATION_REFUSED, [sender] if sender else [])
    return registration


def _tell(check: Check, registration: Registration, kind: NoticeKind, people: list[User]) -> None:
    """The inspectors learn that the check may begin; the sender, that it was refused and why.
    Written in the decision's transaction (the outbox sends them once it commits). Of a
    classified check, the notice names neither the subject nor the reasons: e-mail and the bell
    are not cleared channels (as a classified term's notice, outbox.term_context)."""
    classified = check.is_classified
    outbox.save(
        [
            notice
            for person in people
            for notice in outbox.build(
                kind=kind,
                key=outbox.notice_key("registration", registration.pk, kind, person.pk),
                recipients=outbox.staff_recipients(person),
                context={
                    "resolution": check.resolution_number,
                    "classified": classified,
                    "subject": "" if classified else check.subject_name,
                    "number": registration.reference or "",
                    "reason": "" if classified else registration.refusal_reason,
                    "check_uuid": str(check.uuid),
                },
                subject=check,
            )
        ]
    )


def reference(year: int, number: int) -> str:
    """The registration number as the subject quotes it on the public lookup."""
    return f"{year}-{number:06d}"
