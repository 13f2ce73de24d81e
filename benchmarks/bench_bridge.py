"""rpy2 bridge round trip, pandas -> R data.frame -> pandas, beside rpy2's pandas2ri converter.

Run with ``python -m benchmarks.bench_bridge``; writes ``benchmarks/results/bridge.json``.

Two frames of 100,000 rows: ``doubles``, 20 float64 columns; ``mixed``, the same plus a
``date`` column (daily dates: an R Date) and a ``ticker`` string column (500 distinct values).
Each makes the round trip ``to_pandas(to_r(frame))`` (checked equal to the frame) ``REPEATS``
times after one warm-up: the median is the figure, the best run information. The spread between
runs (~7 ms to ~60 ms for the doubles) is mostly R's full garbage collections, which the 16 MB of
new R vectors per trip sets off every few trips. Then, in the same process, rpy2's ``pandas2ri``
converter (``py2rpy`` then ``rpy2py``) runs once, as it takes seconds. Where R or rpy2 is
missing the file holds one row saying so, and the program exits normally.
"""

import statistics
import time

import numpy as np
import pandas as pd

from benchmarks._results import row, write_results
from pyanalytics.errors import RBridgeError
from pyanalytics.interop import rpy2_bridge

ROWS = 100_000
COLUMNS = 20
TICKERS = 500
REPEATS = 7


def frames() -> dict[str, pd.DataFrame]:
    doubles = pd.DataFrame(np.random.default_rng(0).normal(size=(ROWS, COLUMNS))).add_prefix("x")
    dates = pd.date_range("1900-01-01", periods=ROWS, freq="D").as_unit("ns")
    tickers = pd.Series([f"T{i % TICKERS:03d}" for i in range(ROWS)], dtype="str")
    return {"doubles": doubles, "mixed": doubles.assign(date=dates, ticker=tickers)}


def seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def ours(frame: pd.DataFrame) -> list[float]:
    """Seconds of each of the bridge's round trips, after checking one returns ``frame``."""
    pd.testing.assert_frame_equal(rpy2_bridge.to_pandas(rpy2_bridge.to_r(frame)), frame)
    return [seconds(lambda: rpy2_bridge.to_pandas(rpy2_bridge.to_r(frame))) for _ in range(REPEATS)]


def pandas2ri(frame: pd.DataFrame) -> float:
    """Seconds of one round trip through rpy2's generic pandas converter."""
    from rpy2.robjects import default_converter, pandas2ri

    def round_trip():
        with (default_converter + pandas2ri.converter).context() as converter:
            back = converter.rpy2py(converter.py2rpy(frame))
        assert back.shape == frame.shape

    return seconds(round_trip)


def main() -> None:
    try:
        rpy2_bridge.to_r(pd.DataFrame({"x": [1.0]}))
    except RBridgeError as error:
        write_results("bridge", [row("skipped: R or rpy2 is missing (make test installs them)", None, "", None)])
        print(f"bridge: skipped: {error}")
        return
    rows, lines = [], []
    for name, frame in frames().items():
        times, generic = ours(frame), pandas2ri(frame)
        bridge = statistics.median(times)
        target = "<= 0.1" if name == "doubles" else None
        rows += [
            row(f"bridge_round_trip_{name}_seconds", round(bridge, 4), "s", target),
            row(f"bridge_round_trip_{name}_best_seconds", round(min(times), 4), "s", None),
            row(f"pandas2ri_round_trip_{name}_seconds", round(generic, 3), "s", None),
            row(f"bridge_speedup_{name}", round(generic / bridge, 1), "x", None),
        ]
        lines.append(f"{name} {bridge * 1000:.0f} ms vs pandas2ri {generic:.2f} s ({generic / bridge:.0f}x)")
    write_results("bridge", rows)
    print(f"bridge: 100,000 rows round trip, {'; '.join(lines)}")


if __name__ == "__main__":
    main()
