// The Kotlin face of libvpnse for Android apps (VpnService) and JVM programs: one VpnseClient per
// tunnel, events through a VpnseListener, errors as VpnseException. A thin layer over vpnse.h through
// the JNI glue in jni/vpnse_kotlin.c; docs/c-api.md states the threading rules it inherits.
package org.vpnse

enum class VpnseState { DISCONNECTED, CONNECTING, AUTHENTICATING, CONFIGURING, ESTABLISHED, RECONNECTING }

enum class VpnseLogLevel { TRACE, DEBUG, INFO, WARN, ERROR }

/** A vpnse error: [code] is a vpnse.h VPNSE_E_* number, [errorName] its stable name ("auth_failed"). */
class VpnseException(val code: Int, message: String) : Exception(message) {
    val errorName: String get() = VpnseClient.errorName(code)
}

data class VpnseRoute(val destination: String, val prefixLength: Int, val gateway: String?)

data class VpnseNetwork(
    val address: String,
    val prefixLength: Int,
    val gateway: String?,
    val dns: List<String>,
    val domain: String,
    val mtu: Int,
    val leaseSeconds: Long,
    val routes: List<VpnseRoute>
)

data class VpnseStats(
    val bytesIn: Long,
    val bytesOut: Long,
    val packetsIn: Long,
    val packetsOut: Long,
    val dropped: Long,
    val connections: Int,
    val reconnects: Int,
    val uptimeSeconds: Long
)

/**
 * Events of one client. Every method runs on the client's own thread, one at a time: keep them short,
 * and hand UI work to the main thread. A method may call the client, close() included.
 */
interface VpnseListener {
    fun onStateChanged(state: VpnseState, error: VpnseException?) {}
    /** The tunnel's configuration: build the TUN from it (VpnService.Builder), then attachTunFd. */
    fun onNetworkReady(network: VpnseNetwork) {}
    fun onStats(stats: VpnseStats) {}
    /** Log lines at or above the client's level; they never carry passwords or keys. */
    fun onLog(level: VpnseLogLevel, component: String, message: String) {}
    /** Keep [socket] (a file descriptor) outside the tunnel: VpnService.protect(socket). False aborts it. */
    fun protect(socket: Int): Boolean = true
}

/**
 * One VPN tunnel from a profile in TOML (docs/configuration.md). Creating it does not connect; close()
 * disconnects cleanly and frees it, after which no listener method runs.
 */
class VpnseClient(
    profileToml: String,
    listener: VpnseListener,
    profileName: String = "profile",
    logLevel: VpnseLogLevel = VpnseLogLevel.INFO,
    hostName: String? = null,
    statsIntervalMs: Int = 0
) : java.io.Closeable {
    private val handles: LongArray =
        nativeCreate(profileToml, profileName, hostName, logLevel.ordinal, statsIntervalMs, Dispatcher(listener))
    @Volatile private var closed = false

    private val client: Long
        get() {
            check(!closed) { "VpnseClient is closed" }
            return handles[0]
        }

    /** Starts connecting; progress arrives through the listener. */
    fun connect() = check(nativeConnect(client))

    fun disconnect() = check(nativeDisconnect(client))

    /**
     * Hands the app's TUN over: the library moves the packets itself. The library keeps its own
     * duplicate, so the caller may close [fd] (ParcelFileDescriptor.close()) once this returns.
     */
    fun attachTunFd(fd: Int) = check(nativeAttachTunFd(client, fd))

    fun detachTunFd() = check(nativeDetachTunFd(client))

    /** Blocks until [state] (not from a listener method); throws the error the tunnel ended with. */
    fun awaitState(state: VpnseState, timeoutMs: Int) {
        val rc = nativeWaitState(client, state.ordinal, timeoutMs)
        if (rc != 0) throw VpnseException(rc, if (rc == TIMEOUT) "timed out" else nativeLastError(client))
    }

    val state: VpnseState get() = VpnseState.values()[nativeState(client)]

    fun stats(): VpnseStats = toStats(nativeStats(client))

    override fun close() {
        if (closed) return
        closed = true
        nativeFree(handles[0], handles[1])
    }

    private fun check(rc: Int) {
        if (rc != 0) throw VpnseException(rc, errorName(rc))
    }

    /** What the JNI glue calls, with plain values. */
    private class Dispatcher(private val listener: VpnseListener) {
        fun onState(state: Int, errorCode: Int, message: String) =
            listener.onStateChanged(
                VpnseState.values()[state],
                if (errorCode == 0) null else VpnseException(errorCode, message)
            )

        fun onNetwork(
            address: String, prefix: Int, gateway: String, dns: Array<String>, domain: String, mtu: Int,
            lease: Long, destinations: Array<String>, prefixes: IntArray, gateways: Array<String>
        ) = listener.onNetworkReady(
            VpnseNetwork(
                address, prefix, gateway.ifEmpty { null }, dns.toList(), domain, mtu, lease,
                destinations.indices.map { VpnseRoute(destinations[it], prefixes[it], gateways[it].ifEmpty { null }) }
            )
        )

        fun onStats(values: LongArray) = listener.onStats(toStats(values))

        fun onLog(level: Int, component: String, message: String) =
            listener.onLog(VpnseLogLevel.values()[level.coerceIn(0, 4)], component, message)

        fun protect(socket: Int): Boolean = listener.protect(socket)
    }

    companion object {
        private const val TIMEOUT = 1006

        init {
            System.loadLibrary("vpnse_kotlin")
        }

        val version: String get() = nativeVersion()

        fun errorName(code: Int): String = nativeErrorName(code)

        private fun toStats(v: LongArray) =
            VpnseStats(v[0], v[1], v[2], v[3], v[4], v[5].toInt(), v[6].toInt(), v[7])

        @JvmStatic private external fun nativeCreate(
            toml: String, name: String, hostName: String?, logLevel: Int, statsMs: Int, dispatcher: Any
        ): LongArray
        @JvmStatic private external fun nativeFree(client: Long, context: Long)
        @JvmStatic private external fun nativeConnect(client: Long): Int
        @JvmStatic private external fun nativeDisconnect(client: Long): Int
        @JvmStatic private external fun nativeWaitState(client: Long, state: Int, timeoutMs: Int): Int
        @JvmStatic private external fun nativeState(client: Long): Int
        @JvmStatic private external fun nativeLastError(client: Long): String
        @JvmStatic private external fun nativeStats(client: Long): LongArray
        @JvmStatic private external fun nativeAttachTunFd(client: Long, fd: Int): Int
        @JvmStatic private external fun nativeDetachTunFd(client: Long): Int
        @JvmStatic private external fun nativeErrorName(code: Int): String
        @JvmStatic private external fun nativeVersion(): String
    }
}
