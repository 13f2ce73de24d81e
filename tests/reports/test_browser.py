"""The report in a real browser: headless Chromium loads it with no console errors and screenshots it.

Chromium started with ``--enable-logging=stderr`` writes every console message of the page to
stderr as ``[...:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)`` (older builds write
``CONSOLE(<line>)``), whatever the message's level: uncaught exceptions (``"Uncaught Error: x"``),
``console.error`` calls and Content-Security-Policy violations all arrive this way. The report has
no scripts, so ANY console line is an error. The negative tests prove the check fails when it
should: on a page that throws, and on a page that tries to load something from the network.
"""

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from pyanalytics.reports import write_report

pytestmark = pytest.mark.slow

CONSOLE_LINE = re.compile(r":CONSOLE[:(]|Uncaught")
WIDTH, HEIGHT = 1280, 2400


def _chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium():
    path = _chromium()
    if path is None:
        pytest.skip("headless Chromium not found at /usr/bin/chromium or on PATH; "
                    "install Debian's chromium package (make test does it when run as root)")
    return path


def open_in_chromium(chromium: str, page: Path, screenshot: Path, tmp_path: Path) -> list[str]:
    """Load ``page`` headless, save a screenshot, and return the console lines Chromium logged."""
    profile = tmp_path / "chromium-profile"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}", page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if CONSOLE_LINE.search(line)]


def evaluate_in_chromium(chromium: str, page: Path, tmp_path: Path, expression: str) -> str:
    """A JavaScript ``expression`` (a string) evaluated on ``page`` once Chromium has laid it out.

    A copy of the page gets a script (and no Content-Security-Policy, which forbids scripts) that
    replaces the body with the expression's value; ``--dump-dom`` prints the result.
    """
    copy = tmp_path / f"evaluated-{page.name}"
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    copy.write_text(text.replace("</body>", f"<script>const value = {expression}; "
                                 "document.body.replaceChildren(Object.assign(document.createElement('pre'), "
                                 "{id: 'value', textContent: value}));</script></body>"), encoding="utf-8")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", f"--user-data-dir={tmp_path / 'chromium-dom'}",
               f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", copy.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    value = re.search(r'<pre id="value">(.*)</pre>', done.stdout, re.S)
    assert value, done.stdout[-2000:]
    return html.unescape(value.group(1))


def rendered_text(chromium: str, page: Path, tmp_path: Path) -> str:
    """The page's text as Chromium renders it, CSS text-transform applied (``innerText``)."""
    return evaluate_in_chromium(chromium, page, tmp_path, "document.body.innerText")


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_the_report_loads_without_console_errors_and_renders(chromium, report_result, explanations, tmp_path):
    page = write_report(tmp_path / "report.html", report_result, explanations=explanations,
                        title="<script>alert(1)</script> report")
    screenshot = tmp_path / "report.png"
    console = open_in_chromium(chromium, page, screenshot, tmp_path)
    assert console == []
    assert screenshot.is_file()
    assert png_size(screenshot) == (WIDTH, HEIGHT)
    assert screenshot.stat().st_size > 100_000  # a blank or near-blank page compresses to a few KB
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(screenshot) as image:
        colours = image.convert("RGB").resize((160, 300)).getcolors(maxcolors=160 * 300)
    assert len(colours) > 500  # charts, text and cards, not one flat colour


def test_the_console_check_catches_an_uncaught_error(chromium, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><p>broken</p><script>throw new Error("x")</script></body></html>')
    console = open_in_chromium(chromium, page, tmp_path / "broken.png", tmp_path)
    assert any('"Uncaught Error: x"' in line for line in console), console


def test_the_console_check_catches_a_network_request_the_report_forbids(chromium, tmp_path, report_result):
    report = write_report(tmp_path / "report.html", report_result).read_text(encoding="utf-8")
    page = tmp_path / "fetching.html"
    page.write_text(report.replace("</main>", '<img src="https://example.invalid/pixel.png" alt=""></main>'))
    console = open_in_chromium(chromium, page, tmp_path / "fetching.png", tmp_path)
    assert any("Content Security Policy" in line and "example.invalid" in line for line in console), console


def test_the_walk_forward_report_loads_without_console_errors(chromium, walk_forward_results, tmp_path):
    from pyanalytics.finance.reports import write_walk_forward_report

    page = write_walk_forward_report(tmp_path / "walk_forward.html", walk_forward_results)
    screenshot = tmp_path / "walk_forward.png"
    assert open_in_chromium(chromium, page, screenshot, tmp_path) == []
    assert png_size(screenshot) == (WIDTH, HEIGHT)
    assert screenshot.stat().st_size > 100_000


CAPITAL_GREEK = re.compile("[\u0391-\u03a9]")


def test_greek_letters_survive_the_upper_cased_headings(chromium, report_result, explanations,
                                                        walk_forward_results, tmp_path):
    """'Spearman ρ' in an upper-cased table heading rendered as 'SPEARMAN Ρ', which reads as 'SPEARMAN P'."""
    from pyanalytics.finance.reports import write_walk_forward_report

    pages = {
        "report": write_report(tmp_path / "report.html", report_result, explanations=explanations),
        "walk-forward": write_walk_forward_report(tmp_path / "walk_forward.html", walk_forward_results),
    }
    for name, page in pages.items():
        text = rendered_text(chromium, page, tmp_path)
        assert "ρ" in text, name
        assert not CAPITAL_GREEK.findall(text), f"{name}: {sorted(set(CAPITAL_GREEK.findall(text)))}"
    assert "SPEARMAN ρ" in rendered_text(chromium, pages["walk-forward"], tmp_path)


# every table, figure and image that reaches past its box's content edge (into the padding or beyond),
# and every card wider than the window, as "tag.class: right edge > limit"
OVERFLOWING = """[...document.querySelectorAll('table, figure, img, .card')].map(e => {
    const box = e.parentElement, style = getComputedStyle(box);
    const limit = e.classList.contains('card') ? window.innerWidth
      : box.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    const right = e.getBoundingClientRect().right;
    return right > limit + 0.5 ? `${e.tagName.toLowerCase()}.${e.className}: ${right} > ${limit}` : '';
  }).filter(Boolean).join('\\n')"""


def test_nothing_sticks_out_of_its_card_at_laptop_width(chromium, report_result, explanations,
                                                       walk_forward_results, tmp_path):
    from pyanalytics.finance.reports import write_walk_forward_report

    pages = [write_report(tmp_path / "report.html", report_result, explanations=explanations),
             write_walk_forward_report(tmp_path / "walk_forward.html", walk_forward_results)]
    for page in pages:
        assert evaluate_in_chromium(chromium, page, tmp_path, OVERFLOWING) == "", page.name


def test_the_sequence_report_loads_without_console_errors_and_nothing_sticks_out(chromium, tmp_path):
    import pandas as pd

    from pyanalytics.data.synthetic_series import seasonal_ar
    from pyanalytics.sequence import train_forecaster
    from pyanalytics.sequence.report import write_sequence_report

    frame = pd.DataFrame({"time": pd.date_range("2024-01-01", periods=400, freq="h"), "value": seasonal_ar(400, seed=0)})
    result = train_forecaster(frame, "value", time_column="time", window=24, horizon=6, period=12, quantiles=(0.1, 0.5, 0.9),
                              units=(8,), epochs=3, seed=0)
    page = write_sequence_report(result, tmp_path / "sequence.html")
    assert open_in_chromium(chromium, page, tmp_path / "sequence.png", tmp_path) == []
    assert evaluate_in_chromium(chromium, page, tmp_path, OVERFLOWING) == ""
