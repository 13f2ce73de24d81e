"""Window construction: ``window_view`` over a long series of 5 features, windows of 20 steps.

Run with ``python -m benchmarks.bench_sequence_windows``; writes
``benchmarks/results/sequence_windows.json``.

* Target (``>= 5e6`` windows/s): ``window_view(values, 20)`` on ``N_ROWS`` x 5 float64 rows, the
  strided read-only view every sequence task cuts its windows from; checked to share the
  series' memory (no copy). The rate is windows made per second of the median call.
* Information: ``windows_ending_at`` for the last ``COPY_WINDOWS`` end rows, the float64 copy a
  model is fitted on, as windows/s and MB/s written; its cost grows with the windows, the view's
  does not.
"""

import statistics
import time

import numpy as np

from benchmarks._results import row, write_results
from pyanalytics.data.sequences import window_view, windows_ending_at

N_ROWS = 1_000_000
N_FEATURES = 5
WINDOW = 20
REPEATS = 50
COPY_REPEATS = 5
COPY_WINDOWS = 100_000  # 80 MB of windows


def median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    values = np.random.default_rng(0).normal(size=(N_ROWS, N_FEATURES))
    view = window_view(values, WINDOW)
    n_windows = len(view)
    assert view.shape == (n_windows, WINDOW, N_FEATURES) and np.shares_memory(view, values), "not a view"
    np.testing.assert_array_equal(view[123], values[123 : 123 + WINDOW])
    view_seconds = median_seconds(lambda: window_view(values, WINDOW), REPEATS)
    ends = np.arange(N_ROWS - COPY_WINDOWS, N_ROWS)
    copy_seconds = median_seconds(lambda: windows_ending_at(values, ends, WINDOW), COPY_REPEATS)
    view_rate, copy_rate = n_windows / view_seconds, COPY_WINDOWS / copy_seconds
    copy_mb = COPY_WINDOWS * WINDOW * N_FEATURES * 8 / 1e6
    write_results(
        "sequence_windows",
        [
            row("sequence_window_view_windows_per_second", round(view_rate), "windows/s", ">= 5000000"),
            row("sequence_window_view_median_seconds", view_seconds, "s", None),
            row("sequence_windows_ending_at_copy_windows_per_second", round(copy_rate), "windows/s", None),
            row("sequence_windows_ending_at_copy_mb_per_second", round(copy_mb / copy_seconds), "MB/s", None),
            row("sequence_window_view_windows", n_windows, "windows", None),
            row("sequence_windows_ending_at_copy_windows", COPY_WINDOWS, "windows", None),
        ],
    )
    print(
        f"sequence_windows: window_view {view_rate:,.0f} windows/s ({n_windows:,} windows of {WINDOW} x "
        f"{N_FEATURES} in {view_seconds * 1e6:.1f} us, a view); windows_ending_at copy {copy_rate:,.0f} "
        f"windows/s ({COPY_WINDOWS:,} windows, {copy_seconds:.3f} s, {copy_mb:,.0f} MB)"
    )


if __name__ == "__main__":
    main()
