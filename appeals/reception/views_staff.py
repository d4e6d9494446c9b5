"""Staff pages of receptions (/reception/staff/): schedules, requests entered for the call centre,
the portal, written requests and the Center, screening of requests to the GPO's leadership, and
the day's list. Thin: the selectors read through the access policy, the services decide; out of
scope is 404."""

from __future__ import annotations

import uuid as uuid_lib
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appeals.models import BookingState, ReceptionKind
from appeals.reception import booking as booking_services
from appeals.reception import changes, days, screening, selectors, slots
from appeals.reception import day as day_services
from appeals.reception import schedules as schedule_services
from appeals.reception.forms import (
    CancelDayForm,
    OutcomeForm,
    PassForm,
    RefuseForm,
    ScheduleForm,
    StaffBookingForm,
    WalkInForm,
    put_errors,
)
from prosecution.lib import dates
from prosecution.lib.errors import RuleViolation
from prosecution.models import Office
from prosecution.offices import access
from prosecution.offices import selectors as prosecution_selectors

TEMPLATES = "appeals/reception/staff/"
PAGE_SIZE = 50


def _with_forms(bookings):
    """Each row its own forms, with ids of its own (one page, many rows, no repeated ids); the
    offices to pass a request to are read once for the page, and only if a request waits."""
    offices = None
    for booking in bookings:
        auto_id = f"id_{booking.code}_%s"
        booking.outcome_form = OutcomeForm(auto_id=auto_id)
        booking.refuse_form = RefuseForm(auto_id=auto_id)
        if booking.state == BookingState.AWAITING_SCREENING:
            offices = PassForm.choices() if offices is None else offices
            booking.pass_form = PassForm(auto_id=auto_id, offices=offices)
    return bookings


def _profile_or_404(request):
    profile = access.staff_profile(request.user)
    if profile is None:
        raise Http404
    return profile


def _staff_users(request):
    profiles = prosecution_selectors.visible_staff(request.user).filter(
        is_active=True, user__is_active=True
    )
    return (
        get_user_model()
        .objects.filter(staff_profile__in=profiles)
        .select_related("staff_profile__office")
        .order_by("staff_profile__office__path", "last_name")
    )


@login_required
def home(request):
    profile = _profile_or_404(request)
    today = timezone.localdate()
    context = {
        "profile": profile,
        "waiting": selectors.screening_queue(request.user).count(),
        "today_count": selectors.day_list(request.user, day=today, official=request.user).count(),
    }
    return render(request, TEMPLATES + "home.html", context)


@login_required
def schedule_list(request):
    _profile_or_404(request)
    page = Paginator(selectors.visible_schedules(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, TEMPLATES + "schedules.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, uuid=None):
    _profile_or_404(request)
    schedule = None
    if uuid is not None:
        schedule = access.get_visible_or_404(
            request.user, selectors.visible_schedules(request.user), uuid=uuid
        )
    initial = ScheduleForm.initial_from(schedule) if schedule else None
    form = ScheduleForm(request.POST or None, initial=initial, staff=_staff_users(request))
    if request.method == "POST" and form.is_valid():
        try:
            schedule_services.save_schedule(
                by=request.user, data=form.data_for_service(), schedule=schedule
            )
        except ValidationError as error:
            put_errors(form, error)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The schedule is saved."))
            return redirect("reception:staff-schedules")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "schedule": schedule}
    return render(request, TEMPLATES + "schedule_form.html", context, status=status)


@login_required
@require_POST
def schedule_deactivate(request, uuid):
    schedule = access.get_visible_or_404(
        request.user, selectors.visible_schedules(request.user), uuid=uuid
    )
    try:
        schedule_services.deactivate_schedule(schedule, by=request.user)
    except RuleViolation as error:
        messages.error(request, error.message)
    return redirect("reception:staff-schedules")


@login_required
@require_http_methods(["GET", "POST"])
def book(request):
    """A request by the 115 call centre, the portal, in writing or at the Center: choose the
    official's schedule, then a free slot, and enter the citizen."""
    _profile_or_404(request)
    schedules = selectors.visible_schedules(request.user).filter(
        kind=ReceptionKind.APPOINTMENT, is_active=True
    )
    chosen = request.GET.get("schedule") or request.POST.get("schedule")
    if not chosen:
        return render(request, TEMPLATES + "book.html", {"schedules": schedules})
    schedule = access.get_visible_or_404(request.user, schedules, uuid=_uuid_or_404(chosen))
    free = slots.free_slots([schedule], limit=200)
    choices = [(s.key, timezone.localtime(s.starts_at).strftime("%d.%m.%Y %H:%M")) for s in free]
    form = StaffBookingForm(request.POST or None, slot_choices=choices)
    if request.method == "POST" and form.is_valid():
        starts_at = slots.parse_key(form.cleaned_data["slot"])
        assert starts_at is not None  # the form offers only the keys of free slots
        try:
            booking = booking_services.book_for_citizen(
                schedule=schedule,
                starts_at=starts_at,
                citizen=form.citizen(),
                channel=form.cleaned_data["channel"],
                by=request.user,
            )
        except ValidationError as error:
            put_errors(form, error)
        except RuleViolation as error:  # SlotTaken included: the list is fresh on the page
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Booked: %(code)s.") % {"code": booking.code})
            return redirect("reception:staff-booking", uuid=booking.uuid)
    status = 400 if request.method == "POST" else 200
    context = {"schedule": schedule, "form": form}
    return render(request, TEMPLATES + "book.html", context, status=status)


def _uuid_or_404(value: str):
    try:
        return uuid_lib.UUID(value)
    except ValueError:
        raise Http404 from None


@login_required
def requests(request):
    """docs/sources.md, seed 002: requests to the GPO's leadership, to screen against the grounds of
    refusal."""
    _profile_or_404(request)
    page = Paginator(selectors.screening_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    _with_forms(page.object_list)
    return render(request, TEMPLATES + "requests.html", {"page": page})


@login_required
def day(request):
    """The list of the day: the signed-in official's own by default; a member of staff may look
    at any official in their scope."""
    _profile_or_404(request)
    try:
        on = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else None
        if on is not None:
            dates.PLANNED(on)
    except (ValueError, ValidationError):
        on = None
    on = on or timezone.localdate()
    people = selectors.receiving_staff(request.user)
    official = request.user
    if who := request.GET.get("official"):
        profile = people.filter(user_id=who if who.isdigit() else 0).first()
        if profile is None:
            raise Http404
        official = profile.user
    bookings = _with_forms(list(selectors.day_list(request.user, day=on, official=official)))
    walk_in_schedules = selectors.visible_schedules(request.user).filter(
        official=official, kind=ReceptionKind.WALK_IN, is_active=True
    )
    cancelled = selectors.cancelled_day(official, on)
    may_cancel = (
        cancelled is None
        and on >= timezone.localdate()
        and any(
            slots.applies_on(s, on, cancelled=set()) for s in official.reception_schedules.all()
        )
    )
    context = {
        "day": on,
        "official": official,
        "cancelled_day": cancelled,
        "cancel_day_form": CancelDayForm(initial={"official": official.pk, "day": on})
        if may_cancel
        else None,
        "people": people,
        "bookings": bookings,
        "walk_in_schedule": walk_in_schedules.first(),
        "back": request.get_full_path(),
        "walk_in_form": WalkInForm(),
    }
    return render(request, TEMPLATES + "day.html", context)


@login_required
@require_POST
def cancel_day(request):
    """Call off a reception day of an official in scope (illness, a trip): the service moves or
    cancels the day's bookings; the page says how many of each."""
    _profile_or_404(request)
    form = CancelDayForm(request.POST)
    if not form.is_valid() and ("official" in form.errors or "day" in form.errors):
        raise Http404
    who = form.cleaned_data["official"]
    profile = selectors.receiving_staff(request.user).filter(user_id=who).first()
    if profile is None:
        raise Http404
    on = form.cleaned_data["day"]
    back = f"{reverse('reception:staff-day')}?official={who}&day={on.isoformat()}"
    if not form.is_valid():
        messages.error(request, _("Confirm that the reception day is to be cancelled."))
        return redirect(back)
    try:
        _record, result = days.cancel_reception_day(
            official=profile.user, day=on, reason=form.cleaned_data["reason"], by=request.user
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The reception day is cancelled. Bookings moved to another time: %(moved)s; "
                "cancelled for want of a free time: %(cancelled)s. The citizens are told."
            )
            % {"moved": result.moved, "cancelled": result.cancelled},
        )
    return redirect(back)


@login_required
def booking_detail(request, uuid):
    booking = access.get_visible_or_404(
        request.user, selectors.visible_bookings(request.user), uuid=uuid
    )
    events = booking.events.select_related("by").order_by("at", "pk")
    _with_forms([booking])
    context = {"booking": booking, "events": events}
    return render(request, TEMPLATES + "booking.html", context)


def _act(request, booking, action: str):
    post, by = request.POST, request.user
    if action == "arrive":
        return day_services.mark_arrived(booking, by=by)
    if action == "no-show":
        return day_services.mark_no_show(booking, by=by)
    if action == "outcome":
        form = OutcomeForm(post)
        if not form.is_valid():
            raise RuleViolation(_("Choose the outcome."))
        return day_services.record_outcome(booking, by=by, **form.cleaned_data)
    if action == "cancel":
        return changes.cancel_booking(booking, by=by, reason=post.get("reason", ""))
    if action == "admit":
        return screening.admit_request(booking, by=by)
    if action == "refuse":
        return screening.refuse_request(
            booking, by=by, ground=post.get("ground", ""), reason=post.get("reason", "")
        )
    if action == "pass":
        pass_form = PassForm(post, offices=PassForm.choices())
        if not pass_form.is_valid():
            raise RuleViolation(_("Choose the competent office."))
        office = Office.objects.get(code=pass_form.cleaned_data["office"])
        note = pass_form.cleaned_data["note"]
        return screening.pass_request(booking, by=by, office=office, note=note)
    raise Http404


ACTIONS = ("arrive", "no-show", "outcome", "cancel", "admit", "refuse", "pass")


@login_required
def booking_action(request, uuid, action):
    """One POST per action; htmx asks for the day's row back, a plain form for the page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in ACTIONS:
        raise Http404
    booking = access.get_visible_or_404(
        request.user, selectors.visible_bookings(request.user), uuid=uuid
    )
    try:
        booking = _act(request, booking, action)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        if booking.appeal_id and action == "outcome":
            messages.success(
                request,
                _("Appeal %(reference)s registered.") % {"reference": booking.appeal.reference},
            )
        else:
            messages.success(request, _("Done."))
    if request.htmx and action in ("arrive", "no-show", "outcome"):
        booking = _with_forms([selectors.visible_bookings(request.user).get(pk=booking.pk)])[0]
        # The row's forms come back to the page the row is on, not to this action.
        back = request.htmx.current_url_abs_path or reverse("reception:staff-day")
        context = {"booking": booking, "back": back}
        return render(request, TEMPLATES + "_day_row.html", context)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("reception:staff-booking", args=[booking.uuid]))


@login_required
def supervision(request):
    """For supervisors (and the deadline dashboard, which loads it with htmx): the leaders in
    scope whose schedules miss the minimum frequencies of the rules, and the month's figures."""
    profile = _profile_or_404(request)
    office = profile.office
    if (code := request.GET.get("office", "")) and code != office.code:
        office = access.get_visible_or_404(
            request.user, Office.objects.all(), office_field="", code=code
        )
    today = timezone.localdate()
    rows, total = selectors.figures(request.user, office, today.replace(day=1), today)
    context = {
        "office": office,
        "flags": selectors.frequency_flags(request.user, office, today),
        "rows": rows,
        "total": total,
        "first": today.replace(day=1),
        "today": today,
    }
    template = "_supervision.html" if request.htmx else "supervision.html"
    return render(request, TEMPLATES + template, context)


@login_required
@require_POST
def walk_in(request, uuid):
    """A citizen received without appointment, recorded on the day list."""
    schedule = access.get_visible_or_404(
        request.user, selectors.visible_schedules(request.user), uuid=uuid
    )
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            booking = day_services.record_walk_in(
                schedule=schedule, citizen=form.citizen(), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Recorded: %(code)s.") % {"code": booking.code})
    else:
        messages.error(request, _("Check the citizen's details."))
    return redirect(f"{reverse('reception:staff-day')}?official={schedule.official_id}")
