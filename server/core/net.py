"""The client's address, for rate limits and logs.

By default the address is the connection's peer: X-Forwarded-For can be written by anyone, so
it is believed only from proxies named in KITOKITO_TRUSTED_PROXIES (addresses or networks,
comma-separated). From such a proxy the header is read right to left, skipping further trusted
proxies; the first other entry is the client. An entry that is not an IP address stops the
walk, and the last trusted hop is taken instead, so a made-up header never yields a new key.
uvicorn's own proxy-header handling is off (server/__main__.py): this is the only place.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence

from starlette.requests import Request

log = logging.getLogger("kitokito.net")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/8' -> networks; entries that are not addresses are ignored."""
    networks: list[Network] = []
    for item in value.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            log.warning("KITOKITO_TRUSTED_PROXIES: ignoring %r, not an IP address or network",
                        item[:60])
    return tuple(networks)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None,
             proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in net for net in proxies)


def client_address(request: Request, proxies: Sequence[Network] | None = None) -> str:
    """The caller's IP address as text ('unknown' when the server cannot tell)."""
    if proxies is None:
        proxies = getattr(request.app.state, "trusted_proxies", ())
    peer_text = request.client.host if request.client else ""
    peer = _ip(peer_text)
    if peer is None:
        return peer_text[:64] or "unknown"
    if not _trusted(peer, proxies):
        return str(peer)
    hops = [h for v in request.headers.getlist("x-forwarded-for") for h in v.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def approximate_place(address: str) -> str | None:
    """Roughly where a client is, from its address, without keeping the address: no location
    database ships with the server, so only what the address itself says."""
    ip = _ip(address)
    if ip is None:
        return None
    if ip.is_loopback:
        return "loopback"
    if ip.is_private or ip.is_link_local:
        return "local_network"
    return None
