"""The citizen's doors: file an appeal online (confirmed with a one-time code) and follow it by
its registration number and secret code. Rate-limited per address and per person; the same answer
whether a number exists or not (docs/security.md 9, 17)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals import forms, services
from appeals.models import Appeal, AppealEventKind, OnlineFiling
from appeals.reception.forms import put_errors
from appeals.reception.selectors import reception_offices
from prosecution.files import uploads
from prosecution.public import ratelimit, refusals

# Per client address (and per IIN where one is given), per hour.
FILE_LIMIT = 10
CODE_LIMIT = 20
STATUS_LIMIT = 30
# "Send the code again": per client address, and per address the code goes to (a phone is not
# to be flooded, nor a held filing kept alive for ever).
CODE_AGAIN_LIMIT = 10
CODE_AGAIN_PER_ADDRESS = 3
HOUR = 3600
# What the citizen's status page shows of the history.
PUBLIC_EVENTS = (
    AppealEventKind.REGISTERED,
    AppealEventKind.SENT_TO_OFFICE,
    AppealEventKind.EXTENDED,
    AppealEventKind.CHECK_APPOINTED,
    AppealEventKind.CHECK_COMPLETED,
    AppealEventKind.REDIRECTED,
    AppealEventKind.TERMINATED,
    AppealEventKind.NOT_CONSIDERED,
    AppealEventKind.ANSWERED,
    AppealEventKind.RESTORE,
)


def _public_offices():
    """The offices a citizen addresses: those that receive citizens."""
    return reception_offices().order_by("path")


def _limited(request, scope, limit, person="", person_limit=None):
    try:
        ratelimit.check(
            request,
            scope,
            limit=limit,
            window_seconds=HOUR,
            person=person,
            person_limit=person_limit,
        )
    except ratelimit.RateLimited as error:
        return _too_many(request, error)
    return None


def _too_many(request, error: ratelimit.RateLimited):
    return refusals.too_many(request, error, door="appeal")


@require_http_methods(["GET", "POST"])
def file_appeal(request):
    form = forms.OnlineAppealForm(
        request.POST or None,
        request.FILES or None,
        offices=_public_offices(),
        initial={"language": get_language()[:2]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if limited := _limited(request, "appeal-file", FILE_LIMIT, person=data["iin"]):
            return limited
        applicant = services.ApplicantData(
            iin=data["iin"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data["middle_name"],
            email=data["email"],
            phone=data["phone"],
        )
        try:
            filing = services.start_online_filing(
                office=data["office"],
                applicant=applicant,
                language=data["language"],
                summary=data["summary"],
                text=data["text"],
                confirm_by=data["confirm_by"],
                files=data["files"],
            )
        except ratelimit.RateLimited as error:  # the codes to this phone or address
            return _too_many(request, error)
        except ValidationError as error:
            put_errors(form, error)
        else:
            return redirect("appeal-confirm", uuid=filing.uuid)
    # A browser never sends a file back: when the page returns with errors, the citizen must
    # choose the files again, and is told so next to the field.
    files_lost = bool(request.FILES) and bool(form.errors)
    return render(request, "appeals/public/file.html", {"form": form, "files_lost": files_lost})


@require_http_methods(["GET", "POST"])
def confirm(request, uuid):
    filing = OnlineFiling.objects.filter(uuid=uuid, appeal__isnull=True).first()
    if filing is None:
        raise Http404
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limited := _limited(request, "appeal-code", CODE_LIMIT):
            return limited
        registered = services.confirm_online_filing(filing, code=form.cleaned_data["code"])
        if registered is None:
            refusals.refused("appeal-code", "wrong_code")
            form.add_error("code", _("The code is wrong or has expired."))
        else:
            appeal, code = registered
            # Shown once, on the next page; never put in a URL.
            request.session["filed_appeal"] = {"reference": appeal.reference, "code": code}
            return redirect("appeal-filed")
    return render(
        request,
        "appeals/public/confirm.html",
        {"form": form, "filing": filing, "address": _masked(filing.confirmation.address)},
    )


@require_POST
def code_again(request, uuid):
    """ "Send the code again" on the confirm page: a new code, the earlier one void."""
    filing = (
        OnlineFiling.objects.select_related("confirmation")
        .filter(uuid=uuid, appeal__isnull=True)
        .first()
    )
    if filing is None:
        raise Http404
    address = filing.confirmation.address
    if limited := _limited(
        request,
        "appeal-code-again",
        CODE_AGAIN_LIMIT,
        person=address,
        person_limit=CODE_AGAIN_PER_ADDRESS,
    ):
        return limited
    try:  # the recipient's own limit (docs/security.md 27), counted across every door
        sent = services.send_filing_code_again(filing)
    except ratelimit.RateLimited as error:
        return _too_many(request, error)
    if sent is not None:
        messages.success(
            request,
            _("We sent a new code to %(address)s. The earlier code no longer works.")
            % {"address": _masked(address)},
        )
    return redirect("appeal-confirm", uuid=filing.uuid)


def _masked(address: str) -> str:
    if "@" in address:
        name, domain = address.split("@", 1)
        return f"{name[:2]}***@{domain}"
    return f"{address[:4]}*****{address[-2:]}"


def filed(request):
    shown = request.session.pop("filed_appeal", None)
    if shown is None:
        return redirect("appeal-status")
    return render(request, "appeals/public/filed.html", shown)


@require_http_methods(["GET", "POST"])
def status(request):
    form = forms.StatusForm(request.POST or None)
    appeal = None
    if request.method == "POST" and form.is_valid():
        if limited := _limited(request, "appeal-status", STATUS_LIMIT):
            return limited
        appeal = services.status_for(
            reference=form.cleaned_data["reference"], code=form.cleaned_data["code"]
        )
        if appeal is None:
            refusals.refused("appeal-status", "no_match")
            form.add_error(None, _("No appeal matches this number and code."))
    context: dict[str, Any] = {"form": form, "appeal": appeal}
    if appeal is not None:
        context["events"] = appeal.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "pk")
        context["due"] = services.public_due_date(appeal)
        context["letter"] = services.sent_letter(appeal)
        # The number and the code were right: this session may download the answer's letter
        # (the code never goes into a URL; docs/security.md 9).
        request.session[STATUS_SESSION_KEY] = str(appeal.uuid)
    return render(request, "appeals/public/status.html", context)


STATUS_SESSION_KEY = "status_appeal"


def status_letter(request):
    """The answer letter of the appeal whose number and code this session gave on the status
    page, once the answer is sent; 404 otherwise (nothing to tell whether a letter exists)."""
    shown = request.session.get(STATUS_SESSION_KEY)
    appeal = Appeal.objects.filter(uuid=shown).first() if shown else None
    letter = services.sent_letter(appeal) if appeal is not None else None
    if appeal is None or letter is None:
        raise Http404
    return uploads.attachment_response(
        letter.stored_name,
        download_name=services.letter_download_name(appeal, letter),
        content_type="application/pdf",
    )
