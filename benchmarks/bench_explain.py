"""Time to explain 100 dates with SHAP and with LIME, for the DNN and the LSTM.

Run with ``python -m benchmarks.bench_explain``; writes ``benchmarks/results/explain.json``.

The models are trained (``EPOCHS`` epochs, default architectures: DNN (64, 32), LSTM (32,) over
windows of 20 days) on Apple's prices (``price_file("AAPL")``) when the file exists, else on
the shared synthetic fallback (``benchmarks._common.load_market``). Each timed call is
``explain(result, method=..., last=DATES)`` with the defaults: SHAP uses GradientExplainer on
the network (``GRADIENT_SAMPLES`` expected-gradient samples per date), LIME draws
``LIME_SAMPLES`` perturbed samples per date.

Before the timed calls one warm-up call per model and method explains two dates, so importing
shap and lime (seconds, once per process) is not counted; everything else is: background
selection, building the explainer, tracing the network's gradient function, every date, and the
tidy frame. Each figure is the median of ``ROUNDS`` timed calls. CPU time of the process (all
threads) is reported beside the wall time because other work on a shared machine inflates the
wall time.
"""

import statistics
import time

from benchmarks._common import load_market
from benchmarks._results import row, write_results
from pyanalytics.explain import explain
from pyanalytics.explain.shap_adapter import GRADIENT_SAMPLES
from pyanalytics.finance.training import train_direction_model

EPOCHS = 3
DATES = 100
LIME_SAMPLES = 5000
ROUNDS = 3
# Samples per date by method. SHAP honours n_samples since issue 10 (it used a fixed 200 before),
# so each method gets its own.
SAMPLES = {"shap": GRADIENT_SAMPLES, "lime": LIME_SAMPLES}
TARGETS = {("dnn", "shap"): 2, ("dnn", "lime"): 10, ("lstm", "shap"): 10, ("lstm", "lime"): 30}


def timed(call) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    prices, label = load_market()
    rows = []
    lines = []
    for model in ("dnn", "lstm"):
        result = train_direction_model(prices, model=model, seed=0, model_params={"epochs": EPOCHS})
        for method in ("shap", "lime"):
            explain(result, method=method, last=2, n_samples=SAMPLES[method])  # warm-up

            def explain_dates(result=result, method=method):
                explain(result, method=method, last=DATES, n_samples=SAMPLES[method])

            runs = [timed(explain_dates) for _ in range(ROUNDS)]
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            target = TARGETS[(model, method)]
            name = f"explain_{model}_{method}_{DATES}_dates"
            rows.append(row(f"{name}_s", round(wall, 3), "s", f"<= {target}"))
            rows.append(row(f"{name}_cpu_s", round(cpu, 3), "s", None))
            lines.append(f"{model} {method}: {wall:.2f} s wall, {cpu:.2f} s CPU (target <= {target} s)")
    write_results("explain", rows)
    detail = f"SHAP GradientExplainer {GRADIENT_SAMPLES} samples/date, LIME {LIME_SAMPLES} samples/date"
    print(f"explain {DATES} dates on {label} ({detail}, median of {ROUNDS}):")
    for line in lines:
        print(f"  {line}")


if __name__ == "__main__":
    main()
