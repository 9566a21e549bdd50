"""Client addresses as the limiters count them: an IPv4 address as it is, an IPv6
address by its /64, the network of one home or hall (a phone takes new addresses within
it at will, so counting each address would let one phone try without end)."""

from __future__ import annotations

import ipaddress


def network_of(remote_addr: str | None) -> str:
    """The address as counted ("unknown" when there is none)."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return remote_addr or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
