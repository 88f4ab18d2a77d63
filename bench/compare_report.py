#!/usr/bin/env python3
"""Markdown report of one bench/compare.sh run: per algorithm and measure, each side's median, the ratio
after/before, the ratios of the runs paired by round, and every raw value.
usage: bench/compare_report.py bench/results/compare-STAMP > report.md   (reads machine.txt and raw.tsv there)"""
import csv
import re
import statistics
import sys
from pathlib import Path

# (kind of run, field of its RESULT line, label, decimals)
MEASURES = [
    ("tokens", "ok_rps", "tokens/s", 0),
    ("tokens", "server_cpu_ms_per_ok", "server CPU ms per token", 3),
    ("tokens", "p50_ms", "p50 ms", 2),
    ("tokens", "p99_ms", "p99 ms", 2),
    ("registrations", "ok_rps", "registrations/s", 0),
    ("registrations", "server_cpu_ms_per_ok", "server CPU ms per registration", 3),
    ("rss", "peak_rss_mib", "peak RSS MiB (server)", 0),
]
SIDES = ("before", "after")


def fmt(v, d):
    return "-" if v is None else f"{v:.{d}f}"


def main(out):
    machine = dict(l.split(": ", 1) for l in (out / "machine.txt").read_text().splitlines() if ": " in l)
    rows = list(csv.DictReader((out / "raw.tsv").open(), delimiter="\t"))
    for r in rows:
        r["kv"] = dict(re.findall(r"(\w+)=(\S+)", r["result"])) if not r["result"].startswith("FAILED") else {}
    algs = list(dict.fromkeys(r["alg"] for r in rows))
    rounds = sorted({int(r["round"]) for r in rows})

    problems, flagged = [], set()
    for r in rows:
        kv, where = r["kv"], f"round {r['round']} {r['alg']} {r['side']} {r['kind']}"
        if r["result"].startswith("FAILED"):
            problems.append(f"{where}: {r['result']}")
        elif r["kind"] != "rss":
            bad = [f"{k}={kv.get(k)}" for k in ("non_ok_status", "ok_status_without_marker") if kv.get(k, "0") != "0"]
            if kv.get("sock_err", "0/0/0/0") != "0/0/0/0":
                bad.append(f"sock_err={kv['sock_err']} (connect/read/write/timeout)")
            if bad:
                flagged.add((r["alg"], r["kind"], r["side"], int(r["round"])))
                problems.append(f"{where}: {' '.join(bad)} statuses={kv.get('statuses', '-')}")
    p = print
    title = {s: machine.get(s, "?").split(" = ")[0] for s in SIDES}
    if machine.get("kind") == "exchange":
        title = {"before": "client credentials", "after": f"token exchange (RFC 8693) (both {machine.get('after', '?').split(' = ')[0]})"}
    elif machine.get("kind") == "form":
        title = {s: machine.get(s + " token request", "?").split("...", 1)[-1].lstrip("&") or "as is" for s in SIDES}
        title["after"] += f" (both {machine.get('after', '?').split(' = ')[0]})"
    p(f"# Clavis side by side: before {title['before']}, after {title['after']}")
    p()
    for k in ("date", "cpu", "memory", "java", "wrk", "loadavg at start", "kind", "before", "before token request",
              "after", "after token request", "command"):
        if k in machine:
            p(f"- {k}: `{machine[k]}`" if k == "command" else f"- {k}: {machine[k]}")
    p()
    p("Both sides ran in the same run on the same shared machine, alternating which went first each round. "
      "Read a ratio against the spread of its paired ratios (one per round): a change smaller than that spread is noise. "
      "A raw value marked * came from a run with errors (see Problems); it is still counted.")
    for alg in algs:
        p()
        p(f"## {alg}")
        p()
        p("| measure | before, median | after, median | after/before | paired ratios by round | before, each round | after, each round |")
        p("|---|---|---|---|---|---|---|")
        for kind, field, label, d in MEASURES:
            val = {}
            for side in SIDES:
                for r in rows:
                    if r["alg"] == alg and r["kind"] == kind and r["side"] == side and field in r["kv"]:
                        val.setdefault(side, {})[int(r["round"])] = float(r["kv"][field])
            if not val:
                continue
            med = {s: statistics.median(val[s].values()) if val.get(s) else None for s in SIDES}
            ratio = med["after"] / med["before"] if med["before"] and med["after"] is not None else None
            paired = [val["after"][n] / val["before"][n] for n in rounds
                      if n in val.get("before", {}) and n in val.get("after", {}) and val["before"][n]]
            raw = {s: ", ".join(fmt(val.get(s, {}).get(n), d) + ("*" if (alg, kind, s, n) in flagged else "")
                                for n in rounds) for s in SIDES}
            p(f"| {label} | {fmt(med['before'], d)} | {fmt(med['after'], d)} | {fmt(ratio, 3)} | "
              f"{', '.join(fmt(x, 3) for x in paired) or '-'} | {raw['before']} | {raw['after']} |")

    p()
    p("## Problems")
    p()
    p("\n".join(f"- {x}" for x in problems) if problems else "None: every measured response was the expected status with a token (or client_id).")
    p()
    p("## Runs in order")
    p()
    p("| round | algorithm | side | load | loadavg (1 min) at its end | machine busy % | result |")
    p("|---|---|---|---|---|---|---|")
    for r in rows:
        res = "FAILED" if r["result"].startswith("FAILED") else " ".join(
            f"{k}={v}" for k, v in r["kv"].items() if k in ("ok_rps", "p50_ms", "p99_ms", "server_cpu_ms_per_ok", "peak_rss_mib"))
        p(f"| {r['round']} | {r['alg']} | {r['side']} | {r['kind']} | {r['loadavg']} | {r['kv'].get('machine_busy_pct', '-')} | {res} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
