#!/usr/bin/env python3
"""What the agent adds in the forks that attach it halfway (AgentAttach), from JMH's JSON.

For each benchmark, each metric (the time per operation and the ThreadCpuProfiler figures):
the bare iterations of the attaching fork (after --skip of them) against its traced ones (after
--rewarm iterations that follow the attach: the JIT compiles the rewritten methods again), minus
the same two stretches of the control fork (attachAt = 0), which never attaches: what the
iterations drift by themselves. "added" is the Hodges-Lehmann estimate (the median of all
pairwise differences) with a 95 % interval by the normal approximation of the Mann-Whitney
ranks (docs/benchmarks.md, "How to read the numbers").

  java -cp ... org.openjdk.jmh.Main 'DubboAttachBenchmark|RocketMqAttachBenchmark' \\
      -prof io.rpctrace.bench.cpu.ThreadCpuProfiler -rf json -rff /tmp/attach.json
  trace-benchmarks/netty-4.1/attach-split.py /tmp/attach.json
"""
import argparse
import json
import math
import statistics


def hodges_lehmann(after, before):
    """Median of pairwise differences after - before, and its ~95 % interval."""
    diffs = sorted(a - b for a in after for b in before)
    n, m = len(after), len(before)
    est = statistics.median(diffs)
    # the rank of the interval's ends (Mann-Whitney, normal approximation)
    k = int(math.floor(n * m / 2.0 - 1.96 * math.sqrt(n * m * (n + m + 1) / 12.0)))
    k = max(0, min(k, len(diffs) - 1))
    return est, diffs[k], diffs[len(diffs) - 1 - k]


def stretches(values, attach_at, warmup, skip, rewarm):
    """The bare and the traced measured iterations of one fork (attach_at counts warm-up iterations, 1-based)."""
    split = attach_at - warmup - 1          # index of the first measured iteration with the agent
    return values[skip:split], values[split + rewarm:]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("json")
    p.add_argument("--skip", type=int, default=5, help="bare measured iterations dropped at the start (default 5)")
    p.add_argument("--rewarm", type=int, default=30, help="iterations dropped after the attach (default 30: the JIT recompiles what the attach rewrote for about that long)")
    args = p.parse_args()
    runs = json.load(open(args.json))
    by_bench = {}
    for r in runs:
        by_bench.setdefault(r["benchmark"], []).append(r)
    for bench, rs in sorted(by_bench.items()):
        attaching = [r for r in rs if int(r["params"]["attachAt"]) > 0]
        control = [r for r in rs if int(r["params"]["attachAt"]) == 0]
        if not attaching or not control:
            print("%s: needs a fork that attaches and one that does not (attachAt > 0 and 0)" % bench)
            continue
        a, c = attaching[0], control[0]
        at, warm = int(a["params"]["attachAt"]), a["warmupIterations"]
        print("%s (attach before iteration %d; %d bare and %d traced iterations compared, each fork)"
              % (bench, at, at - warm - 1 - args.skip, a["measurementIterations"] - (at - warm - 1) - args.rewarm))
        metrics = [("time", a["primaryMetric"], c["primaryMetric"])]
        for name in sorted(a["secondaryMetrics"]):
            if name in c["secondaryMetrics"]:
                metrics.append((name, a["secondaryMetrics"][name], c["secondaryMetrics"][name]))
        for name, ma, mc in metrics:
            unit = ma.get("scoreUnit", "")
            scale = 1000.0 if unit.startswith("ns") else 1.0
            for fa, fc in zip(ma["rawData"], mc["rawData"]):
                bare, traced = stretches(fa, at, warm, args.skip, args.rewarm)
                c_before, c_after = stretches(fc, at, warm, args.skip, args.rewarm)
                if len(bare) < 3 or len(traced) < 3:
                    print("  %-13s too few iterations on one side of the attach" % name)
                    continue
                est, lo, hi = hodges_lehmann(traced, bare)
                drift, dlo, dhi = hodges_lehmann(c_after, c_before)
                print("  %-13s bare %9.2f, traced %9.2f: %+7.2f (%+.2f..%+.2f); control drift %+7.2f (%+.2f..%+.2f);"
                      " added %+7.2f %s"
                      % (name, statistics.median(bare) / scale, statistics.median(traced) / scale, est / scale,
                         lo / scale, hi / scale, drift / scale, dlo / scale, dhi / scale, (est - drift) / scale,
                         "us" + unit[2:] if scale != 1.0 else unit))


if __name__ == "__main__":
    main()
