// The Android-shaped end-to-end test: a TUN fd opened the way VpnService hands one over, given to the
// library (attachTunFd), the protect hook recording every socket, and real traffic through the TUN:
// ping to SecureNAT's gateway and an iperf3 TCP transfer to the server side's bridge host. Runs inside
// the fixture's client namespace (bindings/kotlin/test.sh), as root.
// Usage: VpnseClientTest PROFILE GATEWAY IPERF_HOST IPERF_PORT PASSWORD
package org.vpnse.test

import java.io.File
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import org.vpnse.VpnseClient
import org.vpnse.VpnseException
import org.vpnse.VpnseListener
import org.vpnse.VpnseLogLevel
import org.vpnse.VpnseNetwork
import org.vpnse.VpnseState
import org.vpnse.VpnseStats

object TestTun {
    init {
        System.loadLibrary("vpnse_kotlin_test")
    }

    @JvmStatic external fun open(name: String): Int
    @JvmStatic external fun close(fd: Int)
}

fun run(vararg command: String) {
    val code = ProcessBuilder(*command).inheritIO().start().waitFor()
    check(code == 0) { "${command.joinToString(" ")} exited $code" }
}

class Recorder(private val password: String, private val refuse: Boolean = false) : VpnseListener {
    val protectedSockets: MutableList<Int> = Collections.synchronizedList(mutableListOf<Int>())
    val networkReady = CountDownLatch(1)
    @Volatile var network: VpnseNetwork? = null
    val statsReports = AtomicInteger()
    val leaks = AtomicInteger()

    override fun protect(socket: Int): Boolean {
        protectedSockets.add(socket)
        return !refuse
    }

    override fun onNetworkReady(network: VpnseNetwork) {
        this.network = network
        networkReady.countDown()
    }

    override fun onStats(stats: VpnseStats) {
        statsReports.incrementAndGet()
    }

    override fun onLog(level: VpnseLogLevel, component: String, message: String) {
        if (message.contains(password)) leaks.incrementAndGet()
    }
}

fun tunnelTraffic(profile: String, gateway: String, iperfHost: String, iperfPort: String, password: String) {
    val tunName = "vsekt0"
    val fd = TestTun.open(tunName)
    check(fd >= 0) { "cannot open a TUN (needs root and /dev/net/tun)" }
    val recorder = Recorder(password)
    VpnseClient(profile, recorder, "kotlin", VpnseLogLevel.DEBUG, "kotlin-test", 200).use { client ->
        client.attachTunFd(fd)
        TestTun.close(fd) // the library keeps its own duplicate, as with ParcelFileDescriptor.close()
        client.connect()
        check(recorder.networkReady.await(30, TimeUnit.SECONDS)) { "no network configuration" }
        client.awaitState(VpnseState.ESTABLISHED, 30000)
        val network = recorder.network!!
        println("kotlin: tunnel ${network.address}/${network.prefixLength} gateway ${network.gateway} mtu ${network.mtu}")
        run("ip", "addr", "add", "${network.address}/${network.prefixLength}", "dev", tunName)
        run("ip", "link", "set", tunName, "mtu", (if (network.mtu > 0) network.mtu else 1400).toString(), "up")
        run("ping", "-c", "3", "-W", "3", "-I", tunName, gateway)
        run("iperf3", "-c", iperfHost, "-p", iperfPort, "-t", "2", "-B", network.address, "--connect-timeout", "5000")
        val stats = client.stats()
        println("kotlin: $stats, protect called for ${recorder.protectedSockets}")
        check(stats.bytesOut > 1_000_000 || stats.bytesIn > 1_000_000) { "iperf3 moved too little: $stats" }
        // The profile asks for two connections; each one the session opened went through protect(), and so
        // did the UDP acceleration socket (session.udp_acceleration is on by default).
        check(stats.connections == 2 && stats.reconnects == 0 && recorder.protectedSockets.size == 3) {
            "protect called ${recorder.protectedSockets.size} times for ${stats.connections} connections and UDP"
        }
        check(recorder.protectedSockets.toSet().size == recorder.protectedSockets.size) { "a socket protected twice" }
        check(recorder.statsReports.get() > 0) { "no statistics reports" }
        check(recorder.leaks.get() == 0) { "the password appeared in a log line" }
        client.disconnect()
        client.awaitState(VpnseState.DISCONNECTED, 10000)
    }
}

fun refusedProtection(profile: String, password: String) {
    val recorder = Recorder(password, refuse = true)
    VpnseClient(profile, recorder, "kotlin").use { client ->
        client.connect()
        try {
            client.awaitState(VpnseState.ESTABLISHED, 20000)
            error("connected although protect() refused the socket")
        } catch (e: VpnseException) {
            check(e.errorName == "permission_denied") { "expected permission_denied, got ${e.errorName}: ${e.message}" }
            println("kotlin: refused protection ends in ${e.errorName}: ${e.message}")
        }
        check(recorder.protectedSockets.isNotEmpty()) { "protect was never called" }
    }
}

fun main(args: Array<String>) {
    val (profilePath, gateway, iperfHost, iperfPort) = args
    val password = args[4]
    val profile = File(profilePath).readText()
    println("kotlin: libvpnse ${VpnseClient.version}")
    tunnelTraffic(profile, gateway, iperfHost, iperfPort, password)
    refusedProtection(profile, password)
    println("PASS kotlin")
}
