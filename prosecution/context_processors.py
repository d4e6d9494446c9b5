from prosecution.access import staff_profile


def staff(request):
    """The signed-in member of staff and their office, for the page header."""
    return {"staff_profile": staff_profile(getattr(request, "user", None))}
