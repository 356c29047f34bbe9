"""Runs `timestep train --holdout` as a user would and reads its holdout table.

Only the options a user gives for a series are passed: the CSV, its time and value columns,
--horizon, --holdout, --seed and --out. Everything else (model, window, epochs, ...) is the CLI's
default at the time of the run, so rerunning after the defaults change measures the new ones.
"""

import re
import subprocess
import time

FLOAT = r"([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|NaN|Infinity|-Infinity))"
ROW = re.compile(
    r"^(model|naive|seasonal naive)\s+" + FLOAT + r"\s+" + FLOAT + r"\s+" + FLOAT + r"\s*$"
)
PERIOD = re.compile(r"^holdout: .*seasonal naive with period (\d+)")


def model_is_required(jar):
    """Whether `train` still insists on --model: picocli's synopsis shows a required option
    without brackets (`--model=NAME`), an optional one inside them (`[--model=NAME]`)."""
    help_text = subprocess.run(
        ["java", "-jar", jar, "train", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    synopsis = help_text.split("\n\n")[0]
    synopsis = synopsis.split("\n")
    usage = []
    for line in synopsis:
        if usage and not line.startswith(" "):
            break
        usage.append(line)
    return re.search(r"(?<!\[)--model=", " ".join(usage)) is not None


def command(jar, csv, time_column, value_column, holdout, seed, out, model=None):
    """The command line for one series and seed; --model only when one is given."""
    cmd = ["java", "-jar", jar, "train", "--csv", csv, "--time-column", time_column]
    cmd += ["--column", value_column, "--horizon", str(holdout), "--holdout", str(holdout)]
    cmd += ["--seed", str(seed), "--out", out]
    if model:
        cmd += ["--model", model]
    return cmd


# A setup any panel series can refit (2 x (window + horizon) rows), trained for one epoch.
CHECK_OPTIONS = ["--window", "4", "--horizon", "1", "--epochs", "1"]


def check_command(cmd):
    """The same run shrunk to CHECK_OPTIONS: when the defaults cannot train on a series, it still
    prints the naive and seasonal-naive MASE (which no model setting changes) to check ours by."""
    out = list(cmd)
    i = out.index("--horizon")
    del out[i : i + 2]
    return out + CHECK_OPTIONS


def parse_holdout(stdout):
    """{'model'|'naive'|'seasonal naive': {mase, smape, rmse}, 'period': int} from the output."""
    table = {}
    for line in stdout.splitlines():
        m = PERIOD.match(line)
        if m:
            table["period"] = int(m.group(1))
        m = ROW.match(line)
        if m:
            table[m.group(1)] = {
                "mase": float(m.group(2)),
                "smape": float(m.group(3)),
                "rmse": float(m.group(4)),
            }
    missing = [k for k in ("model", "naive", "seasonal naive", "period") if k not in table]
    if missing:
        raise ValueError(
            "no holdout table in the CLI's output (missing: " + ", ".join(missing) + ")"
        )
    return table


def run(cmd, timeout, cwd):
    """Runs one train command in cwd; returns a dict with the holdout table or the error."""
    start = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return {
            "ok": False,
            "error": f"timed out after {timeout} s",
            "seconds": time.time() - start,
        }
    seconds = time.time() - start
    described = [line for line in p.stdout.splitlines() if line.startswith(("model:", "refit:", "season ", "chosen:"))]
    result = {"seconds": seconds, "exit": p.returncode, "lines": described}
    if p.returncode != 0:
        errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
        result.update(ok=False, error=(errors or p.stderr.strip().splitlines()[-1:] or ["?"])[-1])
        return result
    try:
        result.update(ok=True, table=parse_holdout(p.stdout))
    except ValueError as e:
        result.update(ok=False, error=str(e))
    return result
