"""The decision and the answer (Art. 24(7)): reasoned, citing legislation, in the state language or
the language of the appeal, explaining the right to complain; as a PDF letter on the office's
letterhead. A complaint's decision may cancel, revoke, suspend or amend the act (Art. 43(3))."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    DECISION_OUTCOMES,
    ActEffect,
    AnswerLetter,
    AnswerMethod,
    Appeal,
    AppealEventKind,
    AppealKind,
    AppealLanguage,
    AppealState,
    Channel,
    DocumentStatus,
    Outcome,
    RestoreDecision,
)
from appeals.services.common import (
    active_terms,
    begin,
    log,
    not_before_receipt,
    notify_applicants,
)
from appeals.tasks import build_answer_letter
from prosecution.lib.errors import RuleViolation
from prosecution.lib.values import required
from prosecution.models import NoticeKind
from prosecution.terms import engine as terms


def answer_language_for(appeal: Appeal) -> str:
    """Art. 24(7): the state language or the language of the appeal. An appeal in another
    language is answered in Russian unless staff choose Kazakh (Constitution Art. 7(2); we have
    no letter templates in other languages: the closing note asks a lawyer to confirm)."""
    if appeal.language in (AppealLanguage.KK, AppealLanguage.RU, AppealLanguage.EN):
        return appeal.language
    return AppealLanguage.RU


def allowed_answer_languages(appeal: Appeal) -> list[str]:
    """Kazakh always (the state language); the appeal's own language if we have it."""
    languages = ["kk"]
    if appeal.language in ("ru", "en"):
        languages.append(appeal.language)
    elif appeal.language == AppealLanguage.OTHER:
        languages.append("ru")
    return languages


@transaction.atomic
def decide_appeal(
    appeal: Appeal,
    *,
    by: User,
    outcome: str,
    answer_text: str,
    legislation: str,
    language: str = "",
    act_effect: str = "",
) -> Appeal:
    """Record the decision with its reasoned answer and the legislation it relies on (both
    required, Art. 24(7)), and start building the answer letter.

    A complaint against a prosecutor is decided by the leadership of the superior office (Art.
    25(1)), and says what becomes of the act (Art. 43(3)); a late complaint only once its term is
    restored. A refusal of an appeal accepted at a personal reception requires a personal answer
    (docs/sources.md, seed 001, 002)."""
    is_complaint = appeal.kind == AppealKind.COMPLAINT
    appeal, target = begin(appeal, "decide", by=by)
    if outcome not in DECISION_OUTCOMES:
        raise RuleViolation(_("Choose the outcome."), code="outcome")
    answer_text = required(answer_text, _("The answer gives its reasons."), "Art. 24(7)")
    legislation = required(
        legislation, _("Cite the legislation the answer relies on."), "Art. 24(7)"
    )
    language = language or answer_language_for(appeal)
    if language not in allowed_answer_languages(appeal):
        raise RuleViolation(
            _("The answer is in the state language or the language of the appeal."),
            article="Art. 24(7)",
            code="answer_language",
        )
    if is_complaint:
        if appeal.restore in (RestoreDecision.REQUESTED, RestoreDecision.REFUSED):
            raise RuleViolation(
                _("First decide on restoring the term to complain."), article="Art. 25(1)"
            )
        if act_effect not in ActEffect.values or not act_effect:
            raise RuleViolation(
                _("Say what becomes of the act complained about."), article="Art. 43(3)"
            )
    elif act_effect:
        raise RuleViolation(_("Only a complaint decides on an act."), article="Art. 43(3)")
    assert target is not None  # "decide" leads to DECIDED (workflow.TRANSITIONS)
    previous = appeal.state
    appeal.state = target
    appeal.outcome = outcome
    appeal.answer_text = answer_text
    appeal.legislation = legislation
    appeal.answer_language = language
    appeal.act_effect = act_effect
    appeal.decided_at = timezone.now()
    appeal.decided_by = by
    appeal.personal_answer_required = (
        appeal.channel == Channel.RECEPTION and outcome == Outcome.REFUSED
    )
    appeal.save()
    letter = _new_letter(appeal, language)
    log(
        appeal,
        AppealEventKind.DECIDED,
        by=by,
        from_state=previous,
        note=appeal.get_outcome_display(),
        outcome=outcome,
        act_effect=act_effect,
        letter=str(letter.uuid),
    )
    return appeal


def _new_letter(appeal: Appeal, language: str) -> AnswerLetter:
    last = appeal.letters.aggregate(last=Max("version"))["last"] or 0
    letter = AnswerLetter.objects.create(appeal=appeal, version=last + 1, language=language)
    transaction.on_commit(lambda: build_answer_letter.delay(letter.pk))
    return letter


@transaction.atomic
def reopen_appeal(appeal: Appeal, *, by: User, reason: str) -> Appeal:
    """Withdraw a decision before its answer is sent (a mistake found on review)."""
    appeal, target = begin(appeal, "reopen", by=by)
    reason = required(reason, _("Say why the decision is withdrawn."))
    assert target is not None  # "reopen" leads back to IN_WORK (workflow.TRANSITIONS)
    previous = appeal.state
    appeal.state = target
    appeal.outcome = ""
    appeal.act_effect = ""
    appeal.personal_answer_required = False
    appeal.save()
    log(appeal, AppealEventKind.REOPENED, by=by, from_state=previous, note=reason)
    return appeal


def current_letter(appeal: Appeal) -> AnswerLetter | None:
    return appeal.letters.order_by("-version").first()


@transaction.atomic
def send_answer(appeal: Appeal, *, by: User, method: str, on: date | None = None) -> Appeal:
    """The answer is sent (e-mail, post, the e-government portal, in person): recorded, the
    answer term met, the applicant told. A refusal of an appeal from a personal reception waits
    for the personal answer before it closes."""
    appeal, _target = begin(appeal, "send_answer", by=by)
    if method not in AnswerMethod.values:
        raise RuleViolation(_("Choose how the answer is sent."), code="method")
    letter = current_letter(appeal)
    if letter is None or letter.status != DocumentStatus.READY:
        raise RuleViolation(
            _("The answer letter is not ready yet."), article="Art. 24(7)", code="letter_not_ready"
        )
    if method == AnswerMethod.EMAIL and not appeal.applicants.exclude(email="").exists():
        # Art. 24(7): the answer goes by the means the applicant gave; no address, no e-mail.
        raise RuleViolation(
            _("No applicant gave an e-mail address: send the answer another way."),
            article="Art. 24(7)",
            code="no_email",
        )
    on = not_before_receipt(appeal, on or timezone.localdate(), field="on")
    if on > timezone.localdate():
        raise RuleViolation(_("The answer is sent between the receipt and today."))
    previous = appeal.state
    appeal.state = (
        AppealState.AWAITING_PERSONAL_ANSWER
        if appeal.personal_answer_required
        else AppealState.ANSWERED
    )
    appeal.answered_on = on
    appeal.answer_method = method
    appeal.save()
    for term in active_terms(appeal):
        terms.meet_term(term, on=on, system=True, note=_("Answer sent"))
    log(
        appeal,
        AppealEventKind.ANSWERED,
        by=by,
        from_state=previous,
        note=appeal.get_answer_method_display(),
        method=method,
        letter=str(letter.uuid),
    )
    # The e-mail carries the answer itself: its text, and the signed letter attached (issue 13:
    # it said only that an answer had gone). The SMS says where to read it.
    notify_applicants(
        appeal,
        NoticeKind.APPEAL_ANSWERED,
        outcome=appeal.outcome,
        on=on,
        method=method,
        answer_text=appeal.answer_text,
        attachments=[
            {
                "stored_name": letter.stored_name,
                "name": letter_download_name(appeal, letter),
                "content_type": "application/pdf",
            }
        ],
    )
    return appeal


def letter_download_name(appeal: Appeal, letter: AnswerLetter) -> str:
    """The letter's file name for the person who downloads it: the number, version, language."""
    return f"{appeal.reference.replace('/', '-')}-v{letter.version}-{letter.language}.pdf"


def sent_letter(appeal: Appeal) -> AnswerLetter | None:
    """The letter of the answer that was sent (the one the citizen may read), or None before
    the answer is sent."""
    if appeal.answered_on is None:
        return None
    letter = current_letter(appeal)
    return letter if letter is not None and letter.status == DocumentStatus.READY else None


@transaction.atomic
def record_personal_answer(appeal: Appeal, *, by: User, on: date, note: str) -> Appeal:
    """docs/sources.md, seed 001, 002: the official gives the applicant a personal answer explaining
    the reasons for the refusal; only then is the appeal closed."""
    appeal, target = begin(appeal, "record_personal_answer", by=by)
    note = required(note, _("Record what the applicant was told."))
    # "record_personal_answer" leads to ANSWERED, from a state the written answer left.
    assert target is not None and appeal.answered_on is not None
    if on > timezone.localdate() or on < appeal.answered_on:
        raise RuleViolation(
            _("The personal answer follows the written one and is not in the future.")
        )
    previous = appeal.state
    appeal.state = target
    appeal.personal_answer_on = on
    appeal.personal_answer_note = note
    appeal.save()
    log(appeal, AppealEventKind.PERSONAL_ANSWER, by=by, from_state=previous, note=note)
    return appeal
