"""`pyanalytics explain`: why the model predicts a rise or a fall on given dates (LIME or SHAP)."""

from typing import Annotated, Literal

import typer

from pyanalytics.cli.common import BundleOption, DataOption, DropInvalidOption, JsonOption, load_bundle_data, print_json, progress_bar, stdout

TOP_FEATURES = 6


def parse_dates(dates: str | None) -> list[str] | None:
    """``"2023-08-01,2023-08-02"`` -> a list of date strings (None stays None)."""
    return None if dates is None else [d.strip() for d in dates.split(",") if d.strip()]


def render_cases(result) -> None:
    """Per date: the probability of a rise and the strongest contributions, lags summed."""
    per_feature = result.per_feature()
    first = result.frame.drop_duplicates("case").set_index("case")
    for case, rows in per_feature.groupby("case", sort=False):
        top = rows.reindex(rows["feature_weight"].abs().sort_values(ascending=False).index).head(TOP_FEATURES)
        prob = first.loc[case, "label_prob"]
        stdout.print(f"[bold]{case.date()}[/]  P(up) {prob:.3f}  ({result.method}, {result.explainer})")
        for _, row in top.iterrows():
            sign = "[green]+[/]" if row["feature_weight"] >= 0 else "[red]-[/]"
            stdout.print(f"  {sign} {row['feature']:<20} {row['feature_weight']:+.4f}   value {row['feature_value']:.4g}")
    for name, value in result.quality.items():
        stdout.print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")


def explain(
    model: BundleOption,
    data: DataOption,
    method: Annotated[Literal["lime", "shap"], typer.Option("--method", help="Explainer library.")] = "shap",
    last: Annotated[int, typer.Option("--last", min=1, help="Explain the most recent N dates.")] = 5,
    dates: Annotated[
        str | None, typer.Option("--dates", help="Explain these dates instead (YYYY-MM-DD,YYYY-MM-DD).")
    ] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the tidy frame as CSV.")] = False,
) -> None:
    """Explain the bundle's predictions on chosen dates: each feature's contribution to P(up)."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv, not both.", param_hint="--json/--csv")
    from pyanalytics.bundle import load_bundle
    from pyanalytics.explain import explain as run_explain

    bundle = load_bundle(model)
    prices = load_bundle_data(bundle, data, drop_invalid=drop_invalid)
    with progress_bar(f"explaining with {method}", not (as_json or as_csv)) as update:
        result = run_explain(bundle, prices, method=method, dates=parse_dates(dates), last=last, on_case=update)
    frame = result.to_frame()
    frame["case"] = frame["case"].dt.strftime("%Y-%m-%d")
    if as_csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif as_json:
        print_json(frame.to_dict(orient="records"))
    else:
        render_cases(result)
