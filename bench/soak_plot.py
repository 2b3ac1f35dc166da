#!/usr/bin/python3
"""Summary, pass rule and plot of a bench/soak run.

Usage: bench/soak_plot.py OUT_DIR [--png PATH]

Reads OUT_DIR/{params.txt,resources.csv,status.csv,reconnects.csv,iperf3-*.json}; writes
OUT_DIR/summary.txt, OUT_DIR/summary.json and OUT_DIR/soak.png (or --png). Exit status 0 = pass.

Pass rule (docs/reliability.md, "Soak"): with W = 30 min (half the run if it is shorter than an hour),
  * RSS: the largest sample of the last W <= the largest sample of the first W + 1024 KiB;
  * open fds and threads: the largest sample of the last W <= the largest sample of the first W;
  * vpnsed never died, every forced reconnect re-established (none "stuck" past 120 s);
  * every status poll answered (none failed, none took 5 s or more).
"""

import csv
import glob
import json
import os
import statistics
import sys


def read_params(path):
    params = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key:
                params[key] = value
    return params


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def iperf_bytes(path):
    """Bytes the iperf3 client sent in one run, also when the run ended in an error (sum of intervals)."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return 0, "unreadable"
    error = data.get("error", "")
    sent = data.get("end", {}).get("sum_sent", {}).get("bytes")
    if sent is None:
        sent = sum(i.get("sum", {}).get("bytes", 0) for i in data.get("intervals", []))
    return int(sent), error


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    out = args[0]
    png = os.path.join(out, "soak.png")
    if "--png" in args:
        png = args[args.index("--png") + 1]

    params = read_params(os.path.join(out, "params.txt"))
    start = int(params["start_ms"])
    end = int(params.get("end_ms", 0)) or None
    clk_tck = int(params.get("clk_tck", 100))
    res = read_csv(os.path.join(out, "resources.csv"))
    status = read_csv(os.path.join(out, "status.csv"))
    recon = read_csv(os.path.join(out, "reconnects.csv"))
    if end is None:  # a run still going (or killed): judge what is there
        end = max(int(r["t_ms"]) for r in res) if res else start

    length_s = (end - start) / 1000
    window_s = min(1800, length_s / 2)
    t_min = [(int(r["t_ms"]) - start) / 60000 for r in res]
    rss = [int(r["rss_kb"]) for r in res]
    fds = [int(r["fds"]) for r in res]
    threads = [int(r["threads"]) for r in res]
    first = [i for i, r in enumerate(res) if int(r["t_ms"]) - start <= window_s * 1000]
    last = [i for i, r in enumerate(res) if end - int(r["t_ms"]) <= window_s * 1000]

    def window_max(values, idx):
        return max(values[i] for i in idx) if idx else None

    checks = {}
    rss_first, rss_last = window_max(rss, first), window_max(rss, last)
    checks["rss"] = rss_first is not None and rss_last is not None and rss_last <= rss_first + 1024
    fds_first, fds_last = window_max(fds, first), window_max(fds, last)
    checks["fds"] = fds_first is not None and fds_last is not None and fds_last <= fds_first
    thr_first, thr_last = window_max(threads, first), window_max(threads, last)
    checks["threads"] = thr_first is not None and thr_last is not None and thr_last <= thr_first
    crashed = params.get("crashed", "0") != "0"
    checks["no_crash"] = not crashed and "end_ms" in params

    ok = [r for r in recon if r["result"] == "ok"]
    stuck = [r for r in recon if r["result"] == "stuck"]
    unfinished = [r for r in recon if r["result"] == "unfinished"]
    times = [int(r["reestablish_ms"]) for r in ok]
    checks["reconnects"] = not stuck and len(ok) >= 1

    answered = [s for s in status if s["rc"] == "0"]
    timed_out = [s for s in status if s["rc"] == "124"]
    failed = [s for s in status if s["rc"] not in ("0", "124")]
    latencies = sorted(int(s["latency_ms"]) for s in status)
    checks["status"] = not failed and not timed_out

    # longest stretch of polls not answering "established" (a reconnect in progress counts, so it is a bound
    # on the reconnect time seen from outside)
    longest, run_start = 0, None
    for s in status:
        t = int(s["t_ms"])
        if s["state"] != "established":
            run_start = t if run_start is None else run_start
            longest = max(longest, t - run_start)
        else:
            run_start = None

    sent, errors, runs = 0, [], 0
    for path in sorted(glob.glob(os.path.join(out, "iperf3-*.json"))):
        runs += 1
        b, err = iperf_bytes(path)
        sent += b
        if err:
            errors.append(err)

    cpu_s = (int(res[-1]["cpu_ticks"]) - int(res[0]["cpu_ticks"])) / clk_tck if len(res) > 1 else 0
    summary = {
        "length_s": round(length_s),
        "window_s": round(window_s),
        "samples": len(res),
        "rss_kb": {"first_window_max": rss_first, "last_window_max": rss_last, "min": min(rss, default=None),
                   "max": max(rss, default=None)},
        "fds": {"first_window_max": fds_first, "last_window_max": fds_last, "max": max(fds, default=None)},
        "threads": {"first_window_max": thr_first, "last_window_max": thr_last, "max": max(threads, default=None)},
        "vpnsed_cpu_s": round(cpu_s, 1),
        "reconnects": {"forced": len(recon), "reestablished": len(ok), "stuck": len(stuck),
                       "cut_by_end": len(unfinished),
                       "reestablish_ms": {"min": min(times, default=None),
                                          "median": statistics.median(times) if times else None,
                                          "max": max(times, default=None)}},
        "status_polls": {"total": len(status), "answered": len(answered), "failed": len(failed),
                         "no_answer_5s": len(timed_out),
                         "latency_ms": {"median": statistics.median(latencies) if latencies else None,
                                        "p99": latencies[int(len(latencies) * 0.99)] if latencies else None,
                                        "max": latencies[-1] if latencies else None},
                         "longest_not_established_ms": longest},
        "traffic": {"iperf3_runs": runs, "sent_bytes": sent,
                    "mean_mbit_s": round(sent * 8 / length_s / 1e6, 2) if length_s else 0,
                    "run_errors": sorted(set(errors))},
        "checks": checks,
        "pass": all(checks.values()),
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)

    lines = [
        f"soak {summary['length_s']} s, {len(res)} samples, windows of {summary['window_s']} s",
        f"RSS: max of the first window {rss_first} KiB, of the last {rss_last} KiB "
        f"(rule: last <= first + 1024) -> {'ok' if checks['rss'] else 'FAIL'}",
        f"fds: {fds_first} -> {fds_last} (rule: last <= first) -> {'ok' if checks['fds'] else 'FAIL'}",
        f"threads: {thr_first} -> {thr_last} -> {'ok' if checks['threads'] else 'FAIL'}",
        f"vpnsed: {'DIED' if crashed else 'alive'}, CPU {summary['vpnsed_cpu_s']} s over the run",
        f"forced reconnects: {len(recon)}, re-established {len(ok)}, stuck {len(stuck)}, cut by the end "
        f"{len(unfinished)}; re-establish ms min/median/max {summary['reconnects']['reestablish_ms']['min']}/"
        f"{summary['reconnects']['reestablish_ms']['median']}/{summary['reconnects']['reestablish_ms']['max']}",
        f"status polls: {len(status)}, answered {len(answered)}, failed {len(failed)}, no answer in 5 s "
        f"{len(timed_out)}; latency ms median/p99/max {summary['status_polls']['latency_ms']['median']}/"
        f"{summary['status_polls']['latency_ms']['p99']}/{summary['status_polls']['latency_ms']['max']}; "
        f"longest not established {longest} ms",
        f"traffic: {runs} iperf3 runs, {sent / 1e9:.2f} GB sent, mean {summary['traffic']['mean_mbit_s']} Mbit/s",
        f"PASS" if summary["pass"] else "FAIL: " + ", ".join(k for k, v in checks.items() if not v),
    ]
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (python3-matplotlib, scripts/deps): no plot", file=sys.stderr)
        return 0 if summary["pass"] else 1
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(9, 6.5))
    series = [(axes[0], [v / 1024 for v in rss], "RSS (MiB)"), (axes[1], fds, "open fds"),
              (axes[2], threads, "threads")]
    recon_min = [(int(r["t_ms"]) - start) / 60000 for r in recon]
    for ax, values, label in series:
        ax.plot(t_min, values, marker=".", linewidth=1)
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
        for x in recon_min:
            ax.axvline(x, color="grey", linestyle=":", linewidth=0.8)
        low, high = min(values, default=0), max(values, default=1)
        pad = max((high - low) * 0.2, 1 if label != "RSS (MiB)" else 0.5)
        ax.set_ylim(max(0, low - pad), high + pad)
    axes[0].axhline((rss_first + 1024) / 1024 if rss_first else 0, color="red", linestyle="--", linewidth=0.8,
                    label="pass limit (first-window max + 1 MiB)")
    axes[0].legend(loc="lower right", fontsize="small")
    axes[2].set_xlabel("minutes (dotted: forced reconnects)")
    fig.suptitle(f"vpnsed soak: {summary['length_s'] / 3600:.2f} h, {len(recon)} forced reconnects, "
                 f"{'pass' if summary['pass'] else 'FAIL'}")
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    print(f"plot: {png}")
    return 0 if summary["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
