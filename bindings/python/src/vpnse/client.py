"""One VPN tunnel over libvpnse. Callbacks (on_state, on_network, on_stats, on_log, protect) run on the
client's own thread (ctypes takes the GIL for them); they may call the client, close() included."""
import ctypes
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

from . import _native
from .errors import error_for

STATES = ["disconnected", "connecting", "authenticating", "configuring", "established", "reconnecting"]
LOG_LEVELS = ["trace", "debug", "info", "warn", "error"]


@dataclass(frozen=True)
class Route:
    destination: str
    prefix_length: int
    gateway: Optional[str]


@dataclass(frozen=True)
class Network:
    address: str
    prefix_length: int
    gateway: Optional[str]
    dns: List[str]
    domain: str
    mtu: int
    lease_seconds: int
    routes: List[Route] = field(default_factory=list)


@dataclass(frozen=True)
class Stats:
    bytes_in: int
    bytes_out: int
    packets_in: int
    packets_out: int
    dropped: int
    connections: int
    reconnects: int
    uptime_seconds: int


def _text(raw):
    return raw.decode("utf-8", "replace") if raw else ""


def _network(n, routes, count):
    return Network(_text(n.address), n.prefix_length, _text(n.gateway) or None,
                   [_text(n.dns[i].value) for i in range(n.dns_count)], _text(n.domain), n.mtu, n.lease_seconds,
                   [Route(_text(routes[i].destination), routes[i].prefix_length, _text(routes[i].gateway) or None)
                    for i in range(count)])


def _stats(s):
    return Stats(s.bytes_in, s.bytes_out, s.packets_in, s.packets_out, s.dropped, s.connections, s.reconnects,
                 s.uptime_seconds)


class Client:
    """A client for one profile (TOML text, docs/configuration.md); created disconnected.

    Without on_packet, packets from the tunnel queue for recv_packet(). client_certificate is
    (certificate, private_key) as PEM or DER bytes, for auth.method = "certificate" without files (an app
    keeps them in its keystore)."""

    def __init__(self, profile_toml: str, name: str = "python", *, library: Optional[str] = None,
                 host_name: Optional[str] = None, client_certificate: Optional[Tuple[bytes, bytes]] = None,
                 log_level: str = "info",
                 on_state: Optional[Callable] = None, on_log: Optional[Callable] = None,
                 on_packet: Optional[Callable] = None, on_network: Optional[Callable] = None,
                 on_stats: Optional[Callable] = None, stats_interval_ms: int = 1000,
                 protect: Optional[Callable[[int], bool]] = None):
        self._lib = _native.load(library)
        self._handle = None
        config = ctypes.c_void_p()
        error = ctypes.create_string_buffer(512)
        self._check(self._lib.vpnse_config_parse(profile_toml.encode(), name.encode(), ctypes.byref(config),
                                                 error, len(error)), _text(error.value))
        try:
            if host_name:
                self._check(self._lib.vpnse_config_set_host_name(config, host_name.encode()))
            if client_certificate:
                certificate, key = client_certificate
                self._check(self._lib.vpnse_config_set_client_certificate(
                    config, certificate, len(certificate), key, len(key), error, len(error)), _text(error.value))
            # Kept on self: ctypes frees a callback's trampoline with its Python object.
            self._callbacks = _native.Callbacks()
            self._callbacks.log_level = LOG_LEVELS.index(log_level)
            if on_state:
                self._callbacks.on_state = _native.STATE_CB(
                    lambda user, state, code, message: on_state(
                        STATES[state], error_for(code, self.error_name(code), _text(message)) if code else None))
            if on_log:
                self._callbacks.on_log = _native.LOG_CB(
                    lambda user, level, component, message: on_log(LOG_LEVELS[min(level, 4)], _text(component),
                                                                   _text(message)))
            if on_packet:
                self._callbacks.on_packet = _native.PACKET_CB(
                    lambda user, packet, size: on_packet(ctypes.string_at(packet, size)))
            self._check(self._lib.vpnse_config_check(config, error, len(error)), _text(error.value))
            handle = ctypes.c_void_p()
            self._check(self._lib.vpnse_client_create(config, ctypes.byref(self._callbacks), ctypes.byref(handle)))
            self._handle = handle
        finally:
            self._lib.vpnse_config_free(config)
        self._hooks = []
        if protect:
            hook = _native.PROTECT_CB(lambda user, socket: 0 if protect(socket) else 1)
            self._hooks.append(hook)
            self._check(self._lib.vpnse_client_set_protect_callback(self._handle, hook, None))
        if on_network:
            hook = _native.NETWORK_CB(lambda user, n, routes, count: on_network(_network(n.contents, routes, count)))
            self._hooks.append(hook)
            self._check(self._lib.vpnse_client_set_network_callback(self._handle, hook, None))
        if on_stats:
            hook = _native.STATS_CB(lambda user, s: on_stats(_stats(s.contents)))
            self._hooks.append(hook)
            self._check(self._lib.vpnse_client_set_stats_callback(self._handle, hook, stats_interval_ms, None))

    def error_name(self, code: int) -> str:
        return _text(self._lib.vpnse_error_name(code))

    def _check(self, rc, message=""):
        if rc != 0:
            raise error_for(rc, self.error_name(rc), message)

    def _live(self):
        if not self._handle:
            raise RuntimeError("the client is closed")
        return self._handle

    def connect(self):
        self._check(self._lib.vpnse_client_connect(self._live()))

    def disconnect(self):
        self._check(self._lib.vpnse_client_disconnect(self._live()))

    def wait_state(self, state: str, timeout: float = 30.0):
        """Blocks until `state`; raises the error the tunnel ended with, or VpnseTimeoutError."""
        rc = self._lib.vpnse_client_wait_state(self._live(), STATES.index(state), int(timeout * 1000))
        if rc != 0:
            text = ctypes.create_string_buffer(512)
            self._lib.vpnse_client_last_error(self._handle, text, len(text))
            raise error_for(rc, self.error_name(rc), _text(text.value) if rc != 1006 else f"no {state} in {timeout} s")

    @property
    def state(self) -> str:
        value = ctypes.c_int()
        self._check(self._lib.vpnse_client_state(self._live(), ctypes.byref(value)))
        return STATES[value.value]

    @property
    def network(self) -> Optional[Network]:
        n = _native.Network()
        if self._lib.vpnse_client_network(self._live(), ctypes.byref(n)) != 0:
            return None
        return _network(n, [], 0)

    def stats(self) -> Stats:
        s = _native.Stats()
        self._check(self._lib.vpnse_client_stats(self._live(), ctypes.byref(s)))
        return _stats(s)

    def send_packet(self, packet: bytes):
        self._check(self._lib.vpnse_client_send_packet(self._live(), packet, len(packet)))

    def recv_packet(self, timeout: float = 1.0) -> Optional[bytes]:
        buffer = (ctypes.c_uint8 * 65536)()
        size = ctypes.c_size_t()
        if self._lib.vpnse_client_recv_packet(self._live(), buffer, len(buffer), int(timeout * 1000),
                                              ctypes.byref(size)) != 0:
            return None
        return bytes(buffer[:size.value])

    def attach_tun_fd(self, fd: int):
        """The library moves packets between the TUN and the tunnel itself, on its own dup of `fd`."""
        self._check(self._lib.vpnse_client_attach_tun_fd(self._live(), fd))

    def detach_tun_fd(self):
        self._check(self._lib.vpnse_client_detach_tun_fd(self._live()))

    def close(self):
        """Disconnects cleanly and frees the client; no callback runs once this returns."""
        if self._handle:
            handle, self._handle = self._handle, None
            self._lib.vpnse_client_free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
