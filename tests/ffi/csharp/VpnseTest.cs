// The C API from C# through P/Invoke (mono): connect, ping the gateway through the packet API,
// disconnect. Usage: mono VpnseTest.exe PROFILE.toml GATEWAY (libvpnse.so on LD_LIBRARY_PATH)
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

static class Native {
    const string Lib = "libvpnse.so";
    [DllImport(Lib)] public static extern int vpnse_config_parse(byte[] toml, byte[] name, out IntPtr config, StringBuilder error, UIntPtr size);
    [DllImport(Lib)] public static extern void vpnse_config_free(IntPtr config);
    [DllImport(Lib)] public static extern int vpnse_client_create(IntPtr config, IntPtr callbacks, out IntPtr client);
    [DllImport(Lib)] public static extern int vpnse_client_connect(IntPtr client);
    [DllImport(Lib)] public static extern int vpnse_client_disconnect(IntPtr client);
    [DllImport(Lib)] public static extern int vpnse_client_wait_state(IntPtr client, int state, int ms);
    [DllImport(Lib)] public static extern int vpnse_client_network(IntPtr client, byte[] network);
    [DllImport(Lib)] public static extern int vpnse_client_send_packet(IntPtr client, byte[] packet, UIntPtr size);
    [DllImport(Lib)] public static extern int vpnse_client_recv_packet(IntPtr client, byte[] buffer, UIntPtr capacity, int ms, out UIntPtr size);
    [DllImport(Lib)] public static extern void vpnse_client_free(IntPtr client);
}

static class VpnseTest {
    static int Checksum(byte[] d, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) sum += (d[offset + i] << 8) | d[offset + i + 1];
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int)(~sum & 0xffff);
    }

    static void Check(bool ok, string what) { if (!ok) throw new Exception("FAIL: " + what); }

    static int Main(string[] args) {
        var error = new StringBuilder(512);
        IntPtr config;
        var toml = Encoding.UTF8.GetBytes(File.ReadAllText(args[0]) + "\0");
        Check(Native.vpnse_config_parse(toml, Encoding.UTF8.GetBytes("cs\0"), out config, error, (UIntPtr)512) == 0, error.ToString());
        IntPtr client;
        Check(Native.vpnse_client_create(config, IntPtr.Zero, out client) == 0, "create");
        Native.vpnse_config_free(config);
        Check(Native.vpnse_client_connect(client) == 0, "connect");
        Check(Native.vpnse_client_wait_state(client, 4, 30000) == 0, "established");
        var network = new byte[1024];
        Check(Native.vpnse_client_network(client, network) == 0, "network");
        var address = Encoding.ASCII.GetString(network, 0, Array.IndexOf(network, (byte)0));
        Console.WriteLine("tunnel " + address);
        var source = Array.ConvertAll(address.Split('.'), byte.Parse);
        var target = Array.ConvertAll(args[1].Split('.'), byte.Parse);
        bool answered = false;
        var reply = new byte[2048];
        for (int sequence = 1; sequence <= 10 && !answered; sequence++) {
            var p = new byte[84];
            p[0] = 0x45; p[3] = 84; p[8] = 64; p[9] = 1;
            Array.Copy(source, 0, p, 12, 4);
            Array.Copy(target, 0, p, 16, 4);
            int ip = Checksum(p, 0, 20); p[10] = (byte)(ip >> 8); p[11] = (byte)ip;
            p[20] = 8; p[24] = 0x43; p[25] = 0x53; p[27] = (byte)sequence;
            int icmp = Checksum(p, 20, 64); p[22] = (byte)(icmp >> 8); p[23] = (byte)icmp;
            Check(Native.vpnse_client_send_packet(client, p, (UIntPtr)p.Length) == 0, "send");
            UIntPtr size;
            while (Native.vpnse_client_recv_packet(client, reply, (UIntPtr)reply.Length, 1000, out size) == 0) {
                if ((int)size >= 28 && reply[9] == 1 && reply[20] == 0 && reply[24] == 0x43 && reply[25] == 0x53) {
                    answered = true;
                    break;
                }
            }
        }
        Check(answered, "echo reply through the packet API");
        Check(Native.vpnse_client_disconnect(client) == 0, "disconnect");
        Check(Native.vpnse_client_wait_state(client, 0, 10000) == 0, "disconnected");
        Native.vpnse_client_free(client);
        Console.WriteLine("PASS ffi_csharp");
        return 0;
    }
}
