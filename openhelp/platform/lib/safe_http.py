"""The one HTTP client for URLs that people type in (webhooks, CalDAV, chat incoming hooks).

A URL an organiser or a member supplies must not become a way to reach what only the server can reach:
the loopback interface, the office network, the cloud metadata service. So every such call goes through
``safe_request``, which

- accepts only ``http`` and ``https``, and never uses the environment's proxy settings;
- resolves the name itself, refuses the connection if **any** resolved address is loopback, private
  (RFC 1918, ULA ``fc00::/7``), link-local (``169.254/16`` with the metadata address, ``fe80::/10``),
  CGNAT (``100.64/10``), unspecified, multicast, reserved or otherwise not globally routable (IPv4-mapped
  IPv6 addresses are judged by the IPv4 address inside), and then connects the socket to the address it
  checked: the check happens at connect time, after DNS, on the socket actually used, so a name that
  resolves to a public address when a form is validated and to ``127.0.0.1`` a moment later is refused;
- follows no redirect: a 3xx is an answer, returned to the caller like any other;
- uses small timeouts (``timeout=(connect, read)`` seconds, and the whole exchange within their sum) and
  reads at most ``max_bytes`` of the response body.

An administrator may trust an internal host explicitly: ``OUTBOUND_ALLOWED_HOSTS`` (environment, a comma
list of ``host`` or ``host:port``), or a caller's own ``allow_hosts``. An allowed host is reached without
the address check (and still without redirects, proxies or unbounded bodies).

    from openhelp.platform.lib import safe_http

    try:
        response = safe_http.safe_request("POST", url, headers={...}, body=b"...")
    except safe_http.BlockedDestination:   # a private address, a bad scheme: do not retry
        ...
    except requests.RequestException:      # timeouts, refused connections, TLS errors, TooLarge
        ...

Every error ``safe_request`` raises is a ``requests.RequestException``; ``BlockedDestination`` and
``TooLarge`` are the two of its own.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

DEFAULT_TIMEOUT = (3.0, 5.0)
DEFAULT_MAX_BYTES = 256_000
USER_AGENT = "OpenToHelp/1 (+outbound)"
SCHEMES = {"http": 80, "https": 443}

# Named for the reader; ``_is_public`` also refuses anything Python does not call globally routable.
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # RFC 1918
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, with the cloud metadata service 169.254.169.254
        "172.16.0.0/12",  # RFC 1918
        "192.0.0.0/24",  # IETF protocol assignments
        "192.168.0.0/16",  # RFC 1918
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b::/96",  # NAT64: an IPv4 address inside; refused rather than unwrapped
        "fc00::/7",  # unique local, with fd00:ec2::254 (the AWS metadata service over IPv6)
        "fe80::/10",  # link-local
        "ff00::/8",  # multicast
    )
)


class BlockedDestination(requests.RequestException):
    """The URL may not be reached from here: a scheme other than http(s), or an address that is not public.
    Retrying will not help."""


class TooLarge(requests.RequestException):
    """The response body was longer than ``max_bytes``."""


class _Refused(Exception):
    """Raised inside the connection (not an OSError, so urllib3 passes it through untouched)."""


@dataclass(frozen=True)
class Response:
    """What came back: the status, the headers and at most ``max_bytes`` of the body."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    elapsed: float  # seconds, from sending to the last byte read
    truncated: bool = False  # only with ``truncate=True``: the body was cut at max_bytes
    url: str = field(default="")

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def allowed_hosts() -> list[str]:
    """The hosts an administrator trusts (``OUTBOUND_ALLOWED_HOSTS``), lower-cased."""
    return [host.lower() for host in getattr(settings, "OUTBOUND_ALLOWED_HOSTS", [])]


def is_blocked_address(address: str) -> bool:
    """True for any address that is not a public unicast one (see BLOCKED_NETWORKS)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in BLOCKED_NETWORKS if network.version == ip.version):
        return True
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_link_local


def _host_and_port(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedDestination(f"Not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise BlockedDestination("Only http and https URLs can be called.")
    host = (parts.hostname or "").lower()
    if not host:
        raise BlockedDestination("The URL has no host.")
    if parts.username or parts.password:
        raise BlockedDestination("Put credentials in headers, not in the URL.")
    return scheme, host, port or SCHEMES[scheme]


def is_allowed_host(host: str, port: int, extra: Iterable[str] = ()) -> bool:
    """Whether ``host`` (or ``host:port``) is on the administrator's list or the caller's."""
    entries = {entry.strip().lower().strip("[]") for entry in [*allowed_hosts(), *extra] if entry.strip()}
    bare = host.strip("[]")
    return bare in entries or f"{bare}:{port}" in entries or f"[{bare}]:{port}" in entries


def check_url(url: str, *, allow_hosts: Iterable[str] = (), resolve: bool = True) -> None:
    """Refuse a URL early, when it is saved: a bad scheme, an address that is not public, or a name that
    resolves to one now (``resolve=False``: only literal addresses and ``localhost`` names, no DNS in the
    request). A courtesy for forms: the check that counts is the one at connect time."""
    _, host, port = _host_and_port(url)
    if is_allowed_host(host, port, allow_hosts):
        return
    bare = host.strip("[]")
    if bare == "localhost" or bare.endswith(".localhost"):
        raise BlockedDestination(f"{host} is this machine.")
    try:
        literal = ipaddress.ip_address(bare)
    except ValueError:
        literal = None
    if literal is not None:
        if is_blocked_address(bare):
            raise BlockedDestination(f"{host} is not a public address.")
        return
    if not resolve:
        return
    try:
        _resolve_public(host, port)
    except _Refused as refused:
        raise BlockedDestination(str(refused)) from None
    except OSError as exc:
        raise requests.ConnectionError(f"{host} could not be resolved: {exc}") from exc


def _resolve_public(host: str, port: int) -> list[tuple[Any, ...]]:
    """Every address ``host`` resolves to, or _Refused when any one of them is blocked (a name with a
    public and a private address is refused, so a client cannot be steered to the private one)."""
    answers = socket.getaddrinfo(host.strip("[]"), port, 0, socket.SOCK_STREAM)
    if not answers:
        raise OSError(f"{host} has no address")
    for _family, _type, _proto, _name, sockaddr in answers:
        if is_blocked_address(str(sockaddr[0])):
            raise _Refused(f"{host} resolves to {sockaddr[0]}, which is not a public address.")
    return answers


def _connect_checked(conn: HTTPConnection) -> socket.socket:
    """Resolve, check every address, then connect a socket to one of the checked addresses."""
    try:
        answers = _resolve_public(conn.host, conn.port or 0)
    except socket.gaierror as exc:
        raise NewConnectionError(conn, f"Failed to resolve {conn.host}: {exc}") from exc
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in answers:
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(conn.timeout if isinstance(conn.timeout, int | float) else None)
            sock.connect(sockaddr)
            return sock
        except TimeoutError as exc:
            sock.close()
            raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.") from exc
        except OSError as exc:
            sock.close()
            error = exc
    raise NewConnectionError(conn, f"Failed to establish a new connection: {error}")


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect_checked(self)


class _CheckedHTTPSConnection(HTTPSConnection):
    # TLS is wrapped around this socket afterwards with the URL's host name (SNI and certificate check).
    def _new_conn(self) -> socket.socket:
        return _connect_checked(self)


class _CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPConnectionPool,
            "https": _CheckedHTTPSConnectionPool,
        }


def _session(*, checked: bool) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no HTTP(S)_PROXY, no .netrc: the connection goes where we checked
    adapter = _CheckedAdapter(max_retries=0) if checked else HTTPAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class CheckedSession(requests.Session):
    """A ``requests`` session for a library that makes its own calls to a URL someone typed in (allauth's
    OpenID Connect provider: discovery, token, keys, user info): every connection is checked as in
    ``safe_request`` (at connect time, each redirect too), except to ``OUTBOUND_ALLOWED_HOSTS``; no proxy
    from the environment; ``timeout`` unless the caller gives one. A refused address raises
    ``BlockedDestination``; a body over ``max_bytes`` (the caller reads it whole: the library asks for no
    stream) raises ``TooLarge``, before more than that was read."""

    def __init__(
        self, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        super().__init__()
        self.trust_env = False
        self._checked = _CheckedAdapter(max_retries=0)
        self._trusted = HTTPAdapter(max_retries=0)
        self._timeout = timeout
        self._max_bytes = max_bytes

    def get_adapter(self, url: str) -> HTTPAdapter:
        _, host, port = _host_and_port(url)
        return self._trusted if is_allowed_host(host, port) else self._checked

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        streamed, kwargs["stream"] = kwargs.get("stream", False), True
        timeout = kwargs["timeout"]
        deadline = time.monotonic() + (sum(timeout) if isinstance(timeout, tuple) else timeout or 60)
        try:
            response = super().request(method, url, *args, **kwargs)
        except _Refused as refused:
            raise BlockedDestination(str(refused)) from None
        if streamed:
            return response
        with response:
            content, _ = _read_capped(response, max_bytes=self._max_bytes, truncate=False, deadline=deadline)
        response._content = content  # what ``response.content`` and ``.json()`` read, as without a stream
        return response


def safe_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    truncate: bool = False,
    allow_hosts: Iterable[str] = (),
) -> Response:
    """Send one request to a URL someone supplied and return the answer (any status, redirects included).

    Raises ``BlockedDestination`` (bad scheme, a blocked address at connect time), ``TooLarge`` (a body
    over ``max_bytes``, unless ``truncate=True`` keeps its first ``max_bytes``), ``requests.Timeout`` (the
    connect or read timeout, or the whole exchange over their sum) and other ``requests.RequestException``s.
    """
    _, host, port = _host_and_port(url)
    checked = not is_allowed_host(host, port, allow_hosts)
    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
    started = time.monotonic()
    deadline = started + sum(timeout)
    with _session(checked=checked) as session:
        try:
            raw = session.request(
                method, url, headers=sent, data=body, timeout=timeout, allow_redirects=False, stream=True
            )
        except _Refused as refused:
            raise BlockedDestination(str(refused)) from None
        with raw:
            content, cut = _read_capped(raw, max_bytes=max_bytes, truncate=truncate, deadline=deadline)
            return Response(
                status_code=raw.status_code,
                headers=dict(raw.headers),
                content=content,
                elapsed=time.monotonic() - started,
                truncated=cut,
                url=url,
            )


def _read_capped(
    raw: requests.Response, *, max_bytes: int, truncate: bool, deadline: float
) -> tuple[bytes, bool]:
    declared = raw.headers.get("Content-Length", "")
    if not truncate and declared.isdecimal() and int(declared) > max_bytes:
        raise TooLarge(f"The response is {declared} bytes; the limit is {max_bytes}.")
    chunks: list[bytes] = []
    size = 0
    for chunk in raw.iter_content(chunk_size=8192):
        if time.monotonic() > deadline:
            raise requests.Timeout("The response took longer than the timeout to arrive.")
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                return b"".join(chunks)[:max_bytes], True
            raise TooLarge(f"The response is longer than {max_bytes} bytes.")
    return b"".join(chunks), False


ALLOW_LIST_HINT = "An administrator can allow an internal host with OUTBOUND_ALLOWED_HOSTS."


def _chain(error: BaseException) -> list[BaseException]:
    """The error, what caused it, and what urllib3 kept as the reason, outermost first."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or current in seen:
            continue
        seen.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        pending += [arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException)]
    return seen


def describe(error: BaseException) -> str:
    """One sentence for the organiser who typed the URL: what went wrong in reaching it.

    ``str()`` of a requests error is urllib3's chain (``HTTPSConnectionPool(host=…): Max retries exceeded
    … (Caused by NewConnectionError(…))``); this names the host and the cause in plain words instead."""
    if isinstance(error, BlockedDestination):
        text = str(error)
        if "public address" in text or "this machine" in text:
            text = f"{text} {ALLOW_LIST_HINT}"
        return text
    if isinstance(error, TooLarge):
        return str(error)
    request = getattr(error, "request", None)
    host = urlsplit(getattr(request, "url", "") or "").hostname or "The server"
    chain = _chain(error)
    words = " ".join(str(part) for part in chain)
    if any(isinstance(part, socket.gaierror) for part in chain) or "Failed to resolve" in words:
        return f"{host} could not be found: no such name in DNS (check the spelling)."
    if any(isinstance(part, ConnectionRefusedError) for part in chain) or "Connection refused" in words:
        return f"{host} refused the connection: nothing answers on that port."
    # urllib3's NewConnectionError is a ConnectTimeoutError too: a timeout is one that is not also that.
    if isinstance(error, requests.ConnectTimeout) or any(
        isinstance(part, ConnectTimeoutError) and not isinstance(part, NewConnectionError) for part in chain
    ):
        return f"{host} did not answer in time (a firewall, or the wrong port?)."
    if isinstance(error, requests.Timeout):
        return f"{host} took too long to answer."
    if isinstance(error, requests.exceptions.SSLError):
        return f"The secure connection to {host} failed: its TLS certificate could not be verified."
    if isinstance(error, requests.ConnectionError):
        return f"Could not connect to {host}."
    return str(error) or error.__class__.__name__
