"""Price frames written as the Yahoo-style CSVs users bring (``Date, Open, ..., Adj Close, Volume``)."""


def write_price_csv(path, frame):
    """Write a frame in the prices contract to ``path`` as a Yahoo-style CSV; return ``path``."""
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path
