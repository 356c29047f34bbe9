"""The classical peers, fitted with statsmodels on the training rows (gaps filled by linear
interpolation, as the CLI fills the history it forecasts from).

ETS: statsmodels' ETSModel with additive errors; every trend (none, additive, multiplicative,
either damped) and season (none, additive, multiplicative) is fitted and the lowest AIC is kept.
Multiplicative parts need positive data and are skipped otherwise. Initial states are estimated
by likelihood for seasons up to 12; a weekly series' 52 seasonal states use the heuristic start
(decomposition of the first seasons), as estimating them all is slow and poorly determined.

ARIMA: a small automatic search in the spirit of auto.arima, kept short:
  1. D (seasonal differences, 0 or 1) from the seasonal strength of an STL decomposition
     (1 when it exceeds 0.64, Hyndman's rule); d (0 to 2) by repeated KPSS tests at 5%.
  2. p, q in 0..2, with and without a constant (d + D = 0) or drift (d + D = 1), no seasonal
     AR/MA terms: lowest AIC.
  3. For seasons of 4 and 12, seasonal (P, Q) in {(1, 0), (0, 1), (1, 1)} added to the best
     of step 2; kept when the AIC is lower.
  A weekly season (52) is taken out by differencing y[t] - y[t - 52] by hand when D = 1 (the
  forecast is integrated back), with no seasonal AR/MA terms: a 52-lag state space is too slow.
"""

import itertools
import math
import time
import warnings

import numpy as np

# Seasonal strength above which auto.arima takes one seasonal difference.
SEASONAL_STRENGTH_FOR_D = 0.64
# Seasons whose seasonal AR/MA terms are searched (longer ones only get differencing).
SEARCHED_SEASONS = (4, 12)


def _quiet(fit):
    """Runs fit() with statsmodels' convergence and frequency warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fit()


def ets_forecast(history, period, horizon):
    """The lowest-AIC ETS model's forecast; returns (forecast, description, seconds)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    start = time.time()
    y = np.asarray(history, dtype=np.float64)
    positive = bool(np.all(y > 0))
    seasons = [None]
    if period > 1 and y.size >= 2 * period + 2:
        seasons += ["add", "mul"] if positive else ["add"]
    trends = [(None, False), ("add", False), ("add", True)]
    if positive:
        trends += [("mul", False), ("mul", True)]
    init = "estimated" if period <= 12 else "heuristic"
    best = None
    for (trend, damped), season in itertools.product(trends, seasons):
        model = ETSModel(
            y,
            error="add",
            trend=trend,
            damped_trend=damped,
            seasonal=season,
            seasonal_periods=period if season else None,
            initialization_method=init,
        )
        try:
            result = _quiet(lambda: model.fit(disp=False))
            forecast = np.asarray(result.forecast(horizon), dtype=np.float64)
        except Exception:  # a candidate that fails to fit is simply not chosen
            continue
        if not math.isfinite(result.aic) or not np.all(np.isfinite(forecast)):
            continue
        if best is None or result.aic < best[0]:
            name = "ETS(A,{}{},{})".format(
                {None: "N", "add": "A", "mul": "M"}[trend],
                "d" if damped else "",
                {None: "N", "add": "A", "mul": "M"}[season],
            )
            best = (result.aic, forecast, name)
    if best is None:
        raise RuntimeError("ETS: no candidate could be fitted")
    return best[1], best[2], time.time() - start


def seasonal_strength(y, period):
    """Hyndman's F_s = max(0, 1 - var(remainder) / var(season + remainder)) of a robust STL."""
    from statsmodels.tsa.seasonal import STL

    if period < 2 or y.size < 2 * period + 1:
        return 0.0
    fit = _quiet(lambda: STL(y, period=period, robust=True).fit())
    total = np.var(fit.resid + fit.seasonal)
    return 0.0 if total == 0 else max(0.0, 1 - np.var(fit.resid) / total)


def kpss_differences(y, most=2):
    """How many first differences make y level-stationary by the KPSS test at 5%."""
    from statsmodels.tsa.stattools import kpss

    z = np.asarray(y, dtype=np.float64)
    for d in range(most + 1):
        if d == most or z.size < 10 or np.ptp(z) == 0:
            return d
        try:
            p_value = _quiet(lambda: kpss(z, regression="c", nlags="auto"))[1]
        except ValueError:  # a degenerate series the test cannot take: call it stationary
            return d
        if p_value >= 0.05:
            return d
        z = np.diff(z)
    return most


def _fit_arima(y, order, seasonal_order, trend):
    from statsmodels.tsa.arima.model import ARIMA

    model = ARIMA(y, order=order, seasonal_order=seasonal_order, trend=trend)
    return _quiet(model.fit)


def _search(y, d, seasonal, period):
    """Steps 2 and 3 of the search on y; returns (aic, result, description)."""
    trends = ["n", "c" if d + seasonal == 0 else "t"] if d + seasonal <= 1 else ["n"]
    season_order = (0, seasonal, 0, period) if seasonal and period in SEARCHED_SEASONS else None
    best = None
    for p, q, trend in itertools.product(range(3), range(3), trends):
        try:
            r = _fit_arima(y, (p, d, q), season_order or (0, 0, 0, 0), trend)
        except Exception:
            continue
        if math.isfinite(r.aic) and (best is None or r.aic < best[0]):
            best = (r.aic, r, (p, d, q), (0, seasonal, 0), trend)
    if best is None:
        raise RuntimeError("ARIMA: no candidate could be fitted")
    if period in SEARCHED_SEASONS:
        _, _, order, _, trend = best
        for big_p, big_q in [(1, 0), (0, 1), (1, 1)]:
            try:
                r = _fit_arima(y, order, (big_p, seasonal, big_q, period), trend)
            except Exception:
                continue
            if math.isfinite(r.aic) and r.aic < best[0]:
                best = (r.aic, r, order, (big_p, seasonal, big_q), trend)
    aic, result, order, season, trend = best
    shown_period = period if period in SEARCHED_SEASONS or seasonal else 0
    name = "ARIMA({},{},{})".format(*order)
    if any(season):
        name += "({},{},{})[{}]".format(*season, shown_period)
    name += {"n": "", "c": " + const", "t": " + drift"}[trend]
    return aic, result, name


def arima_forecast(history, period, horizon):
    """The searched ARIMA model's forecast; returns (forecast, description, seconds)."""
    start = time.time()
    y = np.asarray(history, dtype=np.float64)
    seasonal = 1 if seasonal_strength(y, period) > SEASONAL_STRENGTH_FOR_D else 0
    if seasonal and period not in SEARCHED_SEASONS:
        # Long season: model z[t] = y[t] - y[t - period], then add the season back.
        z = y[period:] - y[:-period]
        d = kpss_differences(z)
        _, result, name = _search(z, d, 0, period)
        z_forecast = np.asarray(result.forecast(horizon), dtype=np.float64)
        extended = list(y)
        for k in range(horizon):
            extended.append(extended[-period] + z_forecast[k])
        forecast = np.array(extended[y.size :])
        name += f" on y[t] - y[t-{period}]"
    else:
        z = y[period:] - y[:-period] if seasonal else y
        d = kpss_differences(z)
        _, result, name = _search(y, d, seasonal, period)
        forecast = np.asarray(result.forecast(horizon), dtype=np.float64)
    if not np.all(np.isfinite(forecast)):
        raise RuntimeError(f"ARIMA: {name} forecast is not finite")
    return forecast, name, time.time() - start
