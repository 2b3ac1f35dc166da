#!/usr/bin/env python3
"""Helpers for bench/run (stdlib only).

  report.py iperf JSON CLIENT ROUND TEST CPU_TICKS CLK_TCK WALL_MS   -> JSON-lines records on stdout
  report.py ping CLIENT ROUND METRIC < ping output                   -> one record (median RTT, ms)
  report.py report RECORDS.jsonl OUT.json [--meta k=v ...]           -> prints the table, writes OUT.json
"""
import json
import statistics
import sys


def rec(client, rnd, metric, value):
    print(json.dumps({"client": client, "round": int(rnd), "metric": metric, "value": value}))


def cmd_iperf(path, client, rnd, test, ticks, clk_tck, wall_ms):
    with open(path) as f:
        data = json.load(f)
    if "error" in data and "end" not in data:
        raise SystemExit("iperf3: " + data["error"])
    end = data["end"]
    cpu_s = int(ticks) / int(clk_tck)
    if test.startswith("udp") or "sum" in end and "sum_received" not in end:
        s = end["sum"]
        secs = s.get("seconds") or 1
        delivered = s.get("packets", 0) - s.get("lost_packets", 0)
        rec(client, rnd, test + "_kpps", round(delivered / secs / 1000, 2))
        rec(client, rnd, test + "_loss_pct", round(s.get("lost_percent", 0.0), 2))
        rec(client, rnd, test + "_sent_kpps", round(s.get("packets", 0) / secs / 1000, 2))
        return
    recv = end["sum_received"]
    secs = recv.get("seconds") or 1
    nbytes = recv["bytes"]
    rec(client, rnd, test + "_mbps", round(nbytes * 8 / secs / 1e6, 1))
    if nbytes > 0:
        rec(client, rnd, test + "_cpu_s_per_gb", round(cpu_s / (nbytes / 1e9), 3))
    # raw numbers, for the overall CPU-per-GB figure
    rec(client, rnd, test + "_bytes", nbytes)
    rec(client, rnd, test + "_cpu_s", round(cpu_s, 3))
    retr = end.get("sum_sent", {}).get("retransmits")
    if retr is not None:
        rec(client, rnd, test + "_retransmits", retr)


def cmd_ping(client, rnd, metric):
    rtts = []
    for line in sys.stdin:
        if "time=" in line:
            try:
                rtts.append(float(line.split("time=")[1].split()[0]))
            except (ValueError, IndexError):
                pass
    if rtts:
        rec(client, rnd, metric, round(statistics.median(rtts), 3))
        rtts.sort()
        rec(client, rnd, metric.replace("_ms", "_p90_ms"), round(rtts[int(0.9 * (len(rtts) - 1))], 3))


# Figures in the comparison table: metric, label, unit, True if higher is better.
COMPARE = [
    ("tcp_up_1_mbps", "TCP upload, 1 stream", "Mbit/s", True),
    ("tcp_down_1_mbps", "TCP download, 1 stream", "Mbit/s", True),
    ("tcp_up_4_mbps", "TCP upload, 4 streams", "Mbit/s", True),
    ("tcp_down_4_mbps", "TCP download, 4 streams", "Mbit/s", True),
    ("udp_64_kpps", "UDP 64 B upload, delivered", "kpps", True),
    ("udp_64_loss_pct", "UDP 64 B upload, loss", "%", False),
    ("ping_idle_ms", "ping, idle (median)", "ms", False),
    ("ping_load_ms", "ping, under 1-stream upload (median)", "ms", False),
    ("ping_load_p90_ms", "ping, under load (p90)", "ms", False),
    ("connect_ms", "connect: command -> first ping reply", "ms", False),
    ("cpu_s_per_gb", "client CPU per GB, all TCP tests", "CPU-s/GB", False),
    ("tcp_up_1_cpu_s_per_gb", "client CPU per GB, TCP up 1", "CPU-s/GB", False),
    ("tcp_down_1_cpu_s_per_gb", "client CPU per GB, TCP down 1", "CPU-s/GB", False),
    ("tcp_up_4_cpu_s_per_gb", "client CPU per GB, TCP up 4", "CPU-s/GB", False),
    ("tcp_down_4_cpu_s_per_gb", "client CPU per GB, TCP down 4", "CPU-s/GB", False),
    ("rss_idle_mb", "client RSS, connected idle", "MB", False),
    ("rss_load_mb", "client RSS, under load (max)", "MB", False),
    ("udp_still_active", "--path udp: UDP still active after the round (1 = yes)", "", True),
]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.2f" % v


def cmd_report(records_path, out_path, meta_args):
    meta = {}
    for a in meta_args:
        k, _, v = a.partition("=")
        meta[k] = v
    rows = []
    with open(records_path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    # per client, per round, per metric (rss_load_mb: max over the round's tests)
    per = {}
    for r in rows:
        d = per.setdefault(r["client"], {}).setdefault(r["round"], {})
        m, v = r["metric"], r["value"]
        if m == "rss_load_mb" and m in d:
            d[m] = max(d[m], v)
        else:
            d[m] = v
    # overall CPU per GB per round
    for client, rounds in per.items():
        for d in rounds.values():
            b = sum(d.get(t + "_bytes", 0) for t in ("tcp_up_1", "tcp_down_1", "tcp_up_4", "tcp_down_4"))
            c = sum(d.get(t + "_cpu_s", 0) for t in ("tcp_up_1", "tcp_down_1", "tcp_up_4", "tcp_down_4"))
            if b > 0:
                d["cpu_s_per_gb"] = round(c / (b / 1e9), 3)

    def values(client, metric):
        return [d[metric] for rnd, d in sorted(per.get(client, {}).items()) if metric in d and rnd > 0]

    result = {"meta": meta, "compare": {}, "scale": {}, "rounds": per}
    print()
    print("vpnse vs official SoftEther vpnclient, same server, alternating rounds; medians (n = rounds);"
          " data over %s" % ("UDP acceleration" if meta.get("path") == "udp" else "TLS/TCP"))
    hdr = "| %-40s | %-8s | %14s | %14s | %13s |" % ("figure", "unit", "vpnse", "official", "vpnse/official")
    print(hdr)
    print("|" + "|".join("-" * (len(c)) for c in hdr.split("|")[1:-1]) + "|")
    for metric, label, unit, higher in COMPARE:
        a, b = values("vpnse", metric), values("official", metric)
        if not a and not b:
            continue
        ma = statistics.median(a) if a else None
        mb = statistics.median(b) if b else None
        ratio = (ma / mb) if (ma is not None and mb) else None
        result["compare"][metric] = {
            "label": label, "unit": unit, "higher_is_better": higher,
            "vpnse": {"median": ma, "runs": a}, "official": {"median": mb, "runs": b},
            "ratio": None if ratio is None else round(ratio, 3),
        }
        print("| %-40s | %-8s | %14s | %14s | %13s |" % (
            label, unit, fmt(ma), fmt(mb), "-" if ratio is None else "%.2fx" % ratio))
    scale = {n: d for n, d in per.get("vpnse", {}).items() if any(k.startswith("scale_") for k in d) and n > 0}
    base = per.get("vpnse", {}).get(0, {}).get("scale_base_rss_mb")
    if scale:
        print()
        print("scaling: one vpnsed, N tunnels (daemon RSS with no tunnel: %s MB); idle CPU = %% of one core"
              " over 10 s; load = TCP download through tunnel 1" % fmt(base))
        hdr = "| %3s | %5s | %14s | %8s | %13s | %10s | %11s | %13s | %11s |" % (
            "N", "up", "connect all ms", "RSS MB", "RSS/tunnel KB", "idle CPU %", "load Mbit/s",
            "load CPU-s/GB", "RSS load MB")
        print(hdr)
        print("|" + "|".join("-" * (len(c)) for c in hdr.split("|")[1:-1]) + "|")
        for n, d in sorted(scale.items()):
            result["scale"][n] = d
            print("| %3d | %5s | %14s | %8s | %13s | %10s | %11s | %13s | %11s |" % (
                n, d.get("scale_established", "-"), fmt(d.get("scale_connect_all_ms")),
                fmt(d.get("scale_rss_mb")), fmt(d.get("scale_rss_per_tunnel_kb")),
                fmt(d.get("scale_idle_cpu_pct")), fmt(d.get("scale_tcp_down_1_mbps")),
                fmt(d.get("scale_tcp_down_1_cpu_s_per_gb")), fmt(d.get("scale_rss_load_mb"))))
        result["scale_base_rss_mb"] = base
    print()
    print("meta: " + ", ".join("%s=%s" % kv for kv in meta.items()))
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    cmd = sys.argv[1]
    if cmd == "iperf":
        cmd_iperf(*sys.argv[2:9])
    elif cmd == "ping":
        cmd_ping(*sys.argv[2:5])
    elif cmd == "report":
        rest = sys.argv[4:]
        if rest and rest[0] == "--meta":
            rest = rest[1:]
        cmd_report(sys.argv[2], sys.argv[3], rest)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
