"""The register's pages for registration officers (Art. 18(4), 19(1)): what waits, oldest first,
and the decision on each. Thin: legal_statistics/services.py decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from legal_statistics import register, services
from legal_statistics.models import Registration
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.offices import access


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reasons for refusal"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _entry_or_404(request: HttpRequest, uuid) -> Registration:
    entry = register.in_register(request.user).filter(uuid=uuid).first()
    if entry is None:
        raise Http404
    return entry


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if access.staff_profile(request.user) is None:
        raise Http404
    page = register.register_queue_page(request.user, request.GET.get("page"))
    audit.classified_read(page, where="register_queue")
    return render(
        request,
        "legal_statistics/register/queue.html",
        {"page": page, "refuse_form": RefuseForm()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, uuid, decision: str) -> HttpResponse:
    entry = _entry_or_404(request, uuid)
    user = request.user
    assert isinstance(user, User)  # signed in (login_required)
    try:
        if decision == "register":
            entry = services.register_check(entry, by=user)
            messages.success(
                request, _("Registered under %(number)s.") % {"number": entry.reference}
            )
        elif decision == "refuse":
            form = RefuseForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("A refusal needs its reasons."))
                return redirect("register-queue")
            services.refuse_registration(entry, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Registration refused."))
        else:
            raise Http404
    except RuleViolation as error:
        messages.error(request, error.with_article())
    return redirect("register-queue")
