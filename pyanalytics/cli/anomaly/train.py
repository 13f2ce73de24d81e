"""`pyanalytics anomaly train`: fit an autoencoder on the normal rows of a CSV beside the anomaly
baselines, choose its threshold on validation rows, write a bundle."""

from pathlib import Path
from typing import Annotated, Literal

import typer

from pyanalytics.cli.common import (
    EpochsOption,
    JsonOption,
    RowsOption,
    SeedOption,
    epoch_progress,
    parse_units,
    print_json,
    shown,
    stdout,
    task_table,
)
from pyanalytics.defaults import AUTOENCODER_NAMES, THRESHOLD_RULE_NAMES

DEFAULT_EPOCHS = 50


def train(
    data: RowsOption,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the detector bundle to.")],
    label: Annotated[
        str | None, typer.Option("--label", help="The 0/1 column (1 = anomaly); omit for unlabelled data.")
    ] = None,
    time_column: Annotated[
        str | None, typer.Option("--time-column", help="Split chronologically by this column (not a feature).")
    ] = None,
    amount_column: Annotated[
        str | None, typer.Option("--amount-column", help="The feature a missed anomaly costs (for --rule cost).")
    ] = None,
    model: Annotated[Literal[AUTOENCODER_NAMES], typer.Option("--model", help="The autoencoder.")] = "autoencoder",
    rule: Annotated[
        Literal[THRESHOLD_RULE_NAMES] | None,
        typer.Option("--rule", help="How validation rows choose the threshold (default: recall with --label, "
                     "else quantile).", show_default=False),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option("--target", help="The rule's target: a precision or recall, top_k alerts, a fraction of rows, "
                     "cost's review fee per alert, or a quantile of normal training scores.", show_default=False),
    ] = None,
    hidden_units: Annotated[
        str, typer.Option("--hidden-units", help="Sizes of the encoder's hidden layers, comma-separated (the decoder mirrors them).")
    ] = "16",
    code_size: Annotated[int, typer.Option("--code-size", min=1, help="Units of the code (bottleneck) layer.")] = 4,
    epochs: EpochsOption = DEFAULT_EPOCHS,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="A setting of the chosen autoencoder as KEY=VALUE, repeatable: l1 (sparse), "
                     "noise, noise_level (denoising), beta, score_by (variational), learning_rate, batch_size, "
                     "patience, activation.", show_default=False),
    ] = None,
    validation: Annotated[float, typer.Option("--validation", help="Share of the rows that chooses the threshold.")] = 0.15,
    test: Annotated[float, typer.Option("--test", help="Share of the rows that scores the models.")] = 0.15,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the HTML report on the test part to this file.",
                                  show_default=False)
    ] = None,
    seed: SeedOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Train an autoencoder on normal rows, test it beside IsolationForest, PCA and the supervised ceiling, save it.

    The supervised ceiling needs --label; without it the threshold is a quantile of normal training scores.
    """
    from pyanalytics.anomaly import train_anomaly
    from pyanalytics.bundle import check_target

    units = parse_units(hidden_units)
    settings = dict(_setting(text) for text in param or ())
    if report is not None and label is None:
        raise typer.BadParameter("the report draws precision, recall and scores per class, so it needs --label.",
                                 param_hint="--report")
    check_target(out)  # an --out that cannot be written or replaced fails before training
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_anomaly(data, label=label, time_column=time_column, amount_column=amount_column, model=model,
                               rule=rule, target=target, validation=validation, test=test, seed=seed,
                               on_epoch=on_epoch, **{"hidden_units": units, "code_size": code_size, "epochs": epochs,
                                                     **settings})
    if report is not None:  # before the bundle: a report that cannot be written leaves nothing behind
        from pyanalytics.anomaly.report import write_anomaly_report

        report = write_anomaly_report(report, result)
    bundle = result.save(out)
    summary = {**result.summary(bundle), "report": None if report is None else str(report)}
    if as_json:
        print_json(summary)
        return
    split = summary["split"]
    how = f"chronological by {time_column!r}" if time_column else "seeded" + (", stratified" if label else "")
    stdout.print(f"Trained [bold]{model}[/] on {shown(data)}" + (f" for {shown(label)}" if label else " (no label)")
                 + f", best epoch {summary['best_epoch']}.")
    stdout.print(f"Split ({how}): train {split['train']:,} normal rows, validation {split['validation']:,}, "
                 f"test {split['test']:,}.")
    for note in result.notes:
        stdout.print(f"note: {shown(note)}")
    table = result.metrics_table().dropna(axis=1, how="all")  # unlabelled rows: alert counts only
    stdout.print(task_table(table, "Test part: the detector beside the baselines"))
    stdout.print(result.verdict.sentence)
    stdout.print(threshold_line(summary["threshold"]))
    stdout.print(f"Bundle written to {shown(bundle)}")
    if report is not None:
        stdout.print(f"Report written to {shown(report)}")


def _setting(text: str) -> tuple[str, object]:
    """``"noise_level=0.3"`` -> ``("noise_level", 0.3)``: a number where it reads as one, else the text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"expected KEY=VALUE, got {text!r}.", param_hint="--param")
    for kind in (int, float):
        try:
            return key.strip(), kind(value)
        except ValueError:
            pass
    return key.strip(), value.strip()


def threshold_line(threshold: dict) -> str:
    """``Flags a row when its score >= 2.322 (rule recall 0.8, chosen on validation rows: 35 alerts, ...)``."""
    chosen = threshold["validation"]
    found = [f"{chosen['alerts']:,.0f} alerts"]
    found += [f"{name} {chosen[name]:.3f}" for name in ("precision", "recall") if name in chosen]
    if "cost" in chosen:
        found.append(f"cost {chosen['cost']:,.2f}")
    rows = "normal training rows" if threshold["rule"] == "quantile" else "validation rows"
    return (f"Flags a row when its score >= {threshold['value']:.4g} (rule {threshold['rule']} "
            f"{threshold['target']:g}, chosen on {rows}: {', '.join(found)}).")
