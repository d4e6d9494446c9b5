"""The sign-in pages and the API token endpoint: password, then a TOTP code (or enrolment of an
authenticator on the first sign-in), each step behind the lockout of
prosecution/accounts/lockout.py."""

from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from prosecution.accounts import lockout, signin, tokens
from prosecution.audit import log as audit
from prosecution.files import qr

# The idle limit is written out (settings.STAFF_IDLE_SECONDS): a number placeholder would need
# plural forms in all three catalogues for one value.
ENDED_MESSAGES = {
    "idle": _("You were signed out after 15 minutes without activity. Please sign in again."),
    "expired": _("Your session has reached its time limit. Please sign in again."),
}
BAD_CODE = _("This code is not valid. Enter the current code from your authenticator app.")


class PasswordForm(AuthenticationForm):
    """Django's form, with the password step counted by the lockout before it is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": lockout.LOCKED_MESSAGE,
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                attempt = lockout.begin(self.request, step="password", username=username)
            except lockout.LockedOut:
                raise ValidationError(self.error_messages["locked"], code="locked") from None
            self.user_cache = auth.authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            attempt.succeeded()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginView(auth_views.LoginView):
    form_class = PasswordForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ended = self.request.session.pop(signin.ENDED_KEY, None)
        context["ended_message"] = ENDED_MESSAGES.get(ended)
        context["demo_login_enabled"] = settings.DEMO_LOGIN_ENABLED
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not signin.needs_second_factor(user):
            return super().form_valid(form)
        signin.hold(
            self.request.session,
            user=user,
            backend=user.backend,
            next_url=self.get_success_url(),
        )
        if signin.confirmed_devices(user):
            return redirect("login-code")
        return redirect("login-enrol")


def _finish(request: HttpRequest, pending: signin.Pending, device) -> HttpResponse:
    """Both factors passed: log in (a new session key) and mark the session verified."""
    signin.drop(request.session)
    auth.login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    return redirect(pending.next_url or settings.LOGIN_REDIRECT_URL)


def _code_attempt(
    request: HttpRequest, pending: signin.Pending, form: CodeForm
) -> lockout.Attempt | None:
    try:
        return lockout.begin(request, step="code", username=pending.user.get_username())
    except lockout.LockedOut:
        form.add_error(None, lockout.LOCKED_MESSAGE)
        return None


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step for staff with an authenticator."""
    pending = signin.pending(request.session)
    if pending is None:
        return redirect("login")
    if not signin.confirmed_devices(pending.user):
        return redirect("login-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = _code_attempt(request, pending, form)
        if attempt is not None:
            device = signin.check_code(pending.user, form.cleaned_data["code"])
            if device is not None:
                attempt.succeeded()
                return _finish(request, pending, device)
            form.add_error("code", BAD_CODE)
    return render(request, "registration/login_code.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    """The first sign-in of staff without an authenticator: show the key, take a first code."""
    pending = signin.pending(request.session)
    if pending is None:
        return redirect("login")
    if signin.confirmed_devices(pending.user):
        return redirect("login-code")
    device = signin.enrolment_device(pending.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = _code_attempt(request, pending, form)
        if attempt is not None:
            if signin.confirm_enrolment(device, form.cleaned_data["code"]):
                attempt.succeeded()
                device.refresh_from_db()
                return _finish(request, pending, device)
            form.add_error("code", BAD_CODE)
    uri = device.config_url
    context = {
        "form": form,
        "secret": signin.secret_of(device),
        "otpauth_uri": uri,
        # Drawn here as SVG (segno, pure Python): no image service ever sees the key.
        "qr_svg": qr.svg(uri),
    }
    return render(request, "registration/login_enrol.html", context)


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The current code of the authenticator, for accounts that have one."),
    )


class TokenAnswer(serializers.Serializer):
    token = serializers.CharField()


class ObtainToken(APIView):
    """POST username, password and (for accounts with an authenticator) otp; get a token.
    The same lockout as the sign-in page: the password and the code steps are the same counters."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequest, responses={200: TokenAnswer})
    def post(self, request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        attempt = lockout.begin(request, step="password", username=username)
        user = auth.authenticate(
            request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            raise _refused(_("Unable to sign in with the given username and password."))
        attempt.succeeded()
        if signin.needs_second_factor(user):
            if not signin.confirmed_devices(user):
                raise _refused(_("Set up your authenticator by signing in on the website first."))
            attempt = lockout.begin(request, step="code", username=username)
            if signin.check_code(user, data.validated_data.get("otp", "")) is None:
                raise _refused(BAD_CODE, field="otp")
            attempt.succeeded()
        token, created = tokens.issue(user)
        audit.record("auth.token_issued", target=user, actor=user, new=created)
        return Response({"token": token.key})


def _refused(message, field: str = "non_field_errors") -> serializers.ValidationError:
    """400 in the API's one error shape (prosecution/api/errors.py)."""
    return serializers.ValidationError({field: [str(message)]})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens: when each was issued and last used, when it ends, and a
    button that revokes it (issue 14; docs/security.md 28)."""
    return render(request, "registration/api_tokens.html", {"tokens": tokens.held(request.user)})


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, handle: str) -> HttpResponse:
    """Revoke one of the person's tokens; any other handle, another person's included, is 404."""
    user = request.user
    assert isinstance(user, auth.get_user_model())  # login_required
    if not tokens.revoke_one(user, handle):
        raise Http404
    audit.record("auth.token_revoked", target=user, actor=user)
    messages.success(request, _("The token is revoked: a program that used it must sign in again."))
    return redirect("api-tokens")
