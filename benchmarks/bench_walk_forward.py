"""Walk-forward wall time per fold: the DNN retrained on each fold of Apple's history.

Run with ``python -m benchmarks.bench_walk_forward``; writes ``benchmarks/results/walk_forward.json``.

``walk_forward(prices, model="dnn", folds=FOLDS)`` with the library defaults: the DNN's default
architecture and ``epochs=50`` with early stopping (patience 5) on the last 15% of each fold's
training rows, an expanding window, a purge gap of one row, 5 bp costs. The prices are Apple's
(``price_file("AAPL")``) when the file exists, else the shared synthetic fallback
(``benchmarks._common.load_market``). TensorFlow is warmed up first with one small fit, so
importing and first tracing are not counted. Each fold's wall time runs from the previous fold's
end (``on_fold``) to its own and covers fitting the model and the four baselines, predicting the
block and scoring it; folds grow with the expanding window, so the last is the slowest. The time
outside the folds (features, backtest, stitching) is reported beside them. Information only:
the issue sets no target for this figure.
"""

import statistics
import time

from benchmarks._common import load_market
from benchmarks._results import row, write_results
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.training import train_direction_model
from pyanalytics.finance.walk_forward import walk_forward

FOLDS = 3


def main() -> None:
    prices, label = load_market()
    train_direction_model(synthetic_market(600, seed=0), model_params={"epochs": 1})  # warm-up
    ends = []
    start = time.perf_counter()
    cpu = time.process_time()
    result = walk_forward(prices, model="dnn", folds=FOLDS, seed=0,
                          on_fold=lambda *_: ends.append(time.perf_counter()))
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    per_fold = [b - a for a, b in zip([start, *ends], ends)]
    folds = result.folds
    rows = [
        row("walk_forward_dnn_seconds_per_fold_median", round(statistics.median(per_fold), 2), "s", None),
        row("walk_forward_dnn_seconds_per_fold_max", round(max(per_fold), 2), "s", None),
        row("walk_forward_dnn_total_seconds", round(total, 2), "s", None),
        row("walk_forward_dnn_cpu_seconds", round(cpu, 2), "s", None),
        row("walk_forward_dnn_seconds_outside_folds", round(total - sum(per_fold), 2), "s", None),
        *(row(f"walk_forward_dnn_fold{f.fold}_seconds", round(s, 2), "s", None)
          for f, s in zip(folds.itertuples(), per_fold)),
        row(f"walk_forward_dnn_folds_{label}", FOLDS, "folds", None),
        row("walk_forward_dnn_train_rows_last_fold", int(folds["n_train"].iloc[-1]), "rows", None),
        row("walk_forward_dnn_best_epochs", ", ".join(map(str, folds["best_epoch"])), "", None),
        row("walk_forward_dnn_out_of_sample_auc", round(result.metrics["dnn"]["roc_auc"], 4), "", None),
    ]
    write_results("walk_forward", rows)
    print(
        f"walk_forward: DNN on {label}, {FOLDS} folds: {statistics.median(per_fold):.1f} s per fold median, "
        f"{max(per_fold):.1f} s max ({', '.join(f'{s:.1f}' for s in per_fold)}); {total:.1f} s in all, "
        f"best epochs {list(folds['best_epoch'])}"
    )


if __name__ == "__main__":
    main()
