"""A keyed hash: what the database keeps instead of a person's identifier or a secret (a rate
limit's key, a one-time code, a booking's IIN), so that the tables never say who asked."""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:40]
