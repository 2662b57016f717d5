"""Peer forecasters for `npm run bench:forecast`: statsmodels' ETSModel (additive errors, damped
additive trend, additive season; heuristic start; intervals from get_prediction) and ExponentialSmoothing (Holt-Winters
with the same form; intervals from 500 simulated paths), fitted to each series of the input file.
Usage: forecast-peers.py INPUT.json OUTPUT.json. Input: [{"y": [...], "m": 12, "h": 12}, ...].
Writes, per model, the forecasts and the seconds all series took; prints one JSON line per model."""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd

from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

in_path, out_path = sys.argv[1:3]
with open(in_path) as f:
    series = json.load(f)


def seasonal(y, m):
    return m > 1 and len(y) >= 2 * m + 2


def band(mean, l80, u80, l95, u95):
    clip = lambda xs: [max(0.0, float(x)) for x in xs]  # noqa: E731
    return {"mean": clip(mean), "lower80": clip(l80), "upper80": [float(x) for x in u80],
            "lower95": clip(l95), "upper95": [float(x) for x in u95]}


def naive_fallback(y, h):
    return band([y[-1]] * h, [y[-1]] * h, [y[-1]] * h, [y[-1]] * h, [y[-1]] * h)


def ets(y, m, h):
    data = pd.Series(np.asarray(y, dtype=float))
    kind = dict(seasonal="add", seasonal_periods=m) if seasonal(y, m) else {}
    # the heuristic start when there are enough seasons: estimating 52 initial states takes seconds a series
    start = "heuristic" if seasonal(y, m) and len(y) >= 2 * m + 10 else "estimated"
    model = ETSModel(data, error="add", trend="add", damped_trend=True, initialization_method=start, **kind)
    fit = model.fit(disp=False)
    n = len(y)
    p80 = fit.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.2)
    p95 = fit.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    return band(p80["mean"], p80["pi_lower"], p80["pi_upper"], p95["pi_lower"], p95["pi_upper"])


def holt_winters(y, m, h):
    data = pd.Series(np.asarray(y, dtype=float))
    kind = dict(seasonal="add", seasonal_periods=m) if seasonal(y, m) else {}
    fit = ExponentialSmoothing(data, trend="add", damped_trend=True, initialization_method="estimated", **kind).fit()
    paths = np.asarray(fit.simulate(h, repetitions=500, error="add", anchor="end"))
    q = np.percentile(paths, [2.5, 10, 90, 97.5], axis=1)
    return band(fit.forecast(h), q[1], q[2], q[0], q[3])


out = {}
for name, method in (("statsmodels_ets", ets), ("statsmodels_holt_winters", holt_winters)):
    started = time.perf_counter()
    forecasts = []
    failures = 0
    for s in series:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                forecasts.append(method(s["y"], s["m"], s["h"]))
        except Exception:  # a peer that cannot fit a series forecasts its last value
            failures += 1
            forecasts.append(naive_fallback(s["y"], s["h"]))
    seconds = time.perf_counter() - started
    out[name] = {"seconds": seconds, "forecasts": forecasts, "failures": failures}
    print(json.dumps({"model": name, "series": len(series), "seconds": round(seconds, 2), "failures": failures}),
          file=sys.stderr)

with open(out_path, "w") as f:
    json.dump(out, f)
