"""Who works on the appeal, and where: an executor and co-executors in the office, and sending
the appeal down the hierarchy (the registering office keeps control: it still sees the appeal,
which is below it) or to another office in the sender's scope, with its history."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealEventKind, AppealState
from appeals.services.common import begin, log
from prosecution.lib.errors import RuleViolation
from prosecution.lib.values import required
from prosecution.models import NoticeKind, Office, StaffProfile
from prosecution.notices import outbox
from prosecution.offices import access
from prosecution.terms import engine as terms


def _active_staff_of(user: User, office: Office) -> bool:
    return StaffProfile.objects.filter(
        user=user, office=office, is_active=True, user__is_active=True
    ).exists()


@transaction.atomic
def assign_appeal(
    appeal: Appeal, *, by: User, executor: User, co_executors: Iterable[User] = ()
) -> Appeal:
    """The head of the office (or a deputy) names the executor, who must work in the appeal's
    office, and co-executors from offices in the head's scope. The answer term follows the
    executor (reminders and the dashboard name them)."""
    appeal, _target = begin(appeal, "assign", by=by)
    if not _active_staff_of(executor, appeal.office):
        raise RuleViolation(
            _("The executor must be active staff of the office that has the appeal."),
            code="executor_office",
        )
    co = [u for u in co_executors if u.pk != executor.pk]
    for person in co:
        profile = access.staff_profile(person)
        if profile is None or not access.may(by, "view", profile.office, office_field=""):
            raise RuleViolation(
                _("A co-executor must be active staff within your scope."), code="co_executor"
            )
    previous = appeal.state
    appeal.executor = executor
    if appeal.state == AppealState.REGISTERED:
        appeal.state = AppealState.IN_WORK
    appeal.save()
    appeal.co_executors.set(co)
    terms.assign_terms(appeal, responsible=executor)
    log(
        appeal,
        AppealEventKind.ASSIGNED,
        by=by,
        from_state=previous if previous != appeal.state else "",
        note=", ".join(str(u.get_full_name() or u.username) for u in [executor, *co]),
        executor=executor.pk,
        co_executors=[u.pk for u in co],
    )
    outbox.save(
        outbox.build(
            kind=NoticeKind.APPEAL_ASSIGNED,
            key=outbox.notice_key(
                "appeal", appeal.pk, "assigned", executor.pk, appeal.events.count()
            ),
            recipients=outbox.staff_recipients(executor),
            context={
                "reference": appeal.reference,
                "summary": appeal.summary,
                "appeal_uuid": str(appeal.uuid),
                "office_id": appeal.office_id,
            },
            subject=appeal,
        )
    )
    return appeal


@transaction.atomic
def send_to_office(appeal: Appeal, *, by: User, office: Office, reason: str) -> Appeal:
    """Forward the appeal down the hierarchy, or transfer it to another office in the sender's
    scope. The office that registered it keeps control as long as the new office is below it;
    the executor is named afresh by the new office."""
    appeal, target = begin(appeal, "send_to_office", by=by)
    reason = required(reason, _("Say why the appeal goes to that office."))
    if office.pk == appeal.office_id:
        raise RuleViolation(_("The appeal is already in that office."), code="same_office")
    if not office.is_active or not access.may(by, "view", office, office_field=""):
        raise RuleViolation(_("You may send appeals only to offices in your scope."), code="scope")
    assert target is not None  # "send_to_office" leads to REGISTERED (workflow.TRANSITIONS)
    previous_state, previous_office = appeal.state, appeal.office
    appeal.office = office
    appeal.office_path = office.path
    appeal.executor = None
    appeal.state = target
    appeal.save()
    appeal.co_executors.clear()
    terms.assign_terms(appeal, responsible=None, office=office)
    log(
        appeal,
        AppealEventKind.SENT_TO_OFFICE,
        by=by,
        from_state=previous_state if previous_state != target else "",
        note=reason,
        from_office=previous_office.code,
        to_office=office.code,
    )
    return appeal


def assignable_executors(appeal: Appeal) -> QuerySet[User]:
    """Active staff of the appeal's office, for the assignment form."""
    return (
        get_user_model()
        .objects.filter(
            staff_profile__office=appeal.office,
            staff_profile__is_active=True,
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
    )
