"""Demo accounts sign in with the published demo password, and only while DEMO_LOGIN_ENABLED
(which follows DJANGO_DEBUG). Their stored passwords are unusable, so in production they cannot
sign in at all."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.utils.crypto import constant_time_compare


class DemoPasswordBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEMO_LOGIN_ENABLED or not username or password is None:
            return None
        if not constant_time_compare(password, settings.DEMO_PASSWORD):
            return None
        user = (
            get_user_model()
            .objects.filter(username=username, is_active=True, staff_profile__is_demo=True)
            .first()
        )
        return user

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
