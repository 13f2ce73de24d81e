"""Issue 10, held-out style price files on the command line: refused with the counts per column
without --drop-invalid, trained with it, every warning on one line."""

import pytest
from cli_runner import invoke

from pyanalytics.finance import synthetic_market

pytestmark = pytest.mark.slow
YAHOO = {"open": "Open", "high": "High", "low": "Low", "close": "Close", "adj_close": "Adj Close", "volume": "Volume"}


def yahoo_export(path, n_days=700, seed=8):
    """A Yahoo-style CSV of a synthetic market; returns its rows as text (header first)."""
    table = synthetic_market(n_days, signal_strength=2.0, seed=seed).rename(columns=YAHOO).rename_axis("Date")
    table.to_csv(path, float_format="%.6f")
    return path.read_text().splitlines()


def train(data, out, *extra):
    return invoke("train", "--data", data, "--out", out, "--epochs", "1", *extra)


def test_yahoo_export_with_a_null_row(tmp_path):
    path = tmp_path / "YHOO.csv"
    lines = yahoo_export(path)
    day = lines[300].split(",")[0]
    lines[300] = f"{day},null,null,null,null,null,null"
    path.write_text("\n".join(lines) + "\n")

    code, _, err = train(path, tmp_path / "refused")
    assert code == 1 and err.count("\n") == 1
    assert f"1 of 700 rows invalid: column 'open', row 300 ({day}): value 'null' is not a number" in err
    assert f"column 'volume', row 300 ({day}): value 'null' is not a number" in err
    assert "--drop-invalid" in err
    assert not (tmp_path / "refused").exists()

    code, out, err = train(path, tmp_path / "bundle", "--drop-invalid")
    assert code == 0, err
    assert err.splitlines() == [
        f"warning: prices '{path}': dropped 1 of 700 rows as invalid: "
        f"column 'open', row 300 ({day}): value 'null' is not a number; "
        f"column 'high', row 300 ({day}): value 'null' is not a number; "
        f"column 'low', row 300 ({day}): value 'null' is not a number; "
        f"column 'close', row 300 ({day}): value 'null' is not a number; "
        f"column 'adj_close', row 300 ({day}): value 'null' is not a number; "
        f"column 'volume', row 300 ({day}): value 'null' is not a number; "
        f"1 of them inside the history, where returns now span the gap; 699 rows left "
        f"({lines[1][:10]} .. {lines[-1][:10]})."
    ]
    assert (tmp_path / "bundle" / "manifest.json").is_file()


def test_index_file_with_zero_opens_and_zero_volume(tmp_path):
    """Like an index before 1962: no opens (0) and no volume (0) in its early history."""
    path = tmp_path / "INDEX.csv"
    lines = yahoo_export(path)
    for row in range(1, 301):
        cells = lines[row].split(",")
        cells[1], cells[6] = ("0.000000" if row <= 150 else cells[1]), "0"
        lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")

    code, _, err = train(path, tmp_path / "refused")
    assert code == 1 and err.count("\n") == 1
    assert "150 of 700 rows invalid: column 'open': 150 values not positive ('0.000000'), first in rows 1" in err

    code, out, err = train(path, tmp_path / "bundle", "--drop-invalid")
    assert code == 0, err
    warnings = err.splitlines()
    assert len(warnings) == 2 and all(line.startswith("warning: ") for line in warnings)
    assert "dropped 150 of 700 rows as invalid" in warnings[0]
    assert f"start the prices after {lines[300][:10]}" in warnings[1]
    assert "leaves the volume feature out" in warnings[1]
    code, out, _ = invoke("predict", "--model", tmp_path / "bundle", "--data", path, "--drop-invalid", "--json")
    assert code == 0 and '"prob_up"' in out


def test_real_file_with_zero_opens_trains_with_drop_invalid(tmp_path, shared_data):
    path = shared_data("universe/ZTR.csv")
    code, _, err = train(path, tmp_path / "refused")
    assert code == 1 and "193 of 8,119 rows invalid: column 'open': 193 values not positive" in err
    code, _, err = train(path, tmp_path / "bundle", "--drop-invalid")
    assert code == 0, err
    assert "dropped 193 of 8,119 rows as invalid" in err
    assert all(line.startswith("warning: ") for line in err.splitlines())
