"""Three doors, one service: staff register an appeal, a citizen files one online (after
confirming their e-mail or phone with a one-time code), another system posts one through the API
with an idempotency key. The receipt date starts the term (Art. 24(3))."""

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    Appeal,
    AppealEventKind,
    AppealKind,
    AppealLanguage,
    AppealState,
    Applicant,
    ApplicantKind,
    Attachment,
    Channel,
    OnlineFiling,
    RestoreDecision,
    Source,
)
from appeals.services import numbering
from appeals.services.common import answer_term, log, notify_applicants, term_label
from appeals.services.files import check_files
from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.files import uploads
from prosecution.lib import idempotency, text
from prosecution.lib.codes import readable_code
from prosecution.lib.errors import RuleViolation
from prosecution.lib.hashing import keyed_hash
from prosecution.lib.identifiers import normalize_phone, validate_bin, validate_iin
from prosecution.models import NoticeKind, Office, Term, TermKind
from prosecution.offices import access
from prosecution.public import confirmations
from prosecution.terms import engine as terms

COMPLAINT_MONTHS = 3  # Art. 25(1)


@dataclass
class ApplicantData:
    kind: str = ApplicantKind.INDIVIDUAL
    iin: str = ""
    bin: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    organisation: str = ""
    representative: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""

    def cleaned(self, *, iin_required: bool = False) -> "ApplicantData":
        """Validated and normalised; ValidationError with the field's name otherwise."""
        errors = {}
        # Every field of a person is a single line (prosecution/lib/text.py: a name with a
        # right-to-left override showed reversed on staff pages).
        data = ApplicantData(**{k: text.clean_line(v or "") for k, v in asdict(self).items()})
        if data.kind == ApplicantKind.INDIVIDUAL:
            data.bin = data.organisation = ""
            if not data.last_name:
                errors["last_name"] = _("Enter the last name.")
            if data.iin or iin_required:
                try:
                    data.iin = validate_iin(data.iin)
                except ValidationError as error:
                    errors["iin"] = error.messages[0]
        elif data.kind == ApplicantKind.LEGAL_ENTITY:
            data.iin = ""
            if not data.organisation:
                errors["organisation"] = _("Enter the name of the organisation.")
            try:
                data.bin = validate_bin(data.bin)
            except ValidationError as error:
                errors["bin"] = error.messages[0]
        else:
            errors["kind"] = _("Choose an individual or a legal entity.")
        if data.phone:
            try:
                data.phone = normalize_phone(data.phone)
            except ValidationError as error:
                errors["phone"] = error.messages[0]
        if data.email:
            try:
                validate_email(data.email)
            except ValidationError:
                errors["email"] = _("Enter a valid e-mail address.")
        if errors:
            raise ValidationError(errors)
        return data


def new_status_code() -> str:
    return readable_code(10)


def status_code_hash(reference: str, code: str) -> str:
    normal = "".join(c for c in (code or "").upper() if c.isalnum())
    return keyed_hash(f"appeal-status:{reference}:{normal}")


def complaint_deadline(learned_on: date) -> date:
    """Art. 25(1): three months from the day the person learned of the decision, act or
    (in)action; a last day that is not a working day moves to the next working day (docs/rules.md,
    "How terms are counted")."""
    return workdays.add_months(learned_on, COMPLAINT_MONTHS)


def considering_office(complained: Office) -> Office:
    """Art. 25(1), 43: the superior office decides a complaint against a prosecutor. A complaint
    against the General Prosecutor's Office itself is decided there, by the Prosecutor General or
    a deputy (there is no office above it; the courts remain open to the person)."""
    return complained.parent or complained


@transaction.atomic
def register_appeal(
    *,
    office: Office,
    kind: str = AppealKind.APPEAL,
    channel: str,
    received_on: date,
    language: str,
    summary: str,
    text: str,
    applicants: Sequence[ApplicantData] = (),
    is_anonymous: bool = False,
    reports_offence_or_threat: bool = False,
    language_other: str = "",
    complained_office: Office | None = None,
    complained_act: str = "",
    learned_on: date | None = None,
    by: User | None = None,
    source: str = Source.STAFF,
    idempotency_key: str = "",
    iin_required: bool = False,
) -> tuple[Appeal, str]:
    """Register an appeal and start its term: 15 working days from receipt (Art. 24(3)), or 20
    for a complaint against a prosecutor, decided by the superior office (Art. 25(1)).

    Returns the appeal and its status code (shown once; only its hash is stored).

    - Art. 24(6): an anonymous appeal is closed as not considered at once, unless it reports a
      criminal offence being prepared or committed, or a threat to national or public security.
    - Art. 25(1): a complaint filed more than three months after the person learned of the act is
      registered with a request to restore the term, which the considering office grants or
      refuses with reasons (appeals/services/triage.py). Our reading, which protects the person:
      a late complaint is itself taken as that request; it is never refused at the door.
    """
    # Staff, and other systems through the API (their accounts are staff of an office: a national
    # system's account sits in the GPO), register only in offices of their scope. A complaint is
    # checked where it was received; it is then registered in the superior office (Art. 25(1)).
    if (
        by is not None
        and source in (Source.STAFF, Source.API)
        and not access.may(by, "register_appeal", office)
    ):
        audit.denied(office, actor=by, checked="register_appeal")
        raise RuleViolation(_("You may not register appeals in this office."), code="forbidden")
    if not office.is_active:
        raise RuleViolation(_("This office does not accept appeals."), code="office_inactive")
    today = timezone.localdate()
    if received_on > today:
        raise RuleViolation(_("The date of receipt cannot be in the future."), code="future_date")
    summary, text = (summary or "").strip(), (text or "").strip()
    if not summary or not text:
        raise RuleViolation(_("An appeal needs a summary and its text."), code="required")
    if language not in AppealLanguage.values:
        raise RuleViolation(_("Choose the language of the appeal."), code="language")
    if language == AppealLanguage.OTHER and not language_other.strip():
        raise RuleViolation(_("Name the language of the appeal."), code="language")
    cleaned = [a.cleaned(iin_required=iin_required) for a in applicants]
    if is_anonymous and cleaned:
        raise RuleViolation(_("An anonymous appeal has no applicant."), code="anonymous")
    if not is_anonymous and not cleaned:
        raise RuleViolation(_("Name at least one applicant."), code="applicant_required")

    registered_in = office
    restore = RestoreDecision.NOT_NEEDED
    if kind == AppealKind.COMPLAINT:
        if complained_office is None or learned_on is None or not complained_act.strip():
            raise RuleViolation(
                _(
                    "A complaint names the office, the decision, act or (in)action, and the day "
                    "the person learned of it."
                ),
                article="Art. 25(1)",
                code="required",
            )
        if learned_on > received_on:
            raise RuleViolation(
                _("The day the person learned of it cannot follow the receipt."),
                article="Art. 25(1)",
                code="learned_after_receipt",
            )
        office = registered_in = considering_office(complained_office)
        if received_on > complaint_deadline(learned_on):
            restore = RestoreDecision.REQUESTED

    year = received_on.year
    number = numbering.next_number(registered_in, year)
    code = new_status_code()
    reference = numbering.reference(registered_in, year, number)
    appeal = Appeal(
        reference=reference,
        office=office,
        office_path=office.path,
        registered_in=registered_in,
        year=year,
        number=number,
        kind=kind,
        channel=channel,
        source=source,
        received_on=received_on,
        registered_by=by if source == Source.STAFF else None,
        created_by=by,
        idempotency_key=idempotency_key,
        language=language,
        language_other=language_other.strip() if language == AppealLanguage.OTHER else "",
        summary=summary[:300],
        text=text,
        is_anonymous=is_anonymous,
        reports_offence_or_threat=reports_offence_or_threat,
        complained_office=complained_office if kind == AppealKind.COMPLAINT else None,
        complained_act=complained_act.strip()[:300],
        learned_on=learned_on if kind == AppealKind.COMPLAINT else None,
        restore=restore,
        status_code_hash=status_code_hash(reference, code),
    )
    appeal.save()
    Applicant.objects.bulk_create(
        Applicant(appeal=appeal, order=n, **asdict(a)) for n, a in enumerate(cleaned)
    )
    log(
        appeal,
        AppealEventKind.REGISTERED,
        by=by,
        note=appeal.get_channel_display(),
        channel=channel,
    )

    if is_anonymous and not reports_offence_or_threat:
        appeal.state = AppealState.NOT_CONSIDERED
        appeal.save(update_fields=["state", "updated_at"])
        log(
            appeal,
            AppealEventKind.NOT_CONSIDERED,
            by=by,
            from_state=AppealState.REGISTERED,
            note=_("Art. 24(6): an anonymous appeal is not considered."),
        )
        return appeal, code
    open_answer_term(appeal)
    notify_applicants(appeal, NoticeKind.APPEAL_REGISTERED, status_code=code)
    return appeal, code


def open_answer_term(appeal: Appeal) -> Term:
    kind = (
        TermKind.COMPLAINT_DECISION
        if appeal.kind == AppealKind.COMPLAINT
        else TermKind.APPEAL_ANSWER
    )
    return terms.open_term(
        subject=appeal,
        kind=kind,
        office=appeal.office,
        start_date=appeal.received_on,
        start_event=_("Appeal %(reference)s received") % {"reference": appeal.reference},
        responsible=appeal.executor,
        label=term_label(appeal),
    )


def register_from_api(
    *, by: User, idempotency_key: str, **fields: Any
) -> tuple[Appeal, str | None, bool]:
    """Another system posts an appeal, in an office of its account's scope. The same key from the
    same caller returns the first appeal (created=False, and no status code: it was given the
    first time), so a retry after a lost answer never makes a second appeal (docs/security.md 18).
    Returns (appeal, code, created)."""
    key = idempotency.clean_key(idempotency_key)
    existing = Appeal.objects.filter(created_by=by, idempotency_key=key).first()
    if existing is not None:
        return existing, None, False
    try:
        with transaction.atomic():
            appeal, code = register_appeal(by=by, idempotency_key=key, source=Source.API, **fields)
    except IntegrityError:
        # The same key raced in from a second connection and won: return its appeal.
        existing = Appeal.objects.filter(created_by=by, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, None, False
    return appeal, code, True


# Online filing ----------------------------------------------------------------------------------

FILING_PURPOSE = "appeal-filing"


@transaction.atomic
def start_online_filing(
    *,
    office: Office,
    applicant: ApplicantData,
    language: str,
    summary: str,
    text: str,
    confirm_by: str,
    files: Iterable[File] = (),
) -> OnlineFiling:
    """A citizen filed the public form: validate it whole (so that nothing they typed is lost
    on an error), hold it, and send a one-time code to the e-mail address or phone they chose to
    confirm. The appeal is registered when the code is confirmed."""
    cleaned = applicant.cleaned(iin_required=applicant.kind == ApplicantKind.INDIVIDUAL)
    address = cleaned.email if confirm_by == "email" else cleaned.phone
    if not address:
        raise ValidationError(
            {"email" if confirm_by == "email" else "phone": _("Needed to send you the code.")}
        )
    if language not in (AppealLanguage.KK, AppealLanguage.RU, AppealLanguage.EN):
        raise ValidationError({"language": _("Choose the language of the appeal.")})
    if not summary.strip() or not text.strip():
        raise ValidationError({"text": _("Describe your matter.")})
    checked = check_files(list(files))  # every file, before anything is stored or sent
    # The code (and its limits per phone and e-mail) before the files are stored: a refused
    # filing leaves nothing behind.
    record = confirmations.issue(purpose=FILING_PURPOSE, address=address, language=language)
    stored = [(file.name, uploads.store(file, detected)) for file, detected in checked]
    return OnlineFiling.objects.create(
        confirmation=record,
        payload={
            "office": office.pk,
            "applicant": asdict(cleaned),
            "language": language,
            "summary": summary.strip()[:300],
            "text": text.strip(),
            "received_at": timezone.now().isoformat(),
            "files": [
                {
                    "name": (name or "file")[:255],
                    "stored": saved.name,
                    "size": saved.size,
                    "sha256": saved.sha256,
                    "content_type": saved.content_type,
                }
                for name, saved in stored
            ],
        },
    )


@transaction.atomic
def send_filing_code_again(filing: OnlineFiling) -> OnlineFiling | None:
    """The citizen asks for the code again (it did not come, or it expired): a new one to the
    same address, in the language of the appeal; the first stops working. None once the appeal
    is registered. How often is limited by the page (appeals/views/public.py)."""
    filing = OnlineFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.appeal_id is not None:
        return None
    record = confirmations.reissue(filing.confirmation, language=filing.payload["language"])
    if record is None:
        return None
    filing.confirmation = record
    filing.save(update_fields=["confirmation"])
    return filing


def confirm_online_filing(filing: OnlineFiling, *, code: str) -> tuple[Appeal, str] | None:
    """The citizen typed the code: register the appeal (once, whatever the number of clicks).
    None if the code is wrong, spent or expired. The receipt date is the day the citizen filed
    the form, not the day they confirmed it (the earlier day protects them)."""
    if not confirmations.verify(
        code_uuid=filing.confirmation.uuid, code=code, purpose=FILING_PURPOSE
    ):
        return None
    with transaction.atomic():
        filing = OnlineFiling.objects.select_for_update().get(pk=filing.pk)
        if filing.appeal_id is not None:
            return None
        payload = filing.payload
        received = timezone.localtime(datetime.fromisoformat(payload["received_at"])).date()
        appeal, status_code = register_appeal(
            office=Office.objects.get(pk=payload["office"]),
            channel=Channel.ONLINE,
            source=Source.ONLINE,
            received_on=received,
            language=payload["language"],
            summary=payload["summary"],
            text=payload["text"],
            applicants=[ApplicantData(**payload["applicant"])],
            iin_required=True,
        )
        Attachment.objects.bulk_create(
            Attachment(
                appeal=appeal,
                stored_name=f["stored"],
                original_name=f["name"],
                content_type=f["content_type"],
                size=f["size"],
                sha256=f["sha256"],
                from_applicant=True,
            )
            for f in payload.get("files", [])
        )
        filing.appeal = appeal
        filing.save(update_fields=["appeal"])
    return appeal, status_code


def purge_online_filings(now: datetime | None = None) -> int:
    """Filings never confirmed: kept a day, then forgotten (they hold personal data)."""
    now = now or timezone.now()
    stale = OnlineFiling.objects.filter(appeal__isnull=True, created_at__lt=now - timedelta(days=1))
    storage = uploads.private_storage()
    for payload in stale.values_list("payload", flat=True):
        for file in payload.get("files", []):
            storage.delete(file["stored"])
    deleted, _ = stale.delete()
    return deleted


def status_for(*, reference: str, code: str) -> Appeal | None:
    """The citizen's status page: the appeal if the number and the secret code match, else None,
    the same way for an unknown number and a wrong code (no enumeration: docs/security.md 9)."""
    reference = (reference or "").strip().upper()
    given = status_code_hash(reference, code)
    appeal = Appeal.objects.filter(reference__iexact=reference).first()
    stored = appeal.status_code_hash if appeal is not None else keyed_hash("no-such-appeal")
    if appeal is None or not hmac.compare_digest(stored, given):
        return None
    return appeal


def public_due_date(appeal: Appeal) -> date | None:
    """The date by which the citizen can expect the answer (the running answer term)."""
    term = answer_term(appeal)
    return term.due_date if term is not None else None
