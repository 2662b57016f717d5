"""Peer models for `npm run bench:risk`: XGBoost (hist) and scikit-learn's
HistGradientBoostingClassifier on the same feature rows as Clearway's model, under the same protocol
as `clearway risk train` without --valid: trained on the earlier rows with the number of trees chosen
by validation log-loss on the latest rows in time (stopping after `patience` rounds without
improvement), then refitted on every row with that number of trees and scored on the evaluation rows.
Arguments: a folder holding choose.csv, holdout.csv, fit.csv and evaluate.csv (label first), the most
trees, the learning rate, the leaves per tree and the patience. Writes scores-<model>.txt there and
prints one JSON line per model: the trees chosen and the training seconds (choosing and refit) as
processor time, which the load of a shared machine does not inflate; run with OMP_NUM_THREADS=1, so
that every learner has one core."""
import json
import os
import sys
import time

import numpy as np

folder, trees, rate, leaves, patience = sys.argv[1:6]
trees, rate, leaves, patience = int(trees), float(rate), int(leaves), int(patience)


def load(name):
    data = np.loadtxt(os.path.join(folder, name), delimiter=",", skiprows=1)
    return data[:, 1:], data[:, 0]


x_choose, y_choose = load("choose.csv")
x_holdout, y_holdout = load("holdout.csv")
x_fit, y_fit = load("fit.csv")
x_eval, _ = load("evaluate.csv")


def log_loss(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def best_round(losses):
    """1-based round of the lowest loss, scanning until `patience` rounds pass without improvement."""
    best, best_loss = 0, float("inf")
    for n, loss in enumerate(losses, start=1):
        if loss < best_loss:
            best, best_loss = n, loss
        elif n - best >= patience:
            break
    return max(1, best)


def report(name, chosen, model, seconds):
    np.savetxt(os.path.join(folder, f"scores-{name}.txt"), model.predict_proba(x_eval)[:, 1])
    print(json.dumps({"model": name, "trees": chosen, "trainSeconds": seconds}), flush=True)


from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
import xgboost  # noqa: E402


def xgb(n, **extra):
    return xgboost.XGBClassifier(
        n_estimators=n, learning_rate=rate, max_leaves=leaves, max_depth=0, grow_policy="lossguide",
        tree_method="hist", subsample=0.8, colsample_bytree=0.8, min_child_weight=1, reg_lambda=1,
        n_jobs=1, random_state=1, **extra,
    )


started = time.process_time()
trial = xgb(trees, early_stopping_rounds=patience, eval_metric="logloss")
trial.fit(x_choose, y_choose, eval_set=[(x_holdout, y_holdout)], verbose=False)
chosen = trial.best_iteration + 1
final = xgb(chosen).fit(x_fit, y_fit)
report("xgboost", chosen, final, time.process_time() - started)


def hgb(n):
    return HistGradientBoostingClassifier(
        max_iter=n, learning_rate=rate, max_leaf_nodes=leaves, min_samples_leaf=20, l2_regularization=1,
        early_stopping=False, random_state=1,
    )


started = time.process_time()
trial = hgb(trees).fit(x_choose, y_choose)
chosen = best_round(log_loss(p[:, 1], y_holdout) for p in trial.staged_predict_proba(x_holdout))
final = hgb(chosen).fit(x_fit, y_fit)
report("sklearn-hgb", chosen, final, time.process_time() - started)
