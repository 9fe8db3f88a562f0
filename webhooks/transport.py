"""Sending one webhook request safely: URL rules, SSRF guard and a pinned HTTP POST.

Receivers are chosen by platform staff, so the URL is untrusted input. We refuse
plain http (unless ``WEBHOOKS["ALLOW_HTTP"]``) and any host that resolves to a
non-public address — private, loopback, link-local, carrier-grade NAT, multicast,
reserved — unless ``WEBHOOKS["ALLOW_PRIVATE_ADDRESSES"]``. The check runs when the
endpoint is saved *and* at every delivery; the connection then goes to the very
address that was checked (the Host header and TLS SNI keep the name), so a DNS
answer that changes between check and connect cannot reach an internal service.
Redirects are not followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 2000


class UnsafeURL(ValueError):
    """The URL may not receive webhooks; the message says why (translated)."""


class DeliveryError(Exception):
    """The request could not be completed (connection, TLS, timeout…)."""


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    excerpt: str = ""
    duration_ms: int = 0


def _conf(key: str):
    return settings.WEBHOOKS[key]


def resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (separate so tests can stand in for DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _split(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("Enter a valid URL.")) from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeURL(_("Enter a valid http(s) URL."))
    if scheme == "http" and not _conf("ALLOW_HTTP"):
        raise UnsafeURL(_("Webhook URLs must use https."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Do not put credentials in the URL; verify the signature instead."))
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def checked_addresses(url: str) -> tuple[str, str, int, list[str]]:
    """``(scheme, host, port, addresses)`` for a URL that may receive webhooks, else UnsafeURL."""
    scheme, host, port = _split(url)
    try:
        addresses = [str(ipaddress.ip_address(host))]  # an IP literal needs no DNS
    except ValueError:
        addresses = None
    try:
        addresses = addresses or resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(_("The host name %(host)s does not resolve.") % {"host": host}) from exc
    if not addresses:
        raise UnsafeURL(_("The host name %(host)s does not resolve.") % {"host": host})
    if not _conf("ALLOW_PRIVATE_ADDRESSES"):
        for address in addresses:
            if not is_public_address(address):
                raise UnsafeURL(
                    _("%(host)s points to a private or local address (%(address)s).")
                    % {"host": host, "address": address}
                )
    return scheme, host, port, addresses


def _connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """Connect to the first checked address that answers (IPv6 and IPv4 answers alike)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self._addresses, self.port, self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses

    def connect(self) -> None:
        sock = _connect(self._addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST ``body`` to ``url`` after the SSRF check; raises UnsafeURL or DeliveryError."""
    scheme, host, port, addresses = checked_addresses(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, addresses, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target, body=body, headers=headers)
        reply = connection.getresponse()
        raw = reply.read(MAX_RESPONSE_BYTES)
        response_headers = dict(reply.getheaders())
        status = reply.status
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}".strip()) from exc
    finally:
        connection.close()
    duration_ms = int((time.monotonic() - started) * 1000)
    return Response(
        status=status,
        headers=response_headers,
        excerpt=raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS],
        duration_ms=duration_ms,
    )
