#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""host-load.py: is the host quiet enough for a VM run's timings to mean
anything?  Under QEMU TCG a guest's vCPUs are host threads: when anything
else runs on the host (a kernel build, another VM), every latency the guest
measures is inflated (one 7.3 boot-model run overlapping a build measured
a 16.4 ms register p50 against 26-28 us idle).

  host-load.py begin STATE          snapshot before the run
  host-load.py end STATE QEMU_CPU_S  after it; prints one verdict line

A run is "loaded" when, during it, processes other than QEMU used more than
FOREIGN_MAX of the host's CPU capacity, the hypervisor stole more than
STEAL_MAX, or a fixed busy loop on every host CPU, timed before and after
the run, took more than CALIB_MAX times the fastest this machine ever ran
it (kept in the cache).  The verdict line is
  host_load=idle|loaded foreign_cpu=P% steal=P% calib=Rx[ reason=...]
"""
import json
import multiprocessing
import os
import sys
import time

FOREIGN_MAX, STEAL_MAX, CALIB_MAX = 0.15, 0.05, 1.5
CACHE = os.environ.get("IBS_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "iobus-stress")
BEST = os.path.join(CACHE, "host-calib-best")


def burn(_):
    x = 0
    for i in range(200000):
        x += i * i
    return x


def calibrate():
    n = os.cpu_count() or 1
    t0 = time.monotonic()
    with multiprocessing.Pool(n) as p:
        p.map(burn, range(n))
    return time.monotonic() - t0


def cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = v[3] + v[4]
    steal = v[7] if len(v) > 7 else 0
    return sum(v[:8]) / hz, idle / hz, steal / hz


def main():
    cmd, state = sys.argv[1], sys.argv[2]
    if cmd == "begin":
        tot, idle, steal = cpu_times()
        snap = {"t": time.monotonic(), "tot": tot, "idle": idle,
                "steal": steal, "calib": calibrate()}
        with open(state, "w") as f:
            json.dump(snap, f)
        return
    qemu_cpu = float(sys.argv[3])
    with open(state) as f:
        b = json.load(f)
    tot, idle, steal = cpu_times()
    calib_after = calibrate()
    wall = time.monotonic() - b["t"]
    cap = max((tot - b["tot"]), 1e-9)
    busy = (tot - b["tot"]) - (idle - b["idle"])
    # The two calibrations themselves ran inside the window: not foreign.
    own = qemu_cpu + (b["calib"] + calib_after) * (os.cpu_count() or 1)
    foreign = max(busy - own, 0.0) / cap
    stolen = (steal - b["steal"]) / cap
    best = None
    try:
        with open(BEST) as f:
            best = float(f.read())
    except (OSError, ValueError):
        pass
    calib = max(b["calib"], calib_after)
    fastest = min(b["calib"], calib_after)
    if best is None or fastest < best:
        os.makedirs(CACHE, exist_ok=True)
        with open(BEST + ".tmp", "w") as f:
            f.write("%.6f\n" % fastest)
        os.replace(BEST + ".tmp", BEST)
        best = fastest if best is None else min(best, fastest)
    ratio = calib / best
    reasons = []
    if foreign > FOREIGN_MAX:
        reasons.append("other processes used %.0f%% of the host CPUs"
                       % (foreign * 100))
    if stolen > STEAL_MAX:
        reasons.append("the hypervisor stole %.0f%%" % (stolen * 100))
    if ratio > CALIB_MAX:
        reasons.append("busy-loop calibration %.2fx the fastest" % ratio)
    line = "host_load=%s foreign_cpu=%.0f%% steal=%.0f%% calib=%.2fx wall=%.0fs" % (
        "loaded" if reasons else "idle", foreign * 100, stolen * 100, ratio,
        wall)
    if reasons:
        line += " reason=" + "; ".join(reasons).replace(" ", "_")
    print(line)


if __name__ == "__main__":
    main()
