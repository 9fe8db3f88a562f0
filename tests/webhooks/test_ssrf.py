"""The SSRF guard: https only, public addresses only, at save time and at delivery time."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks import services, transport
from webhooks.models import WebhookDelivery, WebhookEndpoint

EVENTS = ["resource.updated"]


@pytest.fixture
def dns(monkeypatch):
    """Stand-in DNS: ``dns["host"] = ["1.2.3.4"]``; unknown names do not resolve."""
    table: dict[str, list[str]] = {}

    def resolve(host, port):
        try:
            return list(table[host])
        except KeyError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    monkeypatch.setattr(transport, "resolve", resolve)
    return table


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 - a test value, nothing binds to it
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not transport.is_public_address(address)


def test_public_addresses_are_allowed():
    assert transport.is_public_address("93.184.216.34")
    assert transport.is_public_address("2606:4700::6810:84e5")


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_endpoint_url_rules_at_save(platforms, dns, english):
    dns["hooks.example.cn"] = ["93.184.216.34"]
    dns["intranet.example.cn"] = ["93.184.216.34", "10.0.0.7"]  # one private answer is enough
    staff, baidu = platforms["baidu_staff"], platforms["baidu"]

    def create(url):
        return services.endpoint_create(platform=baidu, user=staff, url=url, events=EVENTS)

    endpoint = create("https://hooks.example.cn/huiju")
    assert endpoint.url == "https://hooks.example.cn/huiju"

    refused = {
        "http://hooks.example.cn/huiju": "must use https",
        "https://intranet.example.cn/": "private or local address (10.0.0.7)",
        "https://127.0.0.1/": "private or local address",
        "https://[::1]:8443/": "private or local address",
        "https://169.254.169.254/latest/meta-data/": "private or local address",
        "https://nowhere.invalid/": "does not resolve",
        "https://user:pw@hooks.example.cn/": "credentials",
        "ftp://hooks.example.cn/": "valid http(s) URL",
    }
    for url, reason in refused.items():
        with pytest.raises(ValidationError) as error:
            create(url)
        assert reason in " ".join(error.value.message_dict["url"]), url
    assert WebhookEndpoint.objects.count() == 1


def test_settings_may_allow_http_and_private_addresses(platforms, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_HTTP": True, "ALLOW_PRIVATE_ADDRESSES": True}
    endpoint = services.endpoint_create(
        platform=platforms["baidu"],
        user=platforms["baidu_staff"],
        url="http://127.0.0.1:9000/hook",
        events=EVENTS,
    )
    assert endpoint.pk


def test_dns_rebinding_is_caught_at_delivery_time(platforms, dns, monkeypatch):
    """Saved while public; by delivery time the name points inside: refused, nothing sent."""
    dns["hooks.example.cn"] = ["93.184.216.34"]
    endpoint = services.endpoint_create(
        platform=platforms["baidu"],
        user=platforms["baidu_staff"],
        url="https://hooks.example.cn/huiju",
        events=EVENTS,
    )
    dns["hooks.example.cn"] = ["127.0.0.1"]
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connections.append(a))

    services.webhook_emit(platform=platforms["baidu"], event="resource.updated", payload={"x": 1})
    services.deliveries_send_due()

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert connections == []
    assert delivery.status == WebhookDelivery.Status.PENDING  # retried later, DNS may change
    assert "private or local address (127.0.0.1)" in delivery.last_error


def test_connection_goes_to_the_checked_address(platforms, dns, monkeypatch, settings):
    """The socket connects to the address that passed the check, not a fresh DNS answer."""
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_HTTP": True}
    dns["hooks.example.cn"] = ["2606:2800:220:1::1", "93.184.216.34"]
    seen = []

    def fake_connect(address, timeout=None, *args):
        seen.append(address)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(socket, "create_connection", fake_connect)
    with pytest.raises(transport.DeliveryError):
        transport.post("http://hooks.example.cn:8080/x", body=b"{}", headers={}, timeout=1)
    assert seen == [("2606:2800:220:1::1", 8080), ("93.184.216.34", 8080)]  # each, in order
