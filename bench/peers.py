"""Peer models for `npm run bench:risk`: XGBoost and scikit-learn's HistGradientBoostingClassifier,
trained on the same feature matrix as Clearway's model and scored on the same validation rows.
Prints one JSON line per model: training seconds and the validation scores file it wrote."""
import json
import sys
import time

import numpy as np

train_path, valid_path, out_prefix, trees, rate, leaves = sys.argv[1:7]
trees, rate, leaves = int(trees), float(rate), int(leaves)


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, 1:], data[:, 0]


x_train, y_train = load(train_path)
x_valid, _ = load(valid_path)


def report(name, model, fit):
    started = time.perf_counter()
    fit()
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    scores = model.predict_proba(x_valid)[:, 1]
    score_seconds = time.perf_counter() - started
    np.savetxt(f"{out_prefix}-{name}.txt", scores)
    print(json.dumps({"model": name, "trainSeconds": seconds, "scoreSeconds": score_seconds}), flush=True)


from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
import xgboost  # noqa: E402

xgb = xgboost.XGBClassifier(
    n_estimators=trees, learning_rate=rate, max_leaves=leaves, max_depth=0, grow_policy="lossguide",
    tree_method="hist", subsample=0.8, colsample_bytree=0.8, min_child_weight=1, reg_lambda=1,
    n_jobs=1, random_state=1,
)
report("xgboost", xgb, lambda: xgb.fit(x_train, y_train))

hgb = HistGradientBoostingClassifier(
    max_iter=trees, learning_rate=rate, max_leaf_nodes=leaves, min_samples_leaf=20, l2_regularization=1,
    early_stopping=False, random_state=1,
)
report("sklearn-hgb", hgb, lambda: hgb.fit(x_train, y_train))
