"""vpnse: a SoftEther VPN client for Python over libvpnse's C API (vpnse.h)."""
from . import _native
from .client import STATES, Client, Network, Route, Stats
from .errors import (AuthFailedError, CertPinMismatchError, ConfigInvalidError, ConnectFailedError, HubNotFoundError,
                     InvalidArgumentError, NotConnectedError, PermissionDeniedError, ResolveFailedError,
                     TlsFailedError, VpnseError, VpnseTimeoutError, error_for)


def version(library=None) -> str:
    return _native.load(library).vpnse_version().decode()


__all__ = ["Client", "Network", "Route", "Stats", "STATES", "version", "error_for", "VpnseError",
           "AuthFailedError", "CertPinMismatchError", "ConfigInvalidError", "ConnectFailedError", "HubNotFoundError",
           "InvalidArgumentError", "NotConnectedError", "PermissionDeniedError", "ResolveFailedError",
           "TlsFailedError", "VpnseTimeoutError"]
