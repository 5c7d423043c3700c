"""Reachable links: which base URL links use, and the LAN addresses a phone could open."""

from __future__ import annotations

import ipaddress

import pytest

from qunce.config import settings
from qunce.workshop.links import host_link, page_url, screen_link, team_link
from qunce.workshop.reach import (
    interface_addresses,
    is_local_url,
    lan_addresses,
    rank_addresses,
    reach,
    usable_address,
    with_host,
)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8501", True),
        ("http://LOCALHOST.:8501/x", True),
        ("http://127.0.0.1:8501", True),
        ("http://127.8.9.1", True),
        ("http://[::1]:8501", True),
        ("http://0.0.0.0:8501", True),
        ("http://app.localhost:8501", True),
        ("http://192.168.1.20:8501", False),
        ("https://qunce.example.org", False),
    ],
)
def test_local_urls_are_recognised(url: str, local: bool) -> None:
    assert is_local_url(url) is local


def test_only_private_ipv4_addresses_are_offered() -> None:
    assert usable_address("192.168.1.20")
    assert usable_address("10.0.0.7")
    assert usable_address("172.16.3.4")
    assert not usable_address("127.0.0.1")
    assert not usable_address("169.254.10.1")  # link-local: no DHCP answered
    assert not usable_address("8.8.8.8")  # public: not the room's network
    assert not usable_address("fe80::1")
    assert not usable_address("nonsense")


def test_ranking_puts_the_default_route_first_and_skips_virtual_interfaces() -> None:
    interfaces = {
        "lo": ["127.0.0.1"],
        "docker0": ["172.17.0.1"],
        "veth12ab": ["172.18.0.1"],
        "wlan0": ["192.168.1.20"],
        "eth0": ["10.0.0.7"],
    }
    assert rank_addresses(interfaces, "192.168.1.20") == ["192.168.1.20", "10.0.0.7"]
    assert rank_addresses(interfaces, None) == ["10.0.0.7", "192.168.1.20"]
    # A default route through a container bridge is no address for phones.
    assert rank_addresses({"docker0": ["172.17.0.1"]}, "172.17.0.1") == []
    assert rank_addresses({}, "8.8.8.8") == []


def test_this_machine_reports_plausible_addresses() -> None:
    found = lan_addresses()
    assert all(ipaddress.ip_address(a).is_private for a in found)
    assert "127.0.0.1" not in found
    assert isinstance(interface_addresses(), dict)


def test_localhost_gets_a_warning_with_the_lan_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUNCE_BASE_URL", raising=False)
    settings.cache_clear()
    found = reach(8502, addresses=["192.168.1.20", "10.0.0.7"])
    assert found.local_only and found.source in ("default", "configured")
    assert found.candidates == ("http://192.168.1.20:8502", "http://10.0.0.7:8502")
    assert found.suggestion == "http://192.168.1.20:8502"
    warning = found.warning()
    assert warning is not None
    assert "phones in the room cannot open it" in warning.en
    assert "use http://192.168.1.20:8502" in warning.en.lower()
    assert "http://10.0.0.7:8502" in warning.en
    assert "手机打不开" in warning.zh
    offline = reach(addresses=[]).warning()
    assert offline is not None and "no LAN address" in offline.en


def test_a_public_base_url_needs_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org/")
    settings.cache_clear()
    found = reach(8501, addresses=["192.168.1.20"])
    assert (found.base_url, found.source, found.local_only) == (
        "https://qunce.example.org",
        "env",
        False,
    )
    assert found.candidates == () and found.warning() is None


def test_links_take_a_chosen_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUNCE_BASE_URL", raising=False)
    settings.cache_clear()
    assert team_link("abc").startswith("http://localhost:8501/workshop?join=abc")
    base = with_host("http://localhost:8501", "192.168.1.20")
    assert base == "http://192.168.1.20:8501"
    assert team_link("abc", "en", base=base) == "http://192.168.1.20:8501/workshop?lang=en&join=abc"
    assert screen_link("s", base=base + "/").startswith("http://192.168.1.20:8501/workshop?")
    assert host_link("h", base=base).endswith("?host=h")
    assert page_url(base) == "http://192.168.1.20:8501/workshop"
