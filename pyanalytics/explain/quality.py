"""How far to trust an explanation: LIME's stability across seeds.

LIME samples a random neighbourhood around each case, so two seeds give two explanations. If
they rank the features differently, neither ranking says much. ``lime_stability`` explains the
same dates with several seeds and measures how well the per-feature weights agree.
"""

from dataclasses import replace
from itertools import combinations

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError


def lime_stability(
    model,
    data=None,
    dates=None,
    *,
    seeds=(0, 1, 2),
    last: int = 10,
    background=None,
    n_samples: int = 5000,
    on_case=None,
) -> pd.DataFrame:
    """Mean pairwise Spearman correlation of LIME's per-feature weights across seeds.

    Each seed explains the same dates (see ``explain`` for ``model``, ``data``, ``dates``,
    ``last``, ``background`` and ``n_samples``). Per date, the signed per-feature weights (lags
    summed for sequence models) of every pair of seeds are rank-correlated and the correlations
    averaged. 1 means every seed ranks the features identically.

    Args:
        seeds: at least two distinct seeds.
        on_case: ``on_case(done, total)`` over all seeds' cases.

    Returns:
        A frame with columns ``case`` and ``spearman``, one row per date and a last row
        ``case = "overall"`` holding the mean over the dates.
    """
    from scipy.stats import spearmanr

    from pyanalytics.explain.explain import explain

    seeds = list(seeds)
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ParameterError(f"seeds: expected at least two distinct seeds, got {seeds!r}.")
    explained = []
    for k, seed in enumerate(seeds):

        def progress(done, total, k=k):
            if on_case is not None:
                on_case(k * total + done, len(seeds) * total)

        result = explain(
            model,
            data,
            method="lime",
            dates=dates,
            last=last,
            background=background,
            n_samples=n_samples,
            seed=seed,
            on_case=progress,
        )
        explained.append(result.per_feature().set_index(["case", "feature"])["feature_weight"])
    weights = pd.concat(explained, axis=1, keys=range(len(seeds)))
    rows = []
    for case, table in weights.groupby(level="case", sort=False):
        rhos = [spearmanr(table[a], table[b]).statistic for a, b in combinations(range(len(seeds)), 2)]
        rows.append({"case": case, "spearman": float(np.mean(rhos))})
    overall = float(np.mean([r["spearman"] for r in rows]))
    rows.append({"case": "overall", "spearman": overall})
    return pd.DataFrame(rows)


def with_lime_stability(result, model, data=None, *, seeds=(0, 1, 2), n_samples: int = 5000, background=None):
    """``result`` (a LIME ExplanationResult) with ``stability_spearman`` added to its quality.

    The figure is ``lime_stability``'s overall mean over the same dates, so reports show how far
    LIME agrees with itself next to how far it agrees with SHAP.
    """
    if result.method != "lime":
        raise ParameterError(f"result: expected a LIME explanation, got method {result.method!r}.")
    stability = lime_stability(
        model, data, dates=result.cases, seeds=seeds, n_samples=n_samples, background=background
    )
    overall = float(stability.loc[stability["case"] == "overall", "spearman"].iloc[0])
    return replace(result, quality={**result.quality, "stability_spearman": overall})
