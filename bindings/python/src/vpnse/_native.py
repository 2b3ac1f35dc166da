"""vpnse.h for ctypes: the structs, callback types and function signatures the Client uses."""
import ctypes
import ctypes.util
import os

ADDRESS = ctypes.c_char * 64


class Network(ctypes.Structure):
    _fields_ = [("address", ADDRESS), ("prefix_length", ctypes.c_uint32), ("gateway", ADDRESS),
                ("dns", ADDRESS * 4), ("dns_count", ctypes.c_uint32), ("domain", ctypes.c_char * 256),
                ("mtu", ctypes.c_uint32), ("route_count", ctypes.c_uint32), ("lease_seconds", ctypes.c_uint32)]


class Route(ctypes.Structure):
    _fields_ = [("destination", ADDRESS), ("prefix_length", ctypes.c_uint32), ("gateway", ADDRESS)]


class Stats(ctypes.Structure):
    _fields_ = [("bytes_in", ctypes.c_uint64), ("bytes_out", ctypes.c_uint64), ("packets_in", ctypes.c_uint64),
                ("packets_out", ctypes.c_uint64), ("dropped", ctypes.c_uint64), ("connections", ctypes.c_uint32),
                ("reconnects", ctypes.c_uint32), ("uptime_seconds", ctypes.c_uint64)]


STATE_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_char_p)
PACKET_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t)
LOG_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p)
PROTECT_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_ssize_t)
NETWORK_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Network), ctypes.POINTER(Route), ctypes.c_size_t)
STATS_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Stats))


class Callbacks(ctypes.Structure):
    _fields_ = [("on_state", STATE_CB), ("on_packet", PACKET_CB), ("on_log", LOG_CB), ("log_level", ctypes.c_int),
                ("user", ctypes.c_void_p)]


_P = ctypes.c_void_p
_SIGNATURES = {
    "vpnse_version": (ctypes.c_char_p, []),
    "vpnse_error_name": (ctypes.c_char_p, [ctypes.c_int]),
    "vpnse_config_parse": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_P), ctypes.c_char_p,
                                          ctypes.c_size_t]),
    "vpnse_config_set_host_name": (ctypes.c_int, [_P, ctypes.c_char_p]),
    "vpnse_config_check": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    "vpnse_config_set_client_certificate": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                                           ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]),
    "vpnse_config_free": (None, [_P]),
    "vpnse_client_create": (ctypes.c_int, [_P, ctypes.POINTER(Callbacks), ctypes.POINTER(_P)]),
    "vpnse_client_free": (None, [_P]),
    "vpnse_client_connect": (ctypes.c_int, [_P]),
    "vpnse_client_disconnect": (ctypes.c_int, [_P]),
    "vpnse_client_wait_state": (ctypes.c_int, [_P, ctypes.c_int, ctypes.c_int]),
    "vpnse_client_state": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_int)]),
    "vpnse_client_last_error": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    "vpnse_client_stats": (ctypes.c_int, [_P, ctypes.POINTER(Stats)]),
    "vpnse_client_network": (ctypes.c_int, [_P, ctypes.POINTER(Network)]),
    "vpnse_client_send_packet": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    "vpnse_client_recv_packet": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t, ctypes.c_int,
                                                ctypes.POINTER(ctypes.c_size_t)]),
    "vpnse_client_set_protect_callback": (ctypes.c_int, [_P, PROTECT_CB, _P]),
    "vpnse_client_set_network_callback": (ctypes.c_int, [_P, NETWORK_CB, _P]),
    "vpnse_client_set_stats_callback": (ctypes.c_int, [_P, STATS_CB, ctypes.c_uint32, _P]),
    "vpnse_client_attach_tun_fd": (ctypes.c_int, [_P, ctypes.c_int]),
    "vpnse_client_detach_tun_fd": (ctypes.c_int, [_P]),
}


def load(path=None):
    """libvpnse from `path`, $VPNSE_LIBRARY, or the system's libvpnse.so.1."""
    path = path or os.environ.get("VPNSE_LIBRARY") or ctypes.util.find_library("vpnse") or "libvpnse.so.1"
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib
