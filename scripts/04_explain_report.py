"""Course example 4: why does the DNN say "up" or "down" on a given day? LIME and SHAP, and a report.

Fits the stock-trend DNN on Apple (or the synthetic market), explains its last 10 predictions
with SHAP (expected gradients) and LIME (a local linear model), measures how far the two agree,
and writes one self-contained HTML report.

Run:  .venv/bin/python scripts/04_explain_report.py [REPORT.html]
"""

import sys

from pyanalytics.explain import explain, rank_agreement, with_lime_stability
from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.training import train_direction_model
from pyanalytics.reports import write_report
from pyanalytics.settings import price_file

CASES = 10
out = sys.argv[1] if len(sys.argv) > 1 else "apple_dnn_report.html"

path = price_file("AAPL")
prices = load_prices(path) if path.is_file() else synthetic_market(3000, signal_strength=1.0)
result = train_direction_model(prices, seed=0, model_params={"epochs": 30})
print(f"DNN test ROC AUC {result.metrics['dnn']['roc_auc']:.3f}")

explanations = {method: explain(result, method=method, last=CASES) for method in ("shap", "lime")}
explanations["lime"] = with_lime_stability(explanations["lime"], result)  # LIME vs itself, 3 seeds
for method, explained in explanations.items():
    print(f"\n{method} ({explained.explainer}): global importance, mean |contribution|")
    print(explained.global_importance().head(8).round(4).to_string())
    print("quality:", {k: round(v, 4) if isinstance(v, float) else v for k, v in explained.quality.items()})

agreement = rank_agreement(explanations["lime"], explanations["shap"])
agreement["case"] = [c if c == "overall" else c.date() for c in agreement["case"]]
print("\nLIME vs SHAP rank agreement (Spearman):")
print(agreement.round(3).to_string(index=False))

print(f"\nReport written to {write_report(out, result, explanations=explanations, cases=CASES)}")
