"""The channels a notice goes through: e-mail (Django's mail backend), SMS (a gateway chosen by
settings) and in-app (the bell: nothing to transmit).

Every gateway call carries the notice's UUID as an idempotency key: if a worker dies after the
gateway accepted a message but before the outbox recorded it, the retry is recognised by the
gateway and not sent twice (the SMS gateways honour it; the e-mail carries it as Message-ID).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from prosecution.files import uploads
from prosecution.models import Notice, NoticeChannel


class DeliveryError(Exception):
    """A delivery failed. `permanent`: retrying cannot help (a malformed number, a refusal)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str, idempotency_key: str) -> None: ...


class FileSmsGateway:
    """Development gateway: each SMS is a JSON file named by its idempotency key, written to a
    temporary file and moved into place, so that a message is there whole or not at all, and a
    repeated key finds the file and sends nothing."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{idempotency_key}.json"
        if target.exists():
            return
        payload = json.dumps({"to": phone, "text": text}, ensure_ascii=False)
        with tempfile.NamedTemporaryFile(
            "w", dir=self.directory, suffix=".tmp", delete=False, encoding="utf-8"
        ) as handle:
            handle.write(payload)
        os.replace(handle.name, target)


class HttpSmsGateway:
    """An SMS provider's HTTP API: POST JSON {to, text, sender} with a bearer token and an
    Idempotency-Key header. 2xx is accepted; 4xx other than 408/429 is a permanent refusal; the
    rest (5xx, timeouts, refused connections) is retried by the outbox."""

    def __init__(self, url: str, token: str = "", sender: str = "", timeout: float = 10.0):
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("The SMS gateway URL must be http(s).")
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        body = json.dumps({"to": phone, "text": text, "sender": self.sender}).encode()
        # The scheme was checked in __init__: http(s) only.
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/json")
        request.add_header("Idempotency-Key", idempotency_key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            permanent = 400 <= error.code < 500 and error.code not in (408, 429)
            raise DeliveryError(f"SMS gateway answered {error.code}", permanent=permanent) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise DeliveryError(f"SMS gateway unreachable: {error}") from None


@cache
def sms_gateway() -> SmsGateway:
    """The gateway named by settings.SMS_GATEWAY: "file", "http", or a dotted path to a class."""
    name = settings.SMS_GATEWAY
    if name == "file":
        return FileSmsGateway(settings.SMS_FILE_DIR)
    if name == "http":
        return HttpSmsGateway(
            settings.SMS_HTTP_URL,
            token=settings.SMS_HTTP_TOKEN,
            sender=settings.SMS_SENDER,
            timeout=settings.SMS_HTTP_TIMEOUT,
        )
    return import_string(name)()


class Mailer:
    """One connection to the mail server for a batch of notices, opened at the first e-mail (a
    batch of in-app notices opens none) and opened again after a failure, which may have broken
    it. Django's send() opens and closes a connection per message: a TLS handshake each."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self._drop()

    def send(self, message: EmailMessage) -> None:
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
            self._connection.open()
        message.connection = self._connection
        try:
            message.send(fail_silently=False)
        except Exception:
            self._drop()
            raise

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # a dead server: nothing to close cleanly
                connection.close()


def transmit(notice: Notice, mailer: Mailer | None = None) -> None:
    """Hand one notice to its channel; raises DeliveryError when it did not go."""
    if notice.channel == NoticeChannel.IN_APP:
        return  # the bell reads the outbox itself
    key = str(notice.uuid)
    if notice.channel == NoticeChannel.SMS:
        sms_gateway().send(phone=notice.address, text=notice.body, idempotency_key=key)
        return
    message = EmailMessage(
        subject=notice.title,
        body=notice.body,
        to=[notice.address],
        headers={"Message-ID": f"<{key}@{settings.NOTICE_MESSAGE_ID_DOMAIN}>"},
    )
    # Files the notice carries (the answer letter): stored files, named in its context by the
    # service that wrote it. One that is gone fails the attempt (retried, then failed).
    for attached in notice.context.get("attachments", ()):
        try:
            content = uploads.read_stored(attached["stored_name"])
        except FileNotFoundError:
            raise DeliveryError(f"attachment {attached['name']} is missing") from None
        message.attach(attached["name"], content, attached["content_type"])
    try:
        if mailer is not None:
            mailer.send(message)
        else:
            message.send(fail_silently=False)
    except (OSError, ConnectionError) as error:  # smtplib's errors are OSError subclasses
        raise DeliveryError(f"mail server: {error}") from None
