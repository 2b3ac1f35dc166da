// The C API from Java through JNI (the Android path): connect, ping the gateway through the packet
// API, disconnect. Usage: java -Djava.library.path=DIR VpnseTest PROFILE.toml GATEWAY
import java.nio.file.Files;
import java.nio.file.Path;

public class VpnseTest {
    static native long configParse(String toml);
    static native long clientCreate(long config);
    static native int connect(long client);
    static native int disconnect(long client);
    static native int waitState(long client, int state, int ms);
    static native String address(long client);
    static native int sendPacket(long client, byte[] packet);
    static native byte[] recvPacket(long client, int ms);
    static native void free(long client);

    static int checksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2)
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    static byte[] echo(byte[] source, byte[] target, int sequence) {
        byte[] p = new byte[84];
        p[0] = 0x45; p[3] = 84; p[8] = 64; p[9] = 1;
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(target, 0, p, 16, 4);
        int ip = checksum(p, 0, 20);
        p[10] = (byte) (ip >> 8); p[11] = (byte) ip;
        p[20] = 8; p[24] = 0x4a; p[25] = 0x41; p[27] = (byte) sequence;
        int icmp = checksum(p, 20, 64);
        p[22] = (byte) (icmp >> 8); p[23] = (byte) icmp;
        return p;
    }

    static byte[] ip(String text) {
        String[] parts = text.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) out[i] = (byte) Integer.parseInt(parts[i]);
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    public static void main(String[] args) throws Exception {
        System.loadLibrary("vpnse_jni");
        long config = configParse(Files.readString(Path.of(args[0])));
        check(config != 0, "profile parses");
        long client = clientCreate(config);
        check(client != 0, "client created");
        check(connect(client) == 0, "connect");
        check(waitState(client, 4, 30000) == 0, "established");
        String address = address(client);
        System.out.println("tunnel " + address);
        boolean answered = false;
        for (int sequence = 1; sequence <= 10 && !answered; sequence++) {
            check(sendPacket(client, echo(ip(address), ip(args[1]), sequence)) == 0, "send");
            byte[] reply;
            while ((reply = recvPacket(client, 1000)) != null) {
                if (reply.length >= 28 && reply[9] == 1 && reply[20] == 0 && reply[24] == 0x4a && reply[25] == 0x41) {
                    answered = true;
                    break;
                }
            }
        }
        check(answered, "echo reply through the packet API");
        check(disconnect(client) == 0, "disconnect");
        check(waitState(client, 0, 10000) == 0, "disconnected");
        free(client);
        System.out.println("PASS ffi_java");
    }
}
