"""Who may read /metrics and /readyz: listed addresses or networks, or the bearer of a token."""

import hmac
import ipaddress
from collections.abc import Iterable

from flask import current_app, request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks(setting: str | Iterable[str] | None) -> list[Network]:
    """Parse METRICS_ALLOWED_ADDRESSES: addresses or networks, a list or a comma-separated text."""
    if not setting:
        return []
    parts = setting.replace(",", " ").split() if isinstance(setting, str) else list(setting)
    return [ipaddress.ip_network(str(part).strip(), strict=False) for part in parts]


def check_config(config) -> None:
    """Refuse to start with an address that does not parse, naming the setting."""
    from satisfaction import ConfigurationError

    try:
        allowed_networks(config.get("METRICS_ALLOWED_ADDRESSES"))
    except ValueError as error:
        raise ConfigurationError(
            f"METRICS_ALLOWED_ADDRESSES must list addresses or networks such as 10.0.0.0/8: {error}"
        ) from error


def may_read_operations() -> bool:
    """Tell whether this request may read the metrics and the readiness details."""
    return _bears_token() or _from_allowed_address()


def _bears_token() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    if not token or not sent.startswith("Bearer "):
        return False
    return hmac.compare_digest(sent.removeprefix("Bearer ").strip().encode(), str(token).encode())


def _from_allowed_address() -> bool:
    if not current_app.config.get("TRUSTED_PROXIES") and "X-Forwarded-For" in request.headers:
        # A proxy the app was not told of: the address seen is the proxy's (often loopback),
        # not the client's. Only the token opens the door then (set TRUSTED_PROXIES).
        return False
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
        client = client.ipv4_mapped
    networks = allowed_networks(current_app.config.get("METRICS_ALLOWED_ADDRESSES"))
    return any(client in network for network in networks)
