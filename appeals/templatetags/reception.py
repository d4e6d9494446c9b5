"""Template helpers of the reception pages and notices: labels of stored codes in the language
being rendered (a notice is rendered by a worker, in the citizen's language)."""

from django import template
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from appeals.models import (
    BookingState,
    Channel,
    ReceptionKind,
    ReceptionOutcome,
    ReceptionPlace,
    RefusalGround,
)
from appeals.reception.slots import ALL_WEEKDAYS
from prosecution.models import Office, Position

register = template.Library()

_CHOICES = {
    "ground": RefusalGround,
    "outcome": ReceptionOutcome,
    "place": ReceptionPlace,
    "position": Position,
    "state": BookingState,
    "kind": ReceptionKind,
    "channel": Channel,
}


@register.filter
def label_of(value, vocabulary: str) -> str:
    """The label of a stored code: {{ ground|label_of:"ground" }}."""
    choices = _CHOICES[vocabulary]
    return str(choices(value).label) if value in choices.values else ""


@register.filter
def office_name(office_id) -> str:
    office = Office.objects.filter(pk=office_id).first()
    return office.name if office else ""


@register.filter
def weekdays(mask: int) -> str:
    if int(mask) == ALL_WEEKDAYS:
        return str(_("every working day, working Saturdays included"))
    return ", ".join(str(WEEKDAYS[day]) for day in range(7) if int(mask) >> day & 1)


@register.filter
def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def position(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.get_position_display() if profile else ""
