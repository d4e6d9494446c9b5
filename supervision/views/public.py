"""The audited subject's door (Art. 19(1)): is this check registered, by whom, for how long, and
who may come. No sign-in; rate-limited per address and per BIN/IIN; the same answer whether a
number exists or not (docs/security.md 9, 17)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prosecution.public import ratelimit, refusals
from supervision import forms, selectors

# Per client address and per BIN/IIN, per hour: enough for a subject, too few to guess numbers.
LOOKUP_LIMIT = 30
HOUR = 3600


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ratelimit.check(
                request,
                "check-lookup",
                limit=LOOKUP_LIMIT,
                window_seconds=HOUR,
                person=data["subject_number"],
            )
        except ratelimit.RateLimited as error:
            return refusals.too_many(request, error, door="check-lookup")
        found = selectors.public_lookup(
            reference=data["reference"], subject_number=data["subject_number"]
        )
        if found is None:
            form.add_error(None, _("No registered check matches this number and BIN or IIN."))
    context: dict[str, Any] = {"form": form, "found": found}
    return render(request, "supervision/public/lookup.html", context)
