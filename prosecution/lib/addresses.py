"""The address a request came from, as far as the proxies in front of us can be trusted."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind `PROSECUTION_TRUSTED_PROXIES` reverse proxies, the address the
    nearest untrusted hop gave (X-Forwarded-For read from the right); with none, REMOTE_ADDR: a
    client cannot choose its own key by sending the header."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) >= proxies:
        return hops[-proxies]
    return remote
