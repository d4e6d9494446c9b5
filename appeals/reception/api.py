"""/api/v1/receptions/: schedules, slots, bookings and outcomes. Staff endpoints read through the
access policy (out of scope is 404) and act through the services; the public endpoints do what a
citizen may do on the pages, under the same rate limits, without signing in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from appeals.models import Booking, ReceptionSchedule
from appeals.reception import booking as booking_services
from appeals.reception import changes, days, screening, selectors, slots
from appeals.reception import day as day_services
from appeals.reception import schedules as schedule_services
from appeals.reception import serializers as s
from appeals.reception.common import SlotTaken, booking_from_token
from appeals.reception.views_public import BOOK_LIMIT, CODE_LIMIT, HOUR, MANAGE_LIMIT
from prosecution.models import Office
from prosecution.offices.access import get_visible_or_404, staff_profile
from prosecution.offices.selectors import visible_staff
from prosecution.public import ratelimit, refusals


def _fields(error: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as the API's 400 with the fields it names."""
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


def _taken(error: SlotTaken) -> Response:
    body = {
        "error": {"code": error.code, "message": error.message},
        "nearest": s.SlotSerializer(error.nearest, many=True).data,
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


TAKEN = OpenApiResponse(s.TakenSerializer, description="The slot was just taken.")
LIMITED = OpenApiResponse(description="Too many attempts from this address (Retry-After).")


# Public --------------------------------------------------------------------------------------


class PublicView(APIView):
    """No session, no token: nothing ambient to forge a request with, so no CSRF either."""

    permission_classes = [AllowAny]
    authentication_classes: list = []


class PublicOfficeView(PublicView):
    """An office's hours and its reception schedules of every kind (public)."""

    @extend_schema(responses=s.PublicOfficeSerializer, summary="An office's receptions")
    def get(self, request, uuid):
        office = selectors.public_office(uuid)
        body = {
            "uuid": office.uuid,
            "name": office.name,
            "address": office.address,
            "hours": slots.hours_of(office).__dict__,
            "schedules": list(selectors.office_schedules(office)),
        }
        return Response(s.PublicOfficeSerializer(body).data)


class PublicSlotsView(PublicView):
    """The free slots of an appointment schedule a citizen may book now (public)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("schedule", OpenApiTypes.UUID, required=True, description="Schedule")
        ],
        responses=s.SlotSerializer(many=True),
        summary="Free slots of an appointment schedule",
    )
    def get(self, request):
        value = request.query_params.get("schedule", "")
        try:
            schedule = selectors.public_schedule(value)
        except DjangoValidationError:
            raise ValidationError({"schedule": _("A schedule's UUID.")}) from None
        return Response(s.SlotSerializer(slots.free_slots([schedule]), many=True).data)


class PublicBookView(PublicView):
    """Hold a free slot and send a one-time code to the phone or e-mail given (public; limited
    per address and per IIN). The answer does not depend on the IIN's other bookings."""

    @extend_schema(
        request=s.PublicBookSerializer,
        responses={201: s.HeldSerializer, 409: TAKEN, 429: LIMITED},
        summary="Hold a slot and send the one-time code",
    )
    def post(self, request):
        data = s.PublicBookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ratelimit.check(
            request,
            "reception-book",
            limit=BOOK_LIMIT,
            window_seconds=HOUR,
            person=data.validated_data["iin"].strip(),
        )
        schedule = selectors.public_schedule(data.validated_data["schedule"])
        try:
            held = booking_services.hold_slot(
                schedule=schedule,
                starts_at=data.validated_data["starts_at"],
                citizen=data.citizen(),
                confirm_by=data.validated_data["confirm_by"],
                request_key=data.validated_data.get("request_key", ""),
            )
        except SlotTaken as error:
            return _taken(error)
        except DjangoValidationError as error:
            raise _fields(error) from None
        return Response(s.HeldSerializer(held).data, status=status.HTTP_201_CREATED)


class PublicConfirmView(PublicView):
    """Confirm a hold with its one-time code (public; limited per address): the booking, its
    code and the signed token that lets the citizen see, move or cancel it."""

    @extend_schema(
        request=s.CodeSerializer,
        responses={
            200: s.PublicBookingSerializer,
            400: OpenApiResponse(description="Wrong or expired code"),
            429: LIMITED,
        },
        summary="Confirm a hold with the one-time code",
    )
    def post(self, request, uuid):
        data = s.CodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ratelimit.check(request, "reception-code", limit=CODE_LIMIT, window_seconds=HOUR)
        held = get_object_or_404(
            Booking.objects.select_related("confirmation"), uuid=uuid, walk_in=False
        )
        confirmed = booking_services.confirm_booking(held, code=data.validated_data["code"])
        if confirmed is None or not confirmed.is_upcoming:
            refusals.refused("reception-code", "wrong_code")
            raise ValidationError({"code": _("The code is wrong or has expired.")})
        return Response(s.PublicBookingSerializer(confirmed).data)


class PublicManageView(PublicView):
    """See, cancel or move a booking through its signed token, until the cut-off (public)."""

    @extend_schema(
        request=s.ManageSerializer,
        responses={200: s.PublicBookingSerializer, 409: TAKEN, 429: LIMITED},
        summary="See, cancel or move a booking through its signed token",
    )
    def post(self, request):
        data = s.ManageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ratelimit.check(request, "reception-manage", limit=MANAGE_LIMIT, window_seconds=HOUR)
        booking = booking_from_token(data.validated_data["token"])
        if booking is None:
            refusals.refused("reception-manage", "unknown_link")
            return Response(
                {"error": {"code": "not_found", "message": _("Not found.")}},
                status=status.HTTP_404_NOT_FOUND,
            )
        verb = data.validated_data["action"]
        try:
            if verb == "cancel":
                booking = changes.cancel_booking(booking)
            elif verb == "move":
                if "starts_at" not in data.validated_data:
                    raise ValidationError({"starts_at": _("Say where to move.")})
                booking = changes.move_booking(booking, starts_at=data.validated_data["starts_at"])
        except SlotTaken as error:
            return _taken(error)
        return Response(s.PublicBookingSerializer(booking).data)


# Staff ---------------------------------------------------------------------------------------


class ScheduleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reception schedules of the caller's office and the offices below it."""

    lookup_field = "uuid"
    serializer_class = s.ScheduleSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.visible_schedules(self.request.user)

    def _save(self, request, schedule: ReceptionSchedule | None):
        data = s.ScheduleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users = visible_staff(request.user).values("user")
        try:
            saved = schedule_services.save_schedule(
                by=request.user,
                data=data.to_data(get_user_model().objects.filter(pk__in=users)),
                schedule=schedule,
            )
        except DjangoValidationError as error:
            raise _fields(error) from None
        saved = self.get_queryset().get(pk=saved.pk)
        return Response(s.ScheduleSerializer(saved).data)

    @extend_schema(request=s.ScheduleWriteSerializer, responses={201: s.ScheduleSerializer})
    def create(self, request, *args, **kwargs):
        response = self._save(request, None)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.ScheduleWriteSerializer, responses=s.ScheduleSerializer)
    def update(self, request, *args, **kwargs):
        return self._save(request, self.get_object())

    @extend_schema(request=None, responses=s.ScheduleSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, uuid=None):
        schedule = schedule_services.deactivate_schedule(self.get_object(), by=request.user)
        return Response(s.ScheduleSerializer(schedule).data)

    @extend_schema(request=s.CancelDaySerializer, responses=s.CancelledDaySerializer)
    @action(detail=True, methods=["post"], url_path="cancel-day")
    def cancel_day(self, request, uuid=None):
        """Call off a reception day of the schedule's official (illness, a trip): the bookings
        of that day are moved to the official's nearest free time or cancelled, the citizens
        told."""
        data = s.CancelDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record, result = days.cancel_reception_day(
            official=self.get_object().official,
            day=data.validated_data["day"],
            reason=data.validated_data.get("reason", ""),
            by=request.user,
        )
        return Response(s.CancelledDaySerializer({"record": record, "result": result}).data)

    # The free slots are one list, not a page (the schema said a page: issue 13's "truth").
    @extend_schema(responses=s.SlotSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def slots(self, request, uuid=None):
        return Response(s.SlotSerializer(slots.free_slots([self.get_object()]), many=True).data)


@extend_schema(parameters=[s.BookingQuerySerializer])
class BookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Bookings of the caller's office and the offices below it; screening, the day and the
    outcome as actions."""

    lookup_field = "uuid"
    serializer_class = s.BookingSerializer

    def get_queryset(self):
        queryset = selectors.visible_bookings(self.request.user)
        if self.action != "list":
            return queryset
        query = s.BookingQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if params.get("state"):
            queryset = queryset.filter(state=params["state"])
        if params.get("office"):
            office = Office.objects.filter(code=params["office"]).first()
            if office is None:
                raise ValidationError({"office": _("No such office.")})
            queryset = queryset.filter(office__path__startswith=office.path)
        if params.get("day"):
            first, last = selectors.day_bounds(params["day"])
            queryset = queryset.filter(starts_at__gte=first, starts_at__lt=last)
        return queryset.order_by("starts_at", "pk")

    def _done(self, booking):
        return Response(s.BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data

    @extend_schema(request=s.StaffBookSerializer, responses={201: s.BookingSerializer, 409: TAKEN})
    def create(self, request, *args, **kwargs):
        """A request by the 115 call centre, the portal, in writing or at the Center."""
        data = self._input(s.StaffBookSerializer)
        schedule = get_object_or_404(
            selectors.visible_schedules(request.user), uuid=data.validated_data["schedule"]
        )
        try:
            booking = booking_services.book_for_citizen(
                schedule=schedule,
                starts_at=data.validated_data["starts_at"],
                citizen=data.citizen(),
                channel=data.validated_data["channel"],
                by=request.user,
            )
        except SlotTaken as error:
            return _taken(error)
        except DjangoValidationError as error:
            raise _fields(error) from None
        response = self._done(booking)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def admit(self, request, uuid=None):
        return self._done(screening.admit_request(self.get_object(), by=request.user))

    @extend_schema(request=s.RefuseSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, uuid=None):
        data = self._input(s.RefuseSerializer).validated_data
        return self._done(screening.refuse_request(self.get_object(), by=request.user, **data))

    @extend_schema(request=s.PassSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"], url_path="pass")
    def pass_on(self, request, uuid=None):
        data = self._input(s.PassSerializer).validated_data
        office = Office.objects.filter(code=data["office"], is_active=True).first()
        if office is None:
            raise ValidationError({"office": _("No such office.")})
        booking = screening.pass_request(
            self.get_object(), by=request.user, office=office, note=data.get("note", "")
        )
        return self._done(booking)

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, uuid=None):
        return self._done(day_services.mark_arrived(self.get_object(), by=request.user))

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, uuid=None):
        return self._done(day_services.mark_no_show(self.get_object(), by=request.user))

    @extend_schema(request=s.OutcomeSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, uuid=None):
        data = self._input(s.OutcomeSerializer).validated_data
        return self._done(day_services.record_outcome(self.get_object(), by=request.user, **data))

    @extend_schema(request=s.MoveSerializer, responses={200: s.BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"])
    def move(self, request, uuid=None):
        data = self._input(s.MoveSerializer).validated_data
        try:
            booking = changes.move_booking(
                self.get_object(), starts_at=data["starts_at"], by=request.user
            )
        except SlotTaken as error:
            return _taken(error)
        return self._done(booking)

    @extend_schema(request=s.CancelSerializer, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, uuid=None):
        data = self._input(s.CancelSerializer).validated_data
        booking = changes.cancel_booking(
            self.get_object(), by=request.user, reason=data.get("reason", "")
        )
        return self._done(booking)


class FiguresView(APIView):
    """For legal statistics: receptions held, citizens received, appeals accepted (and no-shows,
    requests refused) by office, for a period, in the caller's scope."""

    @extend_schema(parameters=[s.FiguresQuerySerializer], responses=s.FiguresSerializer)
    def get(self, request):
        query = s.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        profile = staff_profile(request.user)
        assert profile is not None  # IsActiveStaff let only staff in
        office = profile.office
        if params.get("office") and params["office"] != office.code:
            office = get_visible_or_404(
                request.user, Office.objects.all(), office_field="", code=params["office"]
            )
        rows, total = selectors.figures(
            request.user, office, params["date_from"], params["date_to"]
        )
        body = {
            "date_from": params["date_from"],
            "date_to": params["date_to"],
            "total": total,
            "offices": rows,
        }
        return Response(s.FiguresSerializer(body).data)
