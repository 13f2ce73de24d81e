"""Walk-forward over a universe of tickers: one engine task per (ticker, fold), resumable.

Every ticker's folds are independent fits, so they run as tasks on an engine (a local process
pool by default, or Dask; ``pyanalytics.engine``), each with a seed derived from the run's seed,
the ticker and the fold, so results are identical whatever runs them. Workers rebuild the
ticker's plan from its prices, fit the one fold and send back plain arrays and metrics; the
tickers' results are stitched here. With a store folder every finished task is kept on disk as
it completes, and a run started again computes only what is missing. Beside the per-ticker
models, a pooled model trades the universe cross-sectionally (``cross_section``), and the
result judges all of it after correcting for the number of strategies tried.
"""

import dataclasses
import inspect
import warnings
from functools import partial

from pyanalytics.engine import Task, TaskStore, fingerprint, frame_hash, run_tasks, task_seed
from pyanalytics.errors import DataError, DataWarning, ParameterError
from pyanalytics.finance.cross_section import (
    DEFAULT_MIN_TICKERS,
    assemble_cross_section,
    cross_section_panel,
    plan_cross_section,
    run_cross_section_fold,
)
from pyanalytics.finance.universe_files import data_warnings, load_universe
from pyanalytics.finance.universe_result import CROSS_SECTION, MultiWalkForwardResult
from pyanalytics.finance.walk_forward import FoldRun, plan_walk_forward
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_float, check_int, check_seed

TRADING_SETTINGS = ("mode", "cost_bps", "slippage_bps")  # they trade the fits' predictions: a store keeps its fits
POOLED_IGNORES = ("cost_fp", "tune_threshold", "dead_zone", "extra_features", "explain")


def walk_forward_many(
    universe,
    *,
    engine: str = "local",
    workers: int | None = None,
    store=None,
    strict: bool = False,
    cross_section: bool | None = None,
    quantile: float = 0.2,
    min_tickers: int = DEFAULT_MIN_TICKERS,
    drop_invalid: bool = False,
    on_task=None,
    seed: int | None = 0,
    **options,
) -> MultiWalkForwardResult:
    """``walk_forward`` on every ticker of a universe, its folds run in parallel, and a pooled strategy.

    Each ticker runs on its own whole history (its folds cut its own dates). A ticker whose prices
    cannot be read, whose history is too short for the folds, or one of whose folds fails is set
    aside with its reason in ``skipped``; the run goes on (``strict=True`` stops it instead).

    Args:
        universe: ``{ticker: prices frame}``, or a folder of price CSVs, a glob, a CSV file, or a
            list of them (tickers are the file names).
        engine: ``"local"`` (a process pool on this machine), ``"dask"`` (a local
            ``dask.distributed`` cluster), ``"serial"`` (this process, one task after another) or
            a Dask scheduler's address (``"tcp://host:8786"``).
        workers: processes of the local pool or cluster (default: every core).
        store: a folder keeping every finished task; a run started again with the same settings
            reuses them and computes only the missing tasks (``mode``, ``cost_bps`` and
            ``slippage_bps`` only trade the predictions, so they may change between runs; other
            settings or library versions are refused).
        strict: stop at the first ticker that cannot be run, instead of setting it aside.
        cross_section: also fit one model pooled across the tickers and trade a daily long-short
            portfolio on it (``pyanalytics.finance.cross_section``); default: when the model is
            the DNN and at least ``min_tickers`` tickers run.
        quantile: fraction of the tickers held long (top) and short (bottom) each day.
        min_tickers: dates with fewer tickers are left out of the cross-section.
        drop_invalid: drop rows holding an invalid cell instead of setting the ticker aside.
        on_task: progress callback ``on_task(key, done, total, status)`` as each task ends, with
            ``key`` like ``"AAPL/fold-3"`` and ``status`` ``"computed"``, ``"stored"`` or ``"failed"``.
        seed: the run's seed; ticker t's fold k fits with ``task_seed(task_seed(seed, t), k)``.
        **options: keyword arguments of ``walk_forward`` (``model``, ``folds``, ``horizon``, ...).

    Raises:
        ParameterError: an argument out of range (before anything is fitted).
        DataError: no ticker left to run, or a cross-section that was asked for and cannot be built.
        PyAnalyticsError: with ``strict``, the first ticker that fails, named first in the message.
        EngineError: a worker process died; finished tasks are in the store, if one was given.
    """
    seed = check_seed("seed", seed)
    check_float("quantile", quantile, low=0.0, high=0.5, low_open=True)
    min_tickers = check_int("min_tickers", min_tickers, minimum=2)
    prices, skipped, notes = load_universe(universe, drop_invalid=drop_invalid,
                                           extra=options.get("extra_features", ()), strict=strict)
    n_tickers = len(prices) + len(skipped)
    settings = _settings(options, seed, min_tickers, drop_invalid)
    task_settings = {name: value for name, value in settings.items() if name not in TRADING_SETTINGS}
    task_store = None if store is None else TaskStore(store, task_settings)
    plans = _plans(prices, options, seed, strict, skipped, notes)
    work = [  # (training rows, task): the longest fits go first, so no worker is left with one at the end
        (len(plan.blocks[number - 1][0]),
         Task(f"{name}/fold-{number}", fold_task, (plan.prices, {**options, "seed": task_seed(seed, name)}, number),
              fingerprint(task_settings, name, frame_hash(plan.prices), number)))
        for name, plan in plans.items()
        for number in range(1, plan.n_folds + 1)
    ]
    panel = _cross_section_panel(plans, cross_section, min_tickers, options, seed, notes)
    if panel is not None:
        work += [(len(panel.dates), task) for task in _cross_section_tasks(panel, plans, task_settings, seed)]
    tasks = [task for _, task in sorted(work, key=lambda pair: -pair[0])]
    outputs, errors, report = run_tasks(tasks, engine=engine, workers=workers, store=task_store, on_task=on_task,
                                        stop_on_error=strict)
    results = {}
    for name, plan in plans.items():
        runs = _fold_outputs(name, plan.n_folds, outputs, errors)
        if isinstance(runs, str):
            skipped[name] = runs
        else:
            results[name] = plan.finish([FoldRun.from_plain(run) for run in runs])
    if not results:
        raise _nothing_ran(skipped)
    pooled = None
    if panel is not None:
        runs = _fold_outputs(CROSS_SECTION, plans[next(iter(plans))].n_folds, outputs, errors)
        if isinstance(runs, str) and cross_section:
            raise DataError(f"{CROSS_SECTION}: {runs}")
        if isinstance(runs, str):
            notes.setdefault(CROSS_SECTION, []).append(runs)
        else:
            pooled = assemble_cross_section(panel, runs, quantile=quantile,
                                            cost_bps=settings["cost_bps"], slippage_bps=settings["slippage_bps"])
    return MultiWalkForwardResult(results=results, skipped=skipped, notes=notes, cross_section=pooled, run=report,
                                  config={"n_tickers": n_tickers, **settings, "quantile": quantile})


def _plans(prices: dict, options: dict, seed, strict: bool, skipped: dict, notes: dict) -> dict:
    """Ticker -> its checked plan (seeded from the run's seed and its name); those too short go to ``skipped``."""
    if CROSS_SECTION in prices:
        raise DataError(f"universe: a ticker is named {CROSS_SECTION!r}, the pooled model's name; rename its file.")
    plans = {}
    for name, frame in prices.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            try:
                plans[name] = plan_walk_forward(frame, seed=task_seed(seed, name), **options)
            except DataError as error:
                if strict:
                    raise DataError(f"{name}: {error}") from error
                skipped[name] = str(error)
        if found := data_warnings(caught):
            notes.setdefault(name, []).extend(found)
    if not plans:
        raise _nothing_ran(skipped)
    return plans


def _nothing_ran(skipped: dict) -> DataError:
    """The error of a universe none of whose tickers ran: the one ticker's reason, or every ticker's."""
    if len(skipped) == 1:
        return DataError("{}: {}".format(*next(iter(skipped.items()))))
    reasons = "; ".join(f"{name}: {reason}" for name, reason in skipped.items())
    return DataError(f"universe: none of the {len(skipped)} tickers could run ({reasons}).")


def _fold_outputs(name: str, n_folds: int, outputs: dict, errors: dict) -> list | str:
    """The outputs of ``name``'s folds in order, or the first fold's error when one failed."""
    keys = [f"{name}/fold-{number}" for number in range(1, n_folds + 1)]
    failed = [errors[key] for key in keys if key in errors]
    return failed[0] if failed else [outputs[key] for key in keys]


def _settings(options: dict, seed, min_tickers: int, drop_invalid: bool) -> dict:
    """The run's settings as plain data, with the defaults filled in (without ``TRADING_SETTINGS``,
    what a task store compares)."""
    bound = inspect.signature(plan_walk_forward).bind(None, **options)
    bound.apply_defaults()
    plain = {name: value for name, value in bound.arguments.items() if name != "prices"}
    spec = plain["spec"]
    plain["spec"] = None if spec is None else dataclasses.asdict(spec)
    return json_safe({**plain, "seed": seed, "min_tickers": min_tickers, "drop_invalid": drop_invalid})


def _cross_section_panel(plans: dict, wanted: bool | None, min_tickers: int, options: dict, seed, notes: dict):
    """The pooled panel, checked with the pooled model's settings before anything is fitted, or None when the
    cross-section is off (or, by default, cannot run: then ``notes`` says why)."""
    setup = next(iter(plans.values())).setup
    if wanted is False or (wanted is None and (setup.model != "dnn" or len(plans) < min_tickers)):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # each ticker's warnings are in its notes already
            panel = cross_section_panel({name: p.prices for name, p in plans.items()}, horizon=setup.horizon,
                                        spec=options.get("spec"), min_tickers=min_tickers)
        plan_cross_section(panel, **_pooled_settings(plans, seed))
    except (DataError, ParameterError) as error:
        if wanted:
            raise
        notes[CROSS_SECTION] = [str(error)]
        return None
    if ignored := [name for name in POOLED_IGNORES if options.get(name)]:
        notes[CROSS_SECTION] = [f"the pooled model does not use {', '.join(ignored)} (the tickers' models do)."]
    return panel


def _pooled_settings(plans: dict, seed) -> dict:
    """The pooled model's walk-forward settings: the tickers' folds, gap and model, a seed of its own."""
    plan = next(iter(plans.values()))
    setup, splitter = plan.setup, plan.splitter
    return {"folds": splitter.n_folds, "model": setup.model, "gap": setup.gap, "window_mode": splitter.window,
            "train_size": splitter.train_size, "test_size": splitter.test_size, "embargo": splitter.embargo,
            "validation": plan.options["validation"], "seed": task_seed(seed, CROSS_SECTION),
            "model_params": setup.model_params}


def _cross_section_tasks(panel, plans: dict, settings: dict, seed) -> list:
    """One task per fold of the pooled model (fold k fits with ``task_seed(its seed, k)``)."""
    pooled = _pooled_settings(plans, seed)
    data = fingerprint(*plans, *(frame_hash(p.prices) for p in plans.values()))
    return [Task(f"{CROSS_SECTION}/fold-{number}", partial(run_cross_section_fold, **pooled), (panel, number),
                 fingerprint(settings, CROSS_SECTION, data, number))
            for number in range(1, pooled["folds"] + 1)]


def fold_task(prices, options: dict, number: int) -> dict:
    """One engine task: rebuild the ticker's plan from its prices and run fold ``number`` (plain data back)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the parent's plan recorded them in the ticker's notes
        return plan_walk_forward(prices, **options).run_fold(number).to_plain()
