"""`pyanalytics sequence explain`: which features moved a sequence model's output on the last windows of a
series (LIME or SHAP, each feature's cells summed over the window's steps; a forecast per horizon)."""

from typing import Annotated, Literal

import typer
from rich.markup import escape

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, domain_bundle, load_rows, print_json, progress_bar, stdout
from pyanalytics.cli.explain import TOP_FEATURES


def explain(
    model: BundleOption,
    data: RowsOption,
    method: Annotated[Literal["shap", "lime"], typer.Option("--method", help="The explainer.")] = "shap",
    last: Annotated[int, typer.Option("--last", min=1, help="Explain the windows ending at the last N rows.")] = 3,
    horizon: Annotated[
        list[int] | None, typer.Option("--horizon", min=1, help="A forecaster's horizon to explain; repeat for several "
                                       "(default: every horizon).", show_default=False)
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the explainer's draws.")] = 0,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the tidy frame as CSV.")] = False,
) -> None:
    """Explain a sequence bundle's classes or forecasts on the last windows of a series, feature by feature."""
    from pyanalytics.cli.predict import check_one_format
    from pyanalytics.sequence.explain import explain_sequences

    check_one_format(as_json, as_csv)
    bundle = domain_bundle(model, "sequence")
    with progress_bar(f"explaining with {method}", not (as_json or as_csv)) as update:
        result = explain_sequences(bundle, load_rows(data), method=method, n=last, horizon=horizon or None, seed=seed,
                                   on_case=update)
    frame = result.frame
    if as_csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif as_json:
        frame = frame.assign(case=frame["case"].map(lambda t: t.isoformat() if hasattr(t, "isoformat") else t))
        print_json({"quality": result.quality, "explanations": frame.to_dict(orient="records")})
    else:
        render_windows(result)


def render_windows(result) -> None:
    """Per window (and horizon): what is explained, its value and the strongest features."""
    for (case, label), rows in result.frame.groupby(["case", "label"], sort=False):
        top = rows.reindex(rows["feature_weight"].abs().sort_values(ascending=False).index).head(TOP_FEATURES)
        stdout.print(f"[bold]{case}[/]  {escape(result.explains(label))} {rows['label_prob'].iloc[0]:.4g}  "
                     f"({result.method}, {result.explainer})")
        for row in top.itertuples():
            sign = "[green]+[/]" if row.feature_weight >= 0 else "[red]-[/]"
            stdout.print(f"  {sign} {escape(str(row.feature)):<20} {row.feature_weight:+.4f}   {escape(row.feature_desc)}")
    for name, value in result.quality.items():
        stdout.print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")
