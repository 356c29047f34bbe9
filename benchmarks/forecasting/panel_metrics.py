"""Scores as Timestep's pipeline computes them (pipeline/evaluation: MaseScale, ForecastScores,
Baselines; data/series/LinearInterpolation), so the peers are scored on the same footing.

Timestep reads a CSV's values as float32; `as_float32` rounds a series the same way, so the MASE
scale and the baselines here match the CLI's to its printed digits.
"""

import math

import numpy as np


def as_float32(values):
    """Values rounded to float32, as Timestep stores them, then widened back to float64."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def interpolate(values):
    """NaNs filled by a straight line between their present neighbours; a gap at either end takes
    its one neighbour's value. Computed in float64 and rounded to float32, like the CLI."""
    v = np.array(values, dtype=np.float64)
    present = np.flatnonzero(~np.isnan(v))
    if present.size == 0:
        raise ValueError("interpolation: every value is missing")
    # np.interp holds the end values flat beyond the first and last present points.
    filled = np.interp(np.arange(v.size), present, v[present])
    return as_float32(filled)


def mase_scale(in_sample, period):
    """Mean |y[t] - y[t - period]| over the in-sample rows, skipping pairs with a missing value."""
    y = np.asarray(in_sample, dtype=np.float64)
    if period < 1 or y.size <= period:
        raise ValueError(f"MASE scale: needs more than {period} rows, got {y.size}")
    d = np.abs(y[period:] - y[:-period])
    d = d[~np.isnan(d)]
    if d.size == 0 or d.sum() == 0:
        raise ValueError("MASE scale: no observed pair, or a scale of 0")
    return float(d.mean())


def naive(history, horizon):
    """The last value, horizon times."""
    return seasonal_naive(history, 1, horizon)


def seasonal_naive(history, period, horizon):
    """Step k (from 0) repeats history[n - period + k % period]."""
    h = np.asarray(history, dtype=np.float64)
    if h.size < period:
        raise ValueError(f"seasonal naive: needs {period} rows of history, got {h.size}")
    last = h[h.size - period :]
    return np.array([last[k % period] for k in range(horizon)])


def scores(actual, forecast, scale):
    """MASE, sMAPE (percent) and RMSE of one forecast; missing actuals are not scored."""
    a = np.asarray(actual, dtype=np.float64)
    f = np.asarray(forecast, dtype=np.float64)
    if a.shape != f.shape or np.isnan(f).any():
        raise ValueError("scores: forecast must match the actuals in length and hold no NaN")
    keep = ~np.isnan(a)
    a, f = a[keep], f[keep]
    e = np.abs(a - f)
    denominator = np.abs(a) + np.abs(f)
    smape = np.where(denominator == 0, 0.0, 200 * e / np.where(denominator == 0, 1, denominator))
    return {
        "mase": float(np.mean(e / scale)),
        "smape": float(np.mean(smape)),
        "rmse": float(math.sqrt(np.mean(e * e))),
    }


def geometric_mean(values):
    """exp(mean(log v)) of positive values; NaN when there are none."""
    v = [x for x in values if x is not None and x > 0 and math.isfinite(x)]
    if not v:
        return float("nan")
    return math.exp(sum(math.log(x) for x in v) / len(v))
