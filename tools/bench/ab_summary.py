#!/usr/bin/env python3
"""Median (and every run) per benchmark, model and build of an ab_jmh.sh output folder."""
import collections
import glob
import json
import os
import statistics
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ab"
runs = collections.defaultdict(list)
for path in sorted(glob.glob(os.path.join(folder, "r*-*.json"))):
    build = os.path.basename(path)[:-5].split("-", 1)[1]
    for entry in json.load(open(path)):
        key = (entry["benchmark"].split(".")[-1], entry["params"].get("model", ""))
        runs[(key, build)].append(entry["primaryMetric"]["score"])
keys = sorted({k for k, _ in runs})
builds = sorted({b for _, b in runs})
print("| benchmark | model | " + " | ".join(builds) + " |")
print("|---|---|" + "---|" * len(builds))
for k in keys:
    cells = []
    for b in builds:
        v = runs.get((k, b), [])
        cells.append("%.1f (%s)" % (statistics.median(v), ", ".join("%.1f" % x for x in v)) if v else "-")
    print("| %s | %s | %s |" % (k[0], k[1], " | ".join(cells)))
