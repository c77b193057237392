"""The SSRF guard: every address that is not public is refused when the socket connects (after DNS, so a
rebinding name cannot pass), redirects are answers, bodies and waits are bounded, and only an
administrator's allow-list opens an internal host."""

from __future__ import annotations

import socket

import pytest
import requests

from openhelp.platform.lib import safe_http
from tests.webhooks.receiver import Answer

# Nothing listens on these (or they are not reachable here): a refusal must come from the guard, before
# any packet is sent, which the message says.
REFUSED_URLS = [
    "http://127.0.0.1:9/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:9/",
    "http://localhost:9/",
    "http://[::ffff:127.0.0.1]:9/",
    "http://[fd00:ec2::254]/",
    "http://100.64.0.1/",
    "http://0.0.0.0:9/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "https://127.0.0.1:9/",
]


@pytest.fixture
def no_allow_list(settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_it_refuses_every_address_that_is_not_public(url, no_allow_list):
    with pytest.raises(safe_http.BlockedDestination, match="not a public address"):
        safe_http.safe_request("POST", url, body=b"{}", timeout=(0.5, 0.5))


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "http://u:p@example.org/"]
)
def test_it_refuses_other_schemes_and_credentials_in_the_url(url):
    with pytest.raises(safe_http.BlockedDestination):
        safe_http.safe_request("GET", url)


def test_the_loopback_receiver_is_refused_without_the_allow_list_and_reached_with_it(receiver, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(safe_http.BlockedDestination):
        safe_http.safe_request("POST", receiver.url, body=b"{}")
    assert receiver.received == []

    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{receiver.port}"]
    response = safe_http.safe_request("POST", receiver.url, body=b"{}")
    assert response.status_code == 200 and len(receiver.received) == 1


def test_an_allowed_host_opens_only_its_own_port(receiver, other_receiver):
    with pytest.raises(safe_http.BlockedDestination):
        safe_http.safe_request("GET", f"http://127.0.0.1:{other_receiver.port}/")
    assert other_receiver.received == []


def test_a_caller_may_allow_a_host_for_its_own_calls(other_receiver, no_allow_list):
    response = safe_http.safe_request(
        "GET", f"http://127.0.0.1:{other_receiver.port}/x", allow_hosts=[f"127.0.0.1:{other_receiver.port}"]
    )
    assert response.status_code == 200


@pytest.fixture
def rebinding_name(monkeypatch):
    """The one fake: a name whose DNS answer changes between lookups (public first, then loopback), the
    way a rebinding attacker's server answers. Every other name resolves as usual."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.attacker.test":
            return real(host, port, *args, **kwargs)
        address = next(answers)
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_a_rebinding_name_passes_the_early_check_but_is_refused_at_connect_time(
    rebinding_name, no_allow_list
):
    url = "http://rebind.attacker.test:9/hook"
    safe_http.check_url(url)  # a form's check sees the public address and lets it through
    with pytest.raises(safe_http.BlockedDestination, match="127.0.0.1"):
        safe_http.safe_request("POST", url, body=b"{}", timeout=(0.5, 0.5))
    assert rebinding_name == ["93.184.216.34", "127.0.0.1"]  # the connection resolved once, and checked that


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch, no_allow_list):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(safe_http.BlockedDestination, match="10.0.0.1"):
        safe_http.safe_request("GET", "http://mixed.test/")


def test_check_url_without_dns_refuses_literals_and_localhost(no_allow_list):
    for url in ("http://127.0.0.1/", "http://localhost/", "http://api.localhost/", "http://[::1]/"):
        with pytest.raises(safe_http.BlockedDestination):
            safe_http.check_url(url, resolve=False)
    safe_http.check_url("https://hooks.example.org/x", resolve=False)


def test_a_redirect_is_returned_not_followed(receiver, other_receiver, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{receiver.port}", f"127.0.0.1:{other_receiver.port}"]
    target = f"http://127.0.0.1:{other_receiver.port}/internal"
    receiver.script.append(Answer(status=302, body=b"", headers={"Location": target}))

    response = safe_http.safe_request("POST", receiver.url, body=b"{}")

    assert response.status_code == 302 and response.headers["Location"] == target
    assert other_receiver.received == []


def test_a_redirect_to_loopback_is_refused_even_if_followed_by_hand(receiver, other_receiver):
    receiver.script.append(
        Answer(status=307, body=b"", headers={"Location": f"http://127.0.0.1:{other_receiver.port}/"})
    )
    response = safe_http.safe_request("POST", receiver.url, body=b"{}")
    with pytest.raises(safe_http.BlockedDestination):
        safe_http.safe_request("POST", response.headers["Location"], body=b"{}")
    assert other_receiver.received == []


def test_a_body_over_the_cap_raises_too_large(receiver):
    receiver.script.append(Answer(body=b"x" * 5000))  # declared in Content-Length: refused before reading
    with pytest.raises(safe_http.TooLarge):
        safe_http.safe_request("GET", receiver.url, max_bytes=1000)
    receiver.script.append(Answer(body=b"x" * 50_000, content_length=False))  # found while reading
    with pytest.raises(safe_http.TooLarge):
        safe_http.safe_request("GET", receiver.url, max_bytes=1000)


def test_truncate_keeps_the_first_bytes(receiver):
    receiver.script.append(Answer(body=b"a" * 10 + b"b" * 5000, content_length=False))
    response = safe_http.safe_request("GET", receiver.url, max_bytes=10, truncate=True)
    assert response.content == b"a" * 10 and response.truncated


def test_a_receiver_that_never_answers_times_out(receiver):
    receiver.script.append(Answer(hang=True))
    with pytest.raises(requests.Timeout):
        safe_http.safe_request("POST", receiver.url, body=b"{}", timeout=(1, 0.2))
    assert issubclass(safe_http.BlockedDestination, requests.RequestException)


def test_it_ignores_proxy_settings_from_the_environment(receiver, monkeypatch):
    # A proxy would make the connection somewhere the guard did not check (and hide the real address).
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("http_proxy", "http://10.0.0.1:3128")
    assert safe_http.safe_request("GET", receiver.url, timeout=(0.5, 0.5)).status_code == 200


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("::ffff:10.0.0.1", True),
        ("64:ff9b::a00:1", True),
        ("198.18.0.1", True),
        ("255.255.255.255", True),
        ("fe80::1%eth0", True),
    ],
)
def test_the_address_rule(address, blocked):
    assert safe_http.is_blocked_address(address) is blocked


def _error(url: str, **kwargs) -> requests.RequestException:
    with pytest.raises(requests.RequestException) as caught:
        safe_http.safe_request("GET", url, **kwargs)
    return caught.value


def test_describe_says_what_went_wrong_in_plain_words(receiver, monkeypatch, settings):
    """What the organiser reads on a page or in a delivery log: the host and the cause, no urllib3 chain."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{closed}"]
    assert safe_http.describe(_error(f"http://127.0.0.1:{closed}/")) == (
        "127.0.0.1 refused the connection: nothing answers on that port."
    )
    receiver.script.append(Answer(hang=True))
    hung = _error(receiver.url, allow_hosts=[f"127.0.0.1:{receiver.port}"], timeout=(1, 0.2))
    assert safe_http.describe(hung) == "127.0.0.1 took too long to answer."
    settings.OUTBOUND_ALLOWED_HOSTS = []
    assert safe_http.describe(_error("http://10.1.2.3/hook")) == (
        "10.1.2.3 resolves to 10.1.2.3, which is not a public address. An administrator can allow an "
        "internal host with OUTBOUND_ALLOWED_HOSTS."
    )

    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    assert safe_http.describe(_error("https://hooks.exmaple.org/in")) == (
        "hooks.exmaple.org could not be found: no such name in DNS (check the spelling)."
    )
