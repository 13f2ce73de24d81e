"""`pyanalytics explain`: why the model predicts a rise or a fall on given dates, or what a tabular
model predicts for given rows (LIME or SHAP)."""

from typing import Annotated, Literal

import typer
from rich.markup import escape

from pyanalytics.cli.common import (
    BundleOption,
    DataOption,
    DropInvalidOption,
    JsonOption,
    load_bundle_data,
    load_rows,
    print_json,
    progress_bar,
    refuse_own_commands,
    stdout,
)
from pyanalytics.errors import ParameterError

TOP_FEATURES = 6


def parse_dates(dates: str | None) -> list[str] | None:
    """``"2023-08-01,2023-08-02"`` -> a list of date strings (None stays None)."""
    return None if dates is None else [d.strip() for d in dates.split(",") if d.strip()]


def parse_rows(rows: str | None) -> list[int] | None:
    """``"3,17"`` -> ``[3, 17]``, the CSV's row numbers (None stays None)."""
    if rows is None:
        return None
    try:
        return [int(r) for r in rows.split(",") if r.strip()]
    except ValueError:
        raise ParameterError(f"--rows: expected row numbers of the CSV such as 3,17 (the first data row is 1), got {rows!r}.") from None


def render_cases(result) -> None:
    """Per case: what is explained and the strongest contributions (lags summed; for tabular
    models each column with its value in words)."""
    per_feature = result.per_feature()
    first = result.frame.drop_duplicates("case").set_index("case")
    tabular = result.task is not None
    for case, rows in per_feature.groupby("case", sort=False):
        top = rows.reindex(rows["feature_weight"].abs().sort_values(ascending=False).index).head(TOP_FEATURES)
        explained = result.explains(first.loc[case, "label"])
        shown = f"row {case}" if tabular else case.date()
        value = first.loc[case, "label_prob"]
        value = f"{value:.4g}" if result.task == "regression" else f"{value:.3f}"
        stdout.print(f"[bold]{shown}[/]  {escape(explained)} {value}  ({result.method}, {result.explainer})")
        descriptions = result.frame[result.frame["case"] == case].set_index("feature")["feature_desc"]
        for _, row in top.iterrows():
            sign = "[green]+[/]" if row["feature_weight"] >= 0 else "[red]-[/]"
            value = escape(descriptions[row["feature"]]) if tabular else f"value {row['feature_value']:.4g}"
            stdout.print(f"  {sign} {escape(row['feature']):<20} {row['feature_weight']:+.4f}   {value}")
    for name, value in result.quality.items():
        stdout.print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")


def explain(
    model: BundleOption,
    data: DataOption,
    method: Annotated[Literal["lime", "shap"], typer.Option("--method", help="Explainer library.")] = "shap",
    last: Annotated[int, typer.Option("--last", min=1, help="Explain the most recent N dates (the last N rows).")] = 5,
    dates: Annotated[
        str | None, typer.Option("--dates", help="Explain these dates instead (YYYY-MM-DD,YYYY-MM-DD).")
    ] = None,
    rows: Annotated[
        str | None, typer.Option("--rows", help="Tabular bundle: explain these rows of the CSV instead (3,17; the first data row is 1).")
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", help="Multi-class bundle: explain this class (default: each row's predicted class).")
    ] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the tidy frame as CSV.")] = False,
) -> None:
    """Explain the bundle's predictions: each feature's contribution to P(up) on chosen dates, or
    for a tabular bundle each column's contribution to the predicted probability (binary: of the
    positive class; multi-class: of the predicted class or --label) or value (regression) of rows."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv, not both.", param_hint="--json/--csv")
    from pyanalytics.bundle import load_bundle
    from pyanalytics.domains import is_tabular
    from pyanalytics.explain import explain as run_explain

    bundle = load_bundle(model)
    refuse_own_commands(bundle, "explain")
    tabular = is_tabular(bundle)
    options = {"dates": parse_dates(dates), "rows": parse_rows(rows), "label": label}
    table = load_rows(data) if tabular else load_bundle_data(bundle, data, drop_invalid=drop_invalid)
    with progress_bar(f"explaining with {method}", not (as_json or as_csv)) as update:
        result = run_explain(bundle, table, method=method, last=last, on_case=update, **options)
    frame = result.to_frame()
    if not tabular:
        frame["case"] = frame["case"].dt.strftime("%Y-%m-%d")
    if as_csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif as_json:
        print_json(frame.to_dict(orient="records"))
    else:
        render_cases(result)
