#!/usr/bin/python3
"""Scores Timestep's CLI defaults on the development panel against naive, seasonal naive, ETS and
ARIMA, by MASE on each series' holdout (the last two seasons; 10 points of a yearly series).

    /usr/bin/python3 benchmarks/forecasting/run_panel.py            # the full panel, 3 seeds
    /usr/bin/python3 benchmarks/forecasting/run_panel.py --quick    # smoke run: 3 series, 1 seed
    /usr/bin/python3 benchmarks/forecasting/run_panel.py --selfcheck

Timestep is run as `timestep train --csv F --time-column T --column V --horizon H --holdout H
--seed S --out ...` and its holdout table is read; the peers are fitted here on the same rows and
scored with the same MASE scale (the in-sample seasonal-naive MAE of the training rows, as
pipeline/evaluation/MaseScale). Every series checks that this script's seasonal-naive and naive
MASE equal the ones the CLI printed. Writes benchmarks/results/<date>-forecasting-panel.md and
.json (with --quick: under /tmp/timestep-panel-quick unless --output-dir is given).
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import classical as peers  # noqa: E402  (imported after the path they live on)
import panel_metrics as pm  # noqa: E402
import timestep_cli  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
PANEL = os.path.join(HERE, "panel")
SEASON = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
FREQUENCIES = ["weekly", "monthly", "quarterly", "yearly"]
METHODS = ["timestep", "naive", "snaive", "ets", "arima"]
# The CLI prints MASE with 3 decimals; ours must agree to that rounding.
PRINTED_MASE_TOLERANCE = 0.0005 + 1e-9
# When `train` still requires --model, and none is given here: the README's first example.
FALLBACK_MODEL = "linear"
MISSING = {"", "NA", "NaN", "nan"}


def read_manifest():
    with open(os.path.join(PANEL, "manifest.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["holdout"] = int(r["holdout"])
        r["quick"] = r["quick"] == "1"
        r["path"] = os.path.join(PANEL, r["file"])
    return rows


def read_values(entry):
    with open(entry["path"], newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        values = [
            math.nan if r[entry["value_column"]] in MISSING else float(r[entry["value_column"]])
            for r in reader
        ]
    return pm.as_float32(values)


def baselines(kept, held, period):
    """Naive and seasonal naive as the CLI computes them, and the MASE scale."""
    scale_period = period if period < kept.size else 1
    scale = pm.mase_scale(kept, scale_period)
    history = pm.interpolate(kept)
    h = held.size
    return (
        scale,
        scale_period,
        history,
        {
            "naive": pm.scores(held, pm.naive(history, h), scale),
            "snaive": pm.scores(held, pm.seasonal_naive(history, scale_period, h), scale),
        },
    )


def peer_scores(fit, history, period, held, scale):
    """A classical peer's forecast of the holdout, scored; its error when it cannot fit."""
    try:
        forecast, description, seconds = fit(history, period, held.size)
    except Exception as e:  # recorded in the table, the run goes on
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}
    result = pm.scores(held, forecast, scale)
    result.update(ok=True, model=description, seconds=seconds, forecast=list(forecast))
    return result


def check_against_cli(ours, table, scale_period):
    """Differences between our naive / seasonal-naive MASE and the CLI's; empty when they agree."""
    problems = []
    if table["period"] != scale_period:
        problems.append(f"CLI season {table['period']} vs ours {scale_period}")
    for key, cli_key in (("naive", "naive"), ("snaive", "seasonal naive")):
        diff = abs(ours[key]["mase"] - table[cli_key]["mase"])
        if diff > PRINTED_MASE_TOLERANCE:
            problems.append(
                f"{key} MASE {ours[key]['mase']:.4f} vs CLI {table[cli_key]['mase']:.3f}"
            )
    return problems


def score_series(entry, seeds, jar, model, timeout, workdir):
    values = read_values(entry)
    h = entry["holdout"]
    kept, held = values[:-h], values[-h:]
    period = SEASON[entry["frequency"]]
    scale, scale_period, history, result = baselines(kept, held, period)
    result["ets"] = peer_scores(peers.ets_forecast, history, scale_period, held, scale)
    result["arima"] = peer_scores(peers.arima_forecast, history, scale_period, held, scale)
    runs, commands = [], []
    for seed in seeds:
        out = os.path.join(workdir, f"{entry['series']}-seed{seed}.tsm")
        cmd = timestep_cli.command(
            os.path.relpath(jar, ROOT),
            os.path.relpath(entry["path"], ROOT),
            entry["time_column"],
            entry["value_column"],
            h,
            seed,
            out,
            model,
        )
        run = timestep_cli.run(cmd, timeout, ROOT)
        run["seed"] = seed
        commands.append(cmd)
        # The model files go to a temporary folder, removed after the run.
        run["command"] = " ".join(shlex.quote(c) for c in cmd).replace(workdir, "$TMP")
        if run["ok"]:
            run["check"] = check_against_cli(result, run["table"], scale_period)
        runs.append(run)
    scored = [r["table"]["model"]["mase"] for r in runs if r["ok"]]
    result["timestep"] = {
        "ok": len(scored) == len(runs),
        "mase": sum(scored) / len(scored) if len(scored) == len(runs) else None,
        "seed_mase": scored,
        "runs": runs,
    }
    if not scored:
        cmd = timestep_cli.check_command(commands[0])
        check = timestep_cli.run(cmd, timeout, ROOT)
        if check["ok"]:
            check["check"] = check_against_cli(result, check["table"], scale_period)
        check["command"] = " ".join(shlex.quote(c) for c in cmd).replace(workdir, "$TMP")
        result["timestep"]["check_run"] = check
    result.update(
        series=entry["series"],
        frequency=entry["frequency"],
        rows=int(values.size),
        holdout=h,
        missing=int(sum(1 for v in values if math.isnan(v))),
        season=scale_period,
        mase_scale=scale,
    )
    return result


def mase_of(result, method):
    r = result[method]
    if method == "timestep":
        return r["mase"] if r["ok"] else None
    return r["mase"] if r.get("ok", True) else None


def fmt(x, digits=3):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def checked_runs(timestep):
    """The CLI runs that printed a holdout table: the seeds', or else the check run's."""
    runs = [run for run in timestep["runs"] if run["ok"]]
    check = timestep.get("check_run")
    return runs or ([check] if check and check["ok"] else [])


def cli_check(timestep):
    """The check column: do our naive and seasonal-naive MASE equal the CLI's?"""
    runs = checked_runs(timestep)
    if not runs:
        return "not checked: the CLI failed"
    seeds_ran = any(run["ok"] for run in timestep["runs"])
    how = "" if seeds_ran else " (check run: " + " ".join(timestep_cli.CHECK_OPTIONS) + ")"
    problems = [x for run in runs for x in run["check"]]
    return ("yes" if not problems else "NO: " + "; ".join(problems)) + how


def finite_or_none(x):
    """x with every NaN or infinity replaced by None, so the JSON file is strict JSON."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: finite_or_none(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite_or_none(v) for v in x]
    return x


def geometric_means(results):
    """Per group: the series every method scored, and each method's geometric mean over them.
    When Timestep failed on some series, one more row gives the peers over every series."""
    groups = [("all", results)] + [
        (f, [r for r in results if r["frequency"] == f]) for f in FREQUENCIES
    ]
    out = []
    for name, members in groups:
        complete = [r for r in members if all(mase_of(r, m) is not None for m in METHODS)]
        out.append(
            {
                "group": name,
                "series": len(members),
                "scored": len(complete),
                "left_out": [r["series"] for r in members if r not in complete],
                "gmean": {m: pm.geometric_mean([mase_of(r, m) for r in complete]) for m in METHODS},
            }
        )
    unscored = [r["series"] for r in results if mase_of(r, "timestep") is None]
    peers_scored = [r for r in results if all(mase_of(r, m) is not None for m in METHODS[1:])]
    if unscored and peers_scored:
        out.insert(
            1,
            {
                "group": "all, peers only",
                "series": len(results),
                "scored": len(peers_scored),
                "left_out": [r["series"] for r in results if r not in peers_scored],
                "gmean": {
                    m: (
                        pm.geometric_mean([mase_of(r, m) for r in peers_scored])
                        if m != "timestep"
                        else float("nan")
                    )
                    for m in METHODS
                },
            },
        )
    return out


def environment(jar):
    def out(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (p.stdout + p.stderr).strip()
        except Exception as e:
            return f"unavailable ({e})"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import numpy
    import pandas
    import scipy
    import statsmodels

    dirty = out(["git", "-C", ROOT, "status", "--porcelain"])
    return {
        "commit": out(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "dirty": bool(dirty),
        "machine": f"{cpu}, {os.cpu_count()} cores, {memory}",
        "os": f"{platform.platform()}",
        "java": out(["java", "-version"]).splitlines()[0],
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "jar": os.path.relpath(jar, ROOT),
    }


def markdown(results, gmeans, env, meta):
    lines = [
        f"# Forecasting panel: Timestep's CLI defaults against classical peers ({meta['date']})",
        "",
        "MASE on each series' holdout (lower is better; 1 = the in-sample seasonal-naive MAE of "
        "the training rows). Timestep: the mean over seeds, and the lowest and highest seed.",
        "",
        f"Command: `{meta['command']}`  ",
        f"Timestep runs: `{meta['example']}` (one per series and seed; {meta['model_note']})  ",
        f"Seeds: {', '.join(str(s) for s in meta['seeds'])}; total wall time "
        f"{meta['wall_seconds'] / 60:.1f} min  ",
        f"Commit: {env['commit']}{' (dirty tree)' if env['dirty'] else ''}  ",
        f"Machine: {env['machine']}; {env['os']}  ",
        f"Versions: {env['java']}; Python {env['python']}, numpy {env['numpy']}, pandas "
        f"{env['pandas']}, scipy {env['scipy']}, statsmodels {env['statsmodels']}",
        "",
        "| series | freq | rows | holdout | Timestep | seeds (min–max) | naive | snaive | ETS "
        "| ARIMA | CLI snaive = ours |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        t = r["timestep"]
        spread = f"{min(t['seed_mase']):.3f}–{max(t['seed_mase']):.3f}" if t["seed_mase"] else "–"
        if not t["ok"]:
            spread = f"failed {sum(not x['ok'] for x in t['runs'])} of {len(t['runs'])}"
        check = cli_check(t)
        lines.append(
            f"| {r['series']} | {r['frequency']} | {r['rows']} | {r['holdout']} | "
            f"{fmt(t['mase'])} | {spread} | {fmt(mase_of(r, 'naive'))} | "
            f"{fmt(mase_of(r, 'snaive'))} | {fmt(mase_of(r, 'ets'))} | "
            f"{fmt(mase_of(r, 'arima'))} | {check} |"
        )
    lines += [
        "",
        "Geometric mean MASE per group, over the series where every method scored:",
        "",
        "| group | series scored | Timestep | naive | snaive | ETS | ARIMA | left out |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for g in gmeans:
        if g["series"] == 0:
            continue
        lines.append(
            f"| {g['group']} | {g['scored']} of {g['series']} | "
            + " | ".join(fmt(g["gmean"][m]) for m in METHODS)
            + f" | {', '.join(g['left_out']) or '–'} |"
        )
    lines += ["", "Models chosen, and failures:", ""]
    for r in results:
        parts = []
        for method, label in (("ets", "ETS"), ("arima", "ARIMA")):
            x = r[method]
            parts.append(
                f"{label} {x['model']} ({x['seconds']:.1f} s)"
                if x["ok"]
                else f"{label} failed: {x['error']}"
            )
        runs = r["timestep"]["runs"]
        first = next((x for x in runs if x["ok"]), None)
        if first:
            parts.append("Timestep " + " / ".join(first["lines"]))
            parts.append(f"{sum(x['seconds'] for x in runs) / len(runs):.1f} s per run")
        errors = {}
        for x in runs:
            if not x["ok"]:
                errors.setdefault(x["error"], []).append(str(x["seed"]))
        for error, seeds in errors.items():
            parts.append(f"Timestep failed (seed {', '.join(seeds)}): {error}")
        lines.append(f"- **{r['series']}**: " + "; ".join(parts))
    lines += [
        "",
        "Rerun: `" + meta["rerun"] + "` (see benchmarks/README.md). Raw numbers (every seed, "
        "sMAPE, RMSE, the peers' forecasts): the JSON file of the same name.",
        "",
    ]
    return "\n".join(lines)


def selfcheck():
    import numpy as np

    def close(a, b, tol=1e-12):
        return all(abs(x - y) <= tol for x, y in zip(np.ravel(a), np.ravel(b)))

    checks = {
        "MASE scale of 1,2,4,7 with period 1 is mean(1,2,3) = 2": pm.mase_scale([1, 2, 4, 7], 1)
        == 2,
        "MASE scale skips pairs with a missing value": pm.mase_scale([1, math.nan, 3, 4], 1) == 1,
        "MASE scale with period 2": pm.mase_scale([1, 5, 2, 7], 2) == 1.5,
        "seasonal naive repeats the last season": close(
            pm.seasonal_naive(np.arange(1, 9), 4, 6), [5, 6, 7, 8, 5, 6]
        ),
        "naive repeats the last value": close(pm.naive([3, 9, 4], 3), [4, 4, 4]),
        "interpolation: a straight line inside, flat at the ends": close(
            pm.interpolate([math.nan, 1, math.nan, 3, math.nan]), [1, 1, 2, 3, 3]
        ),
        "MASE of errors 1 and 3 with scale 2 is 1": pm.scores([3, 5], [2, 2], 2)["mase"] == 1,
        "missing actuals are not scored": pm.scores([3, math.nan], [2, 100], 1)["mase"] == 1,
        "sMAPE is 0 where actual and forecast are both 0": pm.scores([0], [0], 1)["smape"] == 0,
        "geometric mean of 1 and 4 is 2": abs(pm.geometric_mean([1, 4]) - 2) < 1e-12,
        "float32 rounding as the CLI stores values": pm.as_float32([0.1])[0]
        == float(np.float32(0.1)),
    }
    table = timestep_cli.parse_holdout(
        "holdout: the last 24 rows (2009-01 .. 2010-12), never trained on; seasonal naive with "
        "period 12 (monthly steps: 12 per year)\n"
        "                       MASE    sMAPE %         RMSE\n"
        "model                 0.696       3.62       0.9429\n"
        "naive                 1.691       8.65        2.272\n"
        "seasonal naive        0.622       3.28    1.031e+04\n"
    )
    checks["the CLI's holdout table is parsed"] = (
        table["period"] == 12
        and table["model"]["mase"] == 0.696
        and table["seasonal naive"]["rmse"] == 10310
    )
    # A season plus a trend of 0.5 per step: the seasonal-naive scale is 4 x 0.5 = 2.
    clean = np.tile([1.0, 3.0, 2.0, 5.0], 12) + 10 + 0.5 * np.arange(48)
    checks["scale of a season plus a trend of 0.5 per step is 2"] = (
        abs(pm.mase_scale(clean, 4) - 2) < 1e-12
    )
    # Seasonal naive misses the trend by 2 at lead times 1-4 and by 4 at 5-8: MASE 3 / 2 = 1.5.
    snaive = pm.seasonal_naive(clean[:-8], 4, 8)
    checks["seasonal naive on a season plus trend has MASE 1.5"] = (
        abs(pm.scores(clean[-8:], snaive, pm.mase_scale(clean[:-8], 4))["mase"] - 1.5) < 1e-12
    )
    # With a little noise, the peers (which can represent that shape) must do far better.
    noisy = clean + np.random.default_rng(0).normal(0, 0.1, clean.size)
    kept, held = noisy[:-8], noisy[-8:]
    scale = pm.mase_scale(kept, 4)
    for name, fit in (("ETS", peers.ets_forecast), ("ARIMA", peers.arima_forecast)):
        forecast, model, _ = fit(kept, 4, 8)
        mase = pm.scores(held, forecast, scale)["mase"]
        checks[f"{name} ({model}) forecasts a noisy season plus trend (MASE {mase:.3g} < 0.3)"] = (
            mase < 0.3
        )
    failed = [name for name, ok in checks.items() if not ok]
    for name, ok in checks.items():
        print(("ok    " if ok else "FAIL  ") + name)
    print(f"{len(checks) - len(failed)} of {len(checks)} checks passed")
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: the quick series, seed 0")
    parser.add_argument("--selfcheck", action="store_true", help="check the scoring on toy cases")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 per series (default 3)")
    parser.add_argument("--series", help="comma-separated series names (default: all)")
    parser.add_argument("--jar", default=os.path.join(ROOT, "java", "target", "timestep.jar"))
    parser.add_argument(
        "--model",
        help="pass --model to train (default: none, the CLI's default; if train still requires "
        f"--model, {FALLBACK_MODEL})",
    )
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per train run")
    parser.add_argument("--output-dir", help="default benchmarks/results (--quick: /tmp)")
    args = parser.parse_args(argv)
    if args.selfcheck:
        return selfcheck()
    if not os.path.isfile(args.jar):
        print(
            f"error: {args.jar} not found; build it first: mvn -B -q -o -DskipTests package",
            file=sys.stderr,
        )
        return 2
    entries = read_manifest()
    if args.series:
        wanted = args.series.split(",")
        unknown = sorted(set(wanted) - {e["series"] for e in entries})
        if unknown:
            print(f"error: unknown series {unknown}", file=sys.stderr)
            return 2
        entries = [e for e in entries if e["series"] in wanted]
    elif args.quick:
        entries = [e for e in entries if e["quick"]]
    seeds = [0] if args.quick else list(range(args.seeds))
    output_dir = args.output_dir or (
        os.path.join(tempfile.gettempdir(), "timestep-panel-quick")
        if args.quick
        else os.path.join(ROOT, "benchmarks", "results")
    )
    model = args.model
    model_note = f"--model {model} given" if model else "CLI defaults"
    if not model and timestep_cli.model_is_required(args.jar):
        model = FALLBACK_MODEL
        model_note = (
            f"`train` still requires --model, so --model {model} is passed; every other option "
            "is the CLI's default"
        )
        print(f"note: {model_note}")
    started = time.time()
    env = environment(args.jar)  # before any output is written, so "dirty" means the sources
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    results = []
    with tempfile.TemporaryDirectory(prefix="timestep-panel-") as workdir:
        for i, entry in enumerate(entries, 1):
            t0 = time.time()
            print(
                f"[{i}/{len(entries)}] {entry['series']} ({entry['frequency']}, holdout "
                f"{entry['holdout']}) ...",
                flush=True,
            )
            r = score_series(entry, seeds, args.jar, model, args.timeout, workdir)
            results.append(r)
            t = r["timestep"]
            bad = [x for run in checked_runs(t) for x in run["check"]]
            print(
                f"      MASE timestep {fmt(t['mase'])} naive {fmt(mase_of(r, 'naive'))} snaive "
                f"{fmt(mase_of(r, 'snaive'))} ETS {fmt(mase_of(r, 'ets'))} ARIMA "
                f"{fmt(mase_of(r, 'arima'))}; {time.time() - t0:.0f} s"
                + (
                    ""
                    if t["ok"]
                    else "; timestep failed: " + next(x["error"] for x in t["runs"] if not x["ok"])
                )
                + (f"; MISMATCH with the CLI: {bad}" if bad else ""),
                flush=True,
            )
    gmeans = geometric_means(results)
    meta = {
        "date": date,
        "command": " ".join(
            ["/usr/bin/python3", "benchmarks/forecasting/run_panel.py"]
            + [shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])]
        ),
        "rerun": "/usr/bin/python3 benchmarks/forecasting/run_panel.py",
        "example": results[0]["timestep"]["runs"][0]["command"] if results else "",
        "model_note": model_note,
        "seeds": seeds,
        "wall_seconds": time.time() - started,
    }
    os.makedirs(output_dir, exist_ok=True)
    base = os.path.join(output_dir, f"{date}-forecasting-panel")
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(markdown(results, gmeans, env, meta))
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(
            finite_or_none(
                {"meta": meta, "environment": env, "geometric_means": gmeans, "series": results}
            ),
            f,
            indent=1,
            allow_nan=False,
        )
        f.write("\n")
    print(f"wrote {base}.md and .json ({meta['wall_seconds'] / 60:.1f} min)")
    mismatches = [
        r["series"] for r in results for run in checked_runs(r["timestep"]) if run["check"]
    ]
    if mismatches:
        print(
            f"error: our naive/seasonal-naive MASE differs from the CLI's on {sorted(set(mismatches))}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
