"""vpnse for Python against a real SoftEther server (bindings/python/test.sh runs it in the fixture's client
namespace with VPNSE_LIBRARY, VPNSE_PROFILE, VPNSE_GATEWAY and VPNSE_PASSWORD set; skipped without them)."""
import os
import re
import struct
import threading
import unittest

import vpnse

ENV = os.environ
READY = all(k in ENV for k in ("VPNSE_LIBRARY", "VPNSE_PROFILE", "VPNSE_GATEWAY", "VPNSE_PASSWORD"))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo_request(source, target, sequence):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x5059, sequence) + bytes(32)
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0, source, target)
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + icmp


def address(text):
    return bytes(int(x) for x in text.split("."))


@unittest.skipUnless(READY, "needs VPNSE_LIBRARY, VPNSE_PROFILE, VPNSE_GATEWAY, VPNSE_PASSWORD (test.sh)")
class ClientTest(unittest.TestCase):
    def profile(self):
        with open(ENV["VPNSE_PROFILE"]) as f:
            return f.read()

    def test_connects_reports_and_pings(self):
        states, logs, networks, stats, sockets = [], [], [], [], []
        ready = threading.Event()

        def on_network(network):
            networks.append(network)
            ready.set()

        with vpnse.Client(self.profile(), "py", library=ENV["VPNSE_LIBRARY"], log_level="debug",
                          on_state=lambda s, e: states.append(s), on_log=lambda *line: logs.append(line),
                          on_network=on_network, on_stats=stats.append, stats_interval_ms=200,
                          protect=lambda fd: sockets.append(fd) is None) as client:
            client.connect()
            client.wait_state("established", 30)
            self.assertTrue(ready.wait(5))
            network = networks[-1]
            self.assertEqual(network.gateway, ENV["VPNSE_GATEWAY"])
            self.assertEqual(client.network.address, network.address)
            replies = 0
            for sequence in range(1, 11):
                client.send_packet(echo_request(address(network.address), address(network.gateway), sequence))
                reply = client.recv_packet(1.0)
                while reply is not None and not (len(reply) >= 28 and reply[9] == 1 and reply[20] == 0):
                    reply = client.recv_packet(1.0)
                replies += reply is not None
                if replies >= 3:
                    break
            self.assertGreaterEqual(replies, 3)
            current = client.stats()
            self.assertGreaterEqual(len(sockets), current.connections)
            for _ in range(20):  # the first report comes 200 ms after the hook was set
                if stats:
                    break
                threading.Event().wait(0.1)
            self.assertGreater(len(stats), 0)
            self.assertIsInstance(stats[-1], vpnse.Stats)
            client.disconnect()
            client.wait_state("disconnected", 10)
        self.assertEqual(states[:4], ["connecting", "authenticating", "configuring", "established"])
        self.assertTrue(logs)
        self.assertFalse([line for line in logs if ENV["VPNSE_PASSWORD"] in line[2]])

    def test_wrong_password_is_auth_failed(self):
        wrong = re.sub(r'(?m)^password = .*$', 'password = "not-the-password"', self.profile())
        with vpnse.Client(wrong, library=ENV["VPNSE_LIBRARY"]) as client:
            client.connect()
            with self.assertRaises(vpnse.AuthFailedError) as caught:
                client.wait_state("established", 20)
            self.assertEqual(caught.exception.name, "auth_failed")

    def test_refused_protect_is_permission_denied(self):
        with vpnse.Client(self.profile(), library=ENV["VPNSE_LIBRARY"], protect=lambda fd: False) as client:
            client.connect()
            with self.assertRaises(vpnse.PermissionDeniedError):
                client.wait_state("established", 20)

    def test_bad_profile_names_the_key(self):
        with self.assertRaises(vpnse.ConfigInvalidError) as caught:
            vpnse.Client("[server]\nhost = 1\n", library=ENV["VPNSE_LIBRARY"])
        self.assertIn("server.host", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
