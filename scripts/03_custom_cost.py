"""Course example 3: a broker for whom a false positive costs alpha times a false negative.

Buying before a fall (false positive) loses more than missing a rise (false negative). Three
ways to decide, each judged by the expected cost per decision on the same test dates:

  plain @ 0.5       an ordinary DNN (binary cross-entropy) with the usual threshold
  plain @ tuned     the same DNN, threshold tuned on the validation part ("Solution 1"); theory
                    says alpha / (1 + alpha) for calibrated probabilities
  cost-sensitive    a DNN trained with the cost-weighted loss in a custom TensorFlow training
                    step ("Solution 2"), threshold 0.5

Run:  .venv/bin/python scripts/03_custom_cost.py
"""

import pandas as pd

from pyanalytics.data.windows import model_inputs
from pyanalytics.evaluation.costs import expected_cost, optimal_threshold, tune_threshold
from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.training import train_direction_model
from pyanalytics.settings import price_file

ALPHAS = (1, 2, 5, 10)
PARAMS = {"epochs": 30, "hidden_units": (32, 16)}


def probabilities(result, part: str):
    """The model's probabilities of a rise and the true labels on one part of the split."""
    rows = result.rows[part]
    X = model_inputs(result.dataset.X, rows, result.window)
    return result.estimator.predict_proba(X)[:, 1], result.dataset.y.to_numpy()[rows].astype(int)


def compare(prices: pd.DataFrame) -> pd.DataFrame:
    """Expected cost per decision on the test part of the three approaches, for each alpha."""
    plain = train_direction_model(prices, seed=0, model_params=PARAMS)
    p_val, y_val = probabilities(plain, "validation")
    p_test, y_test = probabilities(plain, "test")
    rows = []
    for alpha in ALPHAS:
        tuned = tune_threshold(y_val, p_val, alpha)
        weighted = train_direction_model(prices, seed=0, cost_fp=alpha, model_params=PARAMS)
        rows.append(
            {
                "alpha": alpha,
                "plain @ 0.5": expected_cost(y_test, p_test, 0.5, alpha),
                "plain @ tuned": expected_cost(y_test, p_test, tuned, alpha),
                "tuned threshold": tuned,
                "theory a/(1+a)": optimal_threshold(alpha),
                "cost-sensitive @ 0.5": weighted.metrics["dnn"]["expected_cost"],
                "ROC AUC plain": plain.metrics["dnn"]["roc_auc"],
                "ROC AUC cost-sens.": weighted.metrics["dnn"]["roc_auc"],
            }
        )
    return pd.DataFrame(rows).set_index("alpha")


markets = {"planted signal (synthetic, volume strength 1)": synthetic_market(3000, signal_strength=1.0, seed=0)}
if price_file("AAPL").is_file():
    markets["Apple (real)"] = load_prices(price_file("AAPL"))
pd.set_option("display.width", 140)
for name, prices in markets.items():
    print(f"\nExpected cost per decision on the test part: {name}")
    print(compare(prices).round(3).to_string())
