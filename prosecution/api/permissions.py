from rest_framework.permissions import SAFE_METHODS, BasePermission

from prosecution.offices.access import staff_profile


class IsActiveStaff(BasePermission):
    """Signed in, active, with an active staff profile in an active office."""

    def has_permission(self, request, view) -> bool:
        return staff_profile(request.user) is not None


class CalendarEditors(BasePermission):
    """Anyone on staff reads the calendar; only administrators with the model permission edit."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_staff and request.user.has_perm("prosecution.change_calendarday")
