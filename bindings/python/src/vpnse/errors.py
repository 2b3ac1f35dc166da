"""vpnse error codes as exceptions: one class per code an app typically handles, VpnseError for the rest.

The numbers are vpnse.h's VPNSE_E_* (the same as vpnse::ErrorCode and the daemon's JSON-RPC codes);
`name` is the library's stable name for the code ("auth_failed")."""


class VpnseError(Exception):
    code = None

    def __init__(self, code, name, message=""):
        super().__init__(message or name)
        self.code = code
        self.name = name


class ConnectFailedError(VpnseError):
    code = 1


class HubNotFoundError(VpnseError):
    code = 8


class AuthFailedError(VpnseError):
    code = 9


class InvalidArgumentError(VpnseError):
    code = 1000


class ConfigInvalidError(VpnseError):
    code = 1001


class TlsFailedError(VpnseError):
    code = 1004


class CertPinMismatchError(VpnseError):
    code = 1005


class VpnseTimeoutError(VpnseError):
    code = 1006


class PermissionDeniedError(VpnseError):
    code = 1010


class NotConnectedError(VpnseError):
    code = 1013


class ResolveFailedError(VpnseError):
    code = 1015


_BY_CODE = {cls.code: cls for cls in VpnseError.__subclasses__()}


def error_for(code, name, message=""):
    """The exception for `code`: its own class when there is one, else VpnseError."""
    return _BY_CODE.get(code, VpnseError)(code, name, message)
