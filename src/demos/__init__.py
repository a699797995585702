"""Live demos for the deck "Como as LLMs funcionam": each module computes plain data
(DataFrames, arrays, dataclasses); each `*_charts.py` module draws that data."""
