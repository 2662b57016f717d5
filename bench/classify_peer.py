"""Peers of Clearway's HS classification aid for `npm run bench:classify` (Debian's python3-sklearn).

Reads the labelled texts and evaluation descriptions the TypeScript side wrote (JSON: texts as
{text, hs6, weight}, cases as strings), fits scikit-learn TF-IDF features (word 1-2 grams and
char_wb 3-5 grams, sublinear tf) and, on them, the peer that fits this machine (2 cores):

- the 20 nearest labelled texts by cosine similarity at HS6 (KNeighborsClassifier, brute force,
  votes weighted by similarity).

LogisticRegression does not fit this bench on this machine: at HS4 or HS6 lbfgs runs out of memory
(1,229 or 5,758 classes by 150,000 features and its history), at HS2 50 iterations took 172 s on
40,000 features without converging, SGDClassifier with log loss (a binary model per class) took
more than seven minutes at HS4, and ComplementNB over every HS6 133 s to fit.

Writes, per model, its level, training seconds, the top five codes per case, and the suggestions
per second of one description at a time (the first 20 cases, median of three runs).
"""

import json
import statistics
import sys
import time

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import KNeighborsClassifier


timed_cases = 20


def log(message):
    print(message, file=sys.stderr, flush=True)


def features(texts, max_features):
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=max_features)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=max_features)
    matrix = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    return matrix, lambda batch: hstack([word.transform(batch), char.transform(batch)]).tocsr()


def top5(model, rows):
    scores = model.predict_proba(rows) if hasattr(model, "predict_proba") else model.decision_function(rows)
    order = np.argsort(-scores, axis=1)[:, :5]
    return [[str(model.classes_[j]) for j in row] for row in order]


def run(name, level, make, texts, labels, weights, cases, note, max_features):
    started = time.perf_counter()
    matrix, transform = features(texts, max_features)
    log(f"{name}: features {time.perf_counter() - started:.1f} s")
    model = make()
    targets = [label[:level] for label in labels]
    if weights is None:
        model.fit(matrix, targets)
    else:
        model.fit(matrix, targets, sample_weight=weights)
    seconds = time.perf_counter() - started
    log(f"{name}: trained {seconds:.1f} s")
    predictions = top5(model, transform(cases))
    rates = []
    timed = cases[:timed_cases]
    for _ in range(3):
        began = time.perf_counter()
        for case in timed:
            top5(model, transform([case]))
        rates.append(len(timed) / (time.perf_counter() - began))
    log(f"{name}: predicted {time.perf_counter() - started:.1f} s")
    return {
        "model": name,
        "level": level,
        "trainSeconds": round(seconds, 2),
        "suggestionsPerSecond": round(statistics.median(rates), 1),
        "note": note,
        "predictions": predictions,
    }


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        data = json.load(f)
    texts = [t["text"] for t in data["texts"]]
    labels = [t["hs6"] for t in data["texts"]]
    weights = np.array([t["weight"] for t in data["texts"]], dtype=float)
    cases = data["cases"]
    results = [
        run(
            "sklearn_tfidf_knn",
            6,
            lambda: KNeighborsClassifier(n_neighbors=20, weights="distance", metric="cosine", algorithm="brute"),
            texts,
            labels,
            None,
            cases,
            "TF-IDF word 1-2 + char_wb 3-5 (75,000 each), 20 nearest texts by cosine at HS6 (text weights not used); LogisticRegression infeasible here: lbfgs out of memory at HS4/HS6, 172 s for 50 iterations at HS2, SGD log loss over 7 min at HS4",
            75000,
        ),
    ]
    with open(target, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
