"""The citizen's pages (/reception/): choose an office (browse or search), an official and a free
slot; give the IIN, name, phone or e-mail, language and matter; confirm with a one-time code; get
a booking code and a signed link to move or cancel. Phone-first, no JavaScript needed.

The booking and code doors are rate-limited per address (and the booking door per IIN) by atomic
counters (prosecution/public/ratelimit.py); too many tries get a 429 page that says when to come
back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals.models import Booking, BookingState, ReceptionKind
from appeals.reception import booking as services
from appeals.reception import changes, screening, selectors, slots
from appeals.reception.common import LimitReached, SlotTaken, booking_from_token, manage_token
from appeals.reception.forms import BookingForm, CodeForm, put_errors
from prosecution.lib.errors import RuleViolation
from prosecution.public import ratelimit, refusals

# Per client address (and per IIN for booking), per hour.
BOOK_LIMIT = 10
CODE_LIMIT = 20
MANAGE_LIMIT = 30
# "Send the code again": per client address, and per phone or e-mail (each new code also keeps
# the slot held as long as it lives: three at most keep it 40 minutes).
CODE_AGAIN_LIMIT = 10
CODE_AGAIN_PER_ADDRESS = 3
HOUR = 3600
TEMPLATES = "appeals/reception/"


def too_many(request, error: ratelimit.RateLimited):
    return refusals.too_many(request, error, door="reception", template=TEMPLATES + "too_many.html")


def index(request):
    """Browse the hierarchy from the top, or search an office by name or address."""
    q = request.GET.get("q", "").strip()
    context = {"q": q}
    if q:
        context["results"] = selectors.search_offices(q)
    else:
        context["offices"] = selectors.top_offices()
    return render(request, TEMPLATES + "index.html", context)


def office(request, uuid):
    office = selectors.public_office(uuid)
    schedules = list(selectors.office_schedules(office))
    appointments = [
        (schedule, next(iter(slots.free_slots([schedule], limit=1)), None))
        for schedule in schedules
        if schedule.kind == ReceptionKind.APPOINTMENT
    ]
    context = {
        "office": office,
        "appointments": appointments,
        "walk_ins": [s for s in schedules if s.kind == ReceptionKind.WALK_IN],
        "detention": [s for s in schedules if s.kind == ReceptionKind.DETENTION],
        "hours": slots.hours_of(office),
        "children": selectors.reception_offices().filter(parent=office),
        "parent": office.parent,
    }
    return render(request, TEMPLATES + "office.html", context)


def schedule(request, uuid):
    schedule = selectors.public_schedule(uuid)
    free = slots.free_slots([schedule])
    return render(
        request,
        TEMPLATES + "schedule.html",
        {"schedule": schedule, "days": selectors.slots_by_day(free)},
    )


def _taken(request, error: SlotTaken, schedule, token: str = "", status: int = 409):
    """Someone was faster: the nearest free slots, to book (or, from the signed link, to move
    to) in one more tap."""
    context = {
        "schedule": schedule,
        "days": selectors.slots_by_day(error.nearest),
        "token": token,
    }
    return render(request, TEMPLATES + "taken.html", context, status=status)


@require_http_methods(["GET", "POST"])
def book(request, uuid):
    schedule = selectors.public_schedule(uuid)
    starts_at = slots.parse_key(request.POST.get("at") or request.GET.get("at", ""))
    slot = slots.find_slot(schedule, starts_at) if starts_at else None
    if slot is None:
        return redirect("reception:schedule", uuid=schedule.uuid)
    if request.method == "GET" and not slots.is_free(slot):
        nearest = slots.nearest_free(schedule.official_id, slot.starts_at)
        return _taken(request, SlotTaken(nearest), schedule, status=200)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(
                request,
                "reception-book",
                limit=BOOK_LIMIT,
                window_seconds=HOUR,
                person=form.cleaned_data["iin"].strip(),
            )
            held = services.hold_slot(
                schedule=schedule,
                starts_at=slot.starts_at,
                citizen=form.citizen(),
                confirm_by=form.cleaned_data["confirm_by"],
                request_key=form.cleaned_data.get("request_key", ""),
            )
        except ratelimit.RateLimited as error:
            return too_many(request, error)
        except SlotTaken as error:
            return _taken(request, error, schedule)
        except ValidationError as error:
            put_errors(form, error)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return redirect("reception:confirm", uuid=held.uuid)
    status = 400 if request.method == "POST" else 200
    context = {
        "schedule": schedule,
        "slot": slot,
        "form": form,
        "screened": screening.needs_screening(schedule),
    }
    return render(request, TEMPLATES + "book.html", context, status=status)


def _masked(booking: Booking) -> str:
    """Where the code went, shown as much as the citizen needs to recognise it."""
    address = booking.confirmation.address if booking.confirmation else ""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:2]}…@{domain}"
    return f"{address[:4]} … {address[-2:]}" if address else ""


@require_http_methods(["GET", "POST"])
def confirm(request, uuid):
    """The code step. What it shows is the same for every booking in the same state: the time,
    and where the code went, masked."""
    booking = (
        Booking.objects.select_related("schedule__official", "schedule__delegate", "confirmation")
        .filter(uuid=uuid, walk_in=False)
        .first()
    )
    if booking is None:
        raise Http404
    form = CodeForm(request.POST or None)
    limited: bool | str = False  # the refusal's message, once at the limit
    if booking.state == BookingState.HELD and request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(request, "reception-code", limit=CODE_LIMIT, window_seconds=HOUR)
            confirmed = services.confirm_booking(booking, code=form.cleaned_data["code"])
        except ratelimit.RateLimited as error:
            return too_many(request, error)
        except LimitReached as error:
            limited = error.message
        else:
            if confirmed is not None and confirmed.state in (
                BookingState.CONFIRMED,
                BookingState.AWAITING_SCREENING,
            ):
                return redirect("reception:manage", token=manage_token(confirmed))
            refusals.refused("reception-code", "wrong_code")
            form.add_error(
                "code", _("The code is wrong or has expired. Check the message, or book again.")
            )
    context = {"booking": booking, "form": form, "sent_to": _masked(booking), "limited": limited}
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATES + "confirm.html", context, status=status)


@require_POST
def code_again(request, uuid):
    """ "Send the code again" on the confirm page, while the slot is held: a new code, the
    earlier one void."""
    booking = (
        Booking.objects.select_related("confirmation")
        .filter(uuid=uuid, walk_in=False, state=BookingState.HELD)
        .first()
    )
    if booking is None or booking.confirmation is None:
        raise Http404
    try:
        ratelimit.check(
            request,
            "reception-code-again",
            limit=CODE_AGAIN_LIMIT,
            window_seconds=HOUR,
            person=booking.confirmation.address,
            person_limit=CODE_AGAIN_PER_ADDRESS,
        )
    except ratelimit.RateLimited as error:
        return too_many(request, error)
    try:  # the recipient's own limit (docs/security.md 27), counted across every door
        sent = services.send_booking_code_again(booking)
    except ratelimit.RateLimited as error:
        return too_many(request, error)
    if sent is not None:
        messages.success(
            request,
            _("We sent a new code to %(address)s. The earlier code no longer works.")
            % {"address": _masked(booking)},
        )
    else:
        messages.error(request, _("The time held for you has run out. Please book again."))
    return redirect("reception:confirm", uuid=booking.uuid)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """The booking behind a signed link: see it, cancel it, or move it to another free slot of
    the same official, until the cut-off before the reception."""
    booking = booking_from_token(token)
    if booking is None:
        refusals.refused("reception-manage", "unknown_link")
        raise Http404
    error = None
    if request.method == "POST":
        try:
            ratelimit.check(request, "reception-manage", limit=MANAGE_LIMIT, window_seconds=HOUR)
            if request.POST.get("action") == "cancel":
                changes.cancel_booking(booking)
            elif request.POST.get("action") == "move":
                starts_at = slots.parse_key(request.POST.get("at", ""))
                if starts_at is None:
                    raise RuleViolation(_("Choose one of the free times."))
                changes.move_booking(booking, starts_at=starts_at)
        except ratelimit.RateLimited as limited:
            return too_many(request, limited)
        except SlotTaken as taken:
            return _taken(request, taken, booking.schedule, token)
        except RuleViolation as violation:
            error = violation.message
        else:
            return redirect("reception:manage", token=token)
        booking.refresh_from_db()
    can_change = booking.is_upcoming and booking.starts_at - timezone.now() >= timedelta(
        hours=settings.RECEPTION_CUTOFF_HOURS
    )
    moves = []
    if can_change:
        free = slots.free_slots(slots.official_schedules(booking.official_id), limit=60)
        moves = selectors.slots_by_day(free)
    context = {
        "booking": booking,
        "token": token,
        "can_change": can_change,
        "moves": moves,
        "error": error,
        "cutoff_hours": settings.RECEPTION_CUTOFF_HOURS,
    }
    return render(request, TEMPLATES + "manage.html", context, status=400 if error else 200)
