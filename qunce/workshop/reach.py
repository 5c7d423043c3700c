"""Can the phones in the room open our links? The base URL to use, and this machine's LAN addresses.

A link that says `localhost` works on the trainer's laptop and nowhere else: a phone that scans
it asks itself. `reach()` says which base URL the links use (QUNCE_BASE_URL from the environment,
else from `.streamlit/secrets.toml`, else the default `http://localhost:8501`), whether that
address is local to this machine, and which LAN addresses phones on the same network could use
instead. Finding the addresses sends no packet: the kernel names the source address of the
default route when a UDP socket is "connected" (nothing is sent), and on Linux each interface's
IPv4 address is read with one ioctl. No dependency beyond the standard library.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from qunce.config import settings, source_of
from qunce.workshop.deck import Bi

BaseSource = Literal["env", "configured", "default"]
DEFAULT_PORT = 8501
# Interfaces of containers, bridges and virtual machines: their addresses are private, yet no
# phone in the room reaches them.
VIRTUAL_PREFIXES = (
    "lo", "docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "cni", "flannel", "kube",
    "lxc", "lxd", "podman", "cali", "weave", "tailscale", "utun", "awdl", "llw", "anpi",
)  # fmt: skip
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0", "::", "::1"}
_SIOCGIFADDR = 0x8915  # Linux: read an interface's IPv4 address


@dataclass(frozen=True)
class Reach:
    """Which base URL links use, whether phones can open it, and the LAN URLs they could use."""

    base_url: str
    source: BaseSource
    local_only: bool
    candidates: tuple[str, ...]

    @property
    def suggestion(self) -> str | None:
        """The LAN URL to offer first (the default route's address), if any."""
        return self.candidates[0] if self.candidates else None

    def warning(self) -> Bi | None:
        """What a page or the CLI shows when the links cannot work on phones; None when fine."""
        if not self.local_only:
            return None
        if self.candidates:
            others = self.candidates[1:]
            more_zh = f"（其他可能的地址：{'、'.join(others)}）" if others else ""
            more_en = f" (other addresses: {', '.join(others)})" if others else ""
            return Bi(
                f"链接里写的是 {self.base_url}，教室里的手机打不开它。请改用 {self.candidates[0]}"
                f"{more_zh}，或设置 QUNCE_BASE_URL。",
                f"This link says {self.base_url}; phones in the room cannot open it. Use "
                f"{self.candidates[0]}{more_en}, or set QUNCE_BASE_URL.",
            )
        return Bi(
            f"链接里写的是 {self.base_url}，教室里的手机打不开它，而这台电脑没有局域网地址。"
            "请先连上教室的 Wi-Fi，或把 QUNCE_BASE_URL 设为手机能打开的地址。",
            f"This link says {self.base_url}; phones in the room cannot open it, and this "
            "computer has no LAN address. Join the room's Wi-Fi, or set QUNCE_BASE_URL to an "
            "address the phones can open.",
        )


def is_local_url(url: str) -> bool:
    """True when `url` points at this machine only (localhost, 127.x, ::1, 0.0.0.0)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def usable_address(address: str) -> bool:
    """A private IPv4 address a phone on the same network can reach (not loopback/link-local)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return (
        ip.version == 4
        and ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_unspecified
    )


def rank_addresses(interfaces: Mapping[str, Sequence[str]], default_route: str | None) -> list[str]:
    """Usable LAN addresses, best first: the default route's, then real interfaces by name.

    Pure: `interfaces` maps interface names to their IPv4 addresses (what `interface_addresses`
    reads), `default_route` is the address the default route leaves from (or None).
    """
    found: list[str] = []
    real = {
        name: addresses
        for name, addresses in sorted(interfaces.items())
        if not name.lower().startswith(VIRTUAL_PREFIXES)
    }
    on_virtual = {a for name, addrs in interfaces.items() if name not in real for a in addrs if a}
    if default_route and usable_address(default_route) and default_route not in on_virtual:
        found.append(default_route)
    for addresses in real.values():
        for address in addresses:
            if usable_address(address) and address not in found:
                found.append(address)
    return found


def default_route_address() -> str | None:
    """The source address of the default route (a UDP "connect" sends nothing); None offline."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # Any routable address works; nothing is sent over UDP until data is written.
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return str(address)


def interface_addresses() -> dict[str, list[str]]:
    """Each network interface's IPv4 address (Linux); elsewhere the host name's addresses."""
    if sys.platform.startswith("linux"):
        import fcntl

        out: dict[str, list[str]] = {}
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for _index, name in socket.if_nameindex():
                request = struct.pack("256s", name.encode("utf-8")[:15])
                try:
                    answer = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
                except OSError:  # no IPv4 address on this interface
                    continue
                out[name] = [socket.inet_ntoa(answer[20:24])]
        return out
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return {}
    return {"host": sorted({str(info[4][0]) for info in infos})}


def lan_addresses() -> list[str]:
    """This machine's LAN IPv4 addresses that phones in the room could reach, best first."""
    return rank_addresses(interface_addresses(), default_route_address())


def with_host(url: str, host: str, port: int | None = None) -> str:
    """`url` with its host (and port, when given) replaced; path and query kept."""
    parts = urlsplit(url)
    keep = port if port is not None else parts.port
    netloc = f"{host}:{keep}" if keep else host
    return urlunsplit((parts.scheme or "http", netloc, parts.path, parts.query, parts.fragment))


def _source() -> BaseSource:
    found = source_of("QUNCE_BASE_URL")
    return "env" if found == "env" else "configured" if found else "default"


def reach(
    port: int | None = None,
    *,
    base_url: str | None = None,
    addresses: Iterable[str] | None = None,
) -> Reach:
    """The base URL links use now, and whether phones can open it.

    `port` is the port this server listens on (the page knows it from Streamlit's
    `server.port`); the LAN candidates use it, else the base URL's port, else 8501. `base_url`
    and `addresses` replace the configured URL and the detected addresses (tests, the CLI's
    `--base-url`).
    """
    base = (base_url or settings().base_url).rstrip("/")
    source: BaseSource = "configured" if base_url else _source()
    local = is_local_url(base)
    found = list(addresses) if addresses is not None else (lan_addresses() if local else [])
    use_port = port or urlsplit(base).port or DEFAULT_PORT
    candidates = tuple(with_host(base, address, use_port) for address in found) if local else ()
    return Reach(base_url=base, source=source, local_only=local, candidates=candidates)
