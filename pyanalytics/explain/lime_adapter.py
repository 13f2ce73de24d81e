"""LIME behind an adapter: local linear explanations of one prediction at a time.

``lime.lime_tabular.LimeTabularExplainer`` explains single-day models and
``RecurrentTabularExplainer`` explains windows (samples, timesteps, features); both describe each
feature by its quartile bin in original units (``rsi_14 <= 30.20``), because the estimators scale
their inputs themselves and LIME sees raw features.

Two changes make LIME fast enough to explain a hundred dates, without changing what it computes:

* the neighbourhood is sampled in one vectorised pass over all columns (lime's own sampler loops
  over columns and calls ``scipy.stats.truncnorm`` once per column, which costs most of a case's
  time for a window of 340 columns); the distribution is the same: each column's quartile bin is
  drawn with its training frequency and the value from a normal truncated to that bin;
* the model is called once per case on all perturbed samples, and the local ridge regression
  runs on one BLAS thread (two threads on a shared two-core machine were 14 times slower).

Tabular models explain their original columns (``explain_lime`` with ``categorical``): categorical
columns are LIME categorical features drawn with their training frequencies, and the predict
function turns each sample back into raw rows for the model's own preprocessing. The fast
sampler covers discretized columns only, so these run lime's own sampler (a few columns).

Importing this module does not import lime; ``explain_lime`` does.
"""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.special import ndtr, ndtri

CLASS_NAMES = ("down", "up")
UP = 1  # index of the explained class
REGRESSION_LABEL = 1  # lime keeps a regressor's weights (towards a higher value) under label 1


@dataclass(frozen=True)
class LimeCase:
    """One explained case: weights in the explainer's column order."""

    weights: np.ndarray  # (n_columns,), contribution of each column to the explained output
    descriptions: list  # (n_columns,) readable bin descriptions
    intercept: float
    r2: float
    local_prediction: float


def _number(value: float) -> str:
    """Bin edges readable at every scale: ``30.20``, ``0.70``, ``-0.0035``."""
    if value == 0 or abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def _readable_bins(discretizer, names) -> None:
    """Rewrite lime's ``%.2f`` bin names so that small features (returns) keep their digits."""
    for column in discretizer.names:
        edges = np.asarray(discretizer.mins[column][1:], dtype=np.float64)  # mins = [min, *quartiles]
        name = names[column]
        labels = [f"{name} <= {_number(edges[0])}"]
        labels += [f"{_number(lo)} < {name} <= {_number(hi)}" for lo, hi in pairwise(edges)]
        labels.append(f"{name} > {_number(edges[-1])}")
        discretizer.names[column] = labels


class _Tables:
    """The discretizer's per-column bin statistics as flat (column, bin) tables.

    ``p_low`` and ``p_width`` locate each bin's truncation bounds on the standard normal CDF, so
    sampling needs only one ``ndtri`` per value.
    """

    def __init__(self, explainer):
        disc = explainer.discretizer
        n_columns = len(explainer.feature_names)
        self.n_bins = n_bins = max(len(disc.means[c]) for c in range(n_columns))
        shape = (n_columns, n_bins)
        means, stds = np.zeros(shape), np.ones(shape)
        low, high = np.zeros(shape), np.zeros(shape)
        values_table = np.zeros(shape, dtype=np.int32)  # bin ids in the order of the frequencies
        self.thresholds = np.full((n_bins - 1, n_columns), 2.0)  # cumulative frequencies; 2 is never reached
        for c in range(n_columns):
            k = len(disc.means[c])
            means[c, :k], stds[c, :k] = disc.means[c], disc.stds[c]
            low[c, :k], high[c, :k] = disc.mins[c], disc.maxs[c]
            values = np.asarray(explainer.feature_values[c], dtype=np.int64)
            values_table[c, : len(values)] = values
            self.thresholds[: len(values) - 1, c] = np.cumsum(explainer.feature_frequencies[c])[:-1]
        # the bin mean lies inside the bin, so p_low <= 0.5 <= p_low + p_width: ndtri stays accurate
        p_low = ndtr((low - means) / stds)
        self.values = values_table.ravel()
        self.means, self.stds, self.p_low = means.ravel(), stds.ravel(), p_low.ravel()
        self.p_width = (ndtr((high - means) / stds) - p_low).ravel()


def _sample_neighbourhood(explainer, data_row: np.ndarray, num_samples: int):
    """lime's ``__data_inverse`` for discretized dense data, vectorised over columns.

    Each column's bin is drawn with its training frequency and the value from a normal with the
    bin's training mean and std truncated to the bin, as lime does. Returns ``(data, inverse)``:
    ``data`` says for each sample and column whether the sampled bin is the instance's bin (first
    row: the instance, all ones); ``inverse`` holds the sampled values in original units (first
    row: the instance itself).
    """
    tables = explainer._pyanalytics_tables
    rng = explainer._pyanalytics_rng
    n_columns = data_row.shape[0]
    instance_bins = explainer.discretizer.discretize(data_row).astype(np.int64)
    draws = rng.random((num_samples, n_columns))
    first_cells = np.arange(n_columns, dtype=np.intp) * tables.n_bins  # intp: take() needs no copy
    positions = np.broadcast_to(first_cells, draws.shape).copy()
    for threshold in tables.thresholds:
        positions += draws >= threshold
    bins = tables.values.take(positions)
    cells = positions
    np.add(first_cells, bins, out=cells)  # (samples, columns) cells of the flat tables
    p = rng.random((num_samples, n_columns), out=draws)
    p *= tables.p_width.take(cells)
    p += tables.p_low.take(cells)
    values = ndtri(p, out=p)
    values *= tables.stds.take(cells)
    values += tables.means.take(cells)
    data = (bins == instance_bins[None, :]).astype(np.float64)
    data[0] = 1.0
    values[0] = data_row
    return data, values


def _fast(cls):
    """A subclass of a lime explainer whose neighbourhood sampler is ``_sample_neighbourhood``."""

    class Fast(cls):
        def _LimeTabularExplainer__data_inverse(self, data_row, num_samples):
            if getattr(self, "_pyanalytics_tables", None) is None:
                self._pyanalytics_tables = _Tables(self)
            if getattr(self, "_pyanalytics_rng", None) is None:
                self._pyanalytics_rng = np.random.default_rng(self.random_state.randint(2**31))
            return _sample_neighbourhood(self, np.asarray(data_row, dtype=np.float64), num_samples)

    Fast.__name__ = Fast.__qualname__ = cls.__name__
    return Fast


def explain_lime(
    estimator,
    cases: np.ndarray,
    background: np.ndarray,
    feature_names: list[str],
    *,
    case_seeds: list[int],
    n_samples: int,
    seed: int,
    on_case=None,
    predict=None,
    labels=None,
    categorical: dict[int, list[str]] | None = None,
) -> tuple[str, list[LimeCase], list[str]]:
    """Explain each case with LIME.

    Args:
        estimator: a fitted direction model; ``predict_proba`` takes raw features. Ignored when
            ``predict`` is given.
        cases: the inputs to explain in original units, (n, features) or (n, timesteps, features).
        background: training inputs of the same kind, for the quartiles and bin statistics.
        feature_names: one name per feature (per timestep feature for windows).
        case_seeds: one seed per case for its neighbourhood, so that a case's explanation does
            not depend on which other cases are explained with it.
        n_samples: perturbed samples per case.
        seed: seeds the explainer's construction.
        on_case: ``on_case(done, total)`` after each case.
        predict: the model as a function of samples: class probabilities (n, k), or one value
            per sample for a regressor (with ``labels`` None). Default ``estimator.predict_proba``.
        labels: the explained class (column of ``predict``) per case; default the rise (1) for
            every case; None with ``predict`` given explains a regressor's value.
        categorical: ``{column: names of its codes}`` for categorical columns, which hold codes
            (0, 1, ...) in ``cases`` and ``background``.

    Returns:
        The lime class used, one ``LimeCase`` per case, and the explainer's column names (lime's
        ``<feature>_t-<lag>`` names for windows, feature-major, oldest lag first).
    """
    from lime import lime_tabular
    from sklearn.utils import check_random_state
    from threadpoolctl import threadpool_limits

    recurrent = cases.ndim == 3
    base = lime_tabular.RecurrentTabularExplainer if recurrent else lime_tabular.LimeTabularExplainer
    regression = predict is not None and labels is None
    options = {
        "mode": "regression" if regression else "classification",
        "feature_names": list(feature_names),
        "class_names": None if predict is not None else list(CLASS_NAMES),
        "discretize_continuous": True,
        "discretizer": "quartile",
        "feature_selection": "none",
        "random_state": seed,
    }
    if categorical:
        options |= {"categorical_features": sorted(categorical), "categorical_names": dict(categorical)}
    explainer = (base if categorical else _fast(base))(np.asarray(background, dtype=np.float64), **options)
    _readable_bins(explainer.discretizer, explainer.feature_names)
    n_columns = len(explainer.feature_names)
    predict_fn = estimator.predict_proba if predict is None else predict  # all of a case's samples in one call
    case_labels = [REGRESSION_LABEL if regression else UP] * len(cases) if labels is None else list(labels)

    results = []
    with threadpool_limits(limits=1, user_api="blas"):
        for i, (row, case_seed, label) in enumerate(zip(cases, case_seeds, case_labels), start=1):
            explainer.random_state = check_random_state(case_seed)  # lime's own draws
            explainer._pyanalytics_rng = np.random.default_rng(case_seed)  # the neighbourhood's
            exp = explainer.explain_instance(
                np.asarray(row, dtype=np.float64),
                predict_fn,
                labels=() if regression else (int(label),),
                num_features=n_columns,
                num_samples=n_samples,
            )
            weights = np.zeros(n_columns)
            for column, weight in exp.local_exp[label]:
                weights[int(column)] = weight
            results.append(
                LimeCase(
                    weights=weights,
                    descriptions=list(exp.domain_mapper.discretized_feature_names),
                    intercept=float(exp.intercept[label]),
                    r2=float(exp.score),
                    local_prediction=float(np.ravel(exp.local_pred)[0]),
                )
            )
            if on_case is not None:
                on_case(i, len(cases))
    return base.__name__, results, list(explainer.feature_names)
