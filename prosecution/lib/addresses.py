"""The address a request came from, as far as the proxies in front of us can be trusted."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind `PROSECUTION_TRUSTED_PROXIES` reverse proxies, the address the
    nearest untrusted hop gave (X-Forwarded-For read from the right); with none, REMOTE_ADDR: a
    client cannot choose its own key by sending the header."""
    remote: str = request.META.get("REMOTE_ADDR", "")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if len(hops) >= proxies:
        return hops[-proxies]
    return remote
