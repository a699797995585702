"""Every data file carries a source, a reference key and (when time-sensitive) a date on every
row; bad files fail with file and line named; the loader leaves out rows dated after the cutoff."""
import csv
import datetime as dt
import re

import pytest
import yaml

from data_utils import data_rows
from demos import sourced_data
from demos.sourced_data import (CutoffError, DataError, all_tables, data_dir, dated_row, load_table,
                                parse_date, read_data_file)

TABLES = all_tables()


def test_data_folder_has_the_deck_tables():
    for name in ("gpu_estimates", "chip_prices", "chip_specs", "nvidia_revenue", "nvidia_milestones",
                 "model_energy", "training_datasets", "datacenter_comparison", "references"):
        assert f"{name}.csv" in TABLES


@pytest.mark.parametrize("filename", TABLES)
def test_every_row_of_every_data_file_has_a_source(filename):
    path = data_dir() / filename
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    else:
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert rows, f"{filename} has no rows"
    for i, row in enumerate(rows, start=1):
        assert str(row.get("source") or "").strip(), f"{filename} row {i} has no source"
    # and the checked loader accepts the file (numeric columns parse)
    stem = path.stem
    df = load_table(stem, cutoff=None)
    assert len(df) == len(rows)


def _write(tmp_path, name, text):
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_empty_source_names_file_and_line(tmp_path):
    root = _write(tmp_path, "bad.csv", "item,value,source\na,1,Someone 2020\nb,2,\nc,3,X\n")
    with pytest.raises(DataError) as e:
        load_table("bad", root=root)
    msg = str(e.value)
    assert "data/bad.csv" in msg and "line 3" in msg and "source" in msg
    assert "\n" not in msg


def test_unparsable_numeric_cell_names_file_line_and_column(tmp_path, monkeypatch):
    monkeypatch.setitem(sourced_data.NUMERIC_COLUMNS, "prices", ("price",))
    root = _write(tmp_path, "prices.csv", "item,price,source\na,10,S\nb,\"1.234,5\",S\n")
    with pytest.raises(DataError) as e:
        load_table("prices", root=root)
    msg = str(e.value)
    assert "data/prices.csv" in msg and "line 3" in msg and "`price`" in msg


def test_numeric_columns_parse_to_the_written_numbers(tmp_path, monkeypatch):
    monkeypatch.setitem(sourced_data.NUMERIC_COLUMNS, "ok", ("price", "extra?"))
    root = _write(tmp_path, "ok.csv", "item,price,extra,source\na,1234.5,,S\nb,7,2e3,S\n")
    df = load_table("ok", root=root)
    assert df["price"].tolist() == [1234.5, 7.0]
    assert df["extra"].isna().tolist() == [True, False] and df["extra"].iloc[1] == 2000.0
    assert df["item"].tolist() == ["a", "b"]


def test_numeric_columns_can_be_given_by_the_caller(tmp_path):
    root = _write(tmp_path, "rates.csv", "key,rate,extra,source\na,1e9,,S\n")
    df = load_table("rates", root=root, numeric=("rate", "extra?"))
    assert df["rate"].iloc[0] == 1e9 and df["extra"].isna().all()
    with pytest.raises(DataError, match=r"data/rates.csv line 2: column `extra`"):
        load_table("rates", root=root, numeric=("extra",))


def test_missing_required_numeric_cell_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sourced_data.NUMERIC_COLUMNS, "gap", ("price",))
    root = _write(tmp_path, "gap.csv", "item,price,source\na,,S\n")
    with pytest.raises(DataError, match=r"data/gap.csv line 2: column `price`"):
        load_table("gap", root=root)


def test_unquoted_comma_is_reported(tmp_path):
    root = _write(tmp_path, "commas.csv", "item,note,source\na,um, dois,S\n")
    with pytest.raises(DataError, match=r"data/commas.csv line 2: 4 fields"):
        load_table("commas", root=root)


def test_missing_file_and_missing_source_column(tmp_path):
    root = _write(tmp_path, "nosrc.csv", "item,value\na,1\n")
    with pytest.raises(DataError, match="no `source` column"):
        load_table("nosrc", root=root)
    with pytest.raises(DataError, match="data/absent.csv: no such data file"):
        load_table("absent", root=root)


def test_yaml_items_need_a_source(tmp_path):
    root = _write(tmp_path, "notes.yml", yaml.safe_dump([{"fact": "a", "source": "S"}, {"fact": "b"}]))
    with pytest.raises(DataError, match=r"data/notes.yml item 2: empty `source`"):
        load_table("notes", root=root)
    root = _write(tmp_path, "good.yml", yaml.safe_dump([{"fact": "a", "source": "S"}]))
    assert read_data_file(root / "data" / "good.yml")["fact"].tolist() == ["a"]
    assert "notes.yml" in all_tables(root)


# ---------- dates and references on every row ----------

# Tables whose rows can stop or start being true: each row says when it became true.
TIME_SENSITIVE = ("nvidia_revenue", "nvidia_milestones", "chip_prices", "gpu_estimates", "regulation",
                  "training_datasets", "chip_specs", "model_compute", "model_energy", "model_widths",
                  "hardware_rates", "datacenter_comparison", "facts", "references")
NO_WORK = "-"      # `ref` of a row that cites no work: an assumption or summary of this talk
NO_WORK_SOURCES = ("Suposição", "Resumo", "Versão anterior desta palestra")


@pytest.mark.parametrize("name", TIME_SENSITIVE)
def test_time_sensitive_rows_carry_the_date_they_became_true(name):
    rows = data_rows(name)
    assert "date" in rows[0], f"data/{name}.csv has no `date` column"
    for i, r in enumerate(rows, start=2):
        if r.get("ref") == NO_WORK:
            continue                     # a stated assumption: timeless
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["date"]), f"data/{name}.csv line {i}: date {r['date']!r}"
        assert dt.date(1900, 1, 1) < parse_date(r["date"]) < dt.date(2030, 1, 1)


@pytest.mark.parametrize("filename", [t for t in TABLES if t != "references.csv"])
def test_every_row_names_its_works_in_the_reference_list(filename):
    refs = {r["key"] for r in data_rows("references")}
    rows = data_rows(filename.removesuffix(".csv"))
    assert "ref" in rows[0], f"{filename} has no `ref` column"
    for i, r in enumerate(rows, start=2):
        if r["ref"] == NO_WORK:
            assert r["source"].startswith(NO_WORK_SOURCES), f"{filename} line {i}: ref '-' needs a stated assumption"
            continue
        keys = r["ref"].split(";")
        assert keys and all(k in refs for k in keys), f"{filename} line {i}: {r['ref']!r} not in references.csv"


def test_assumption_rows_state_no_numbers():
    for r in data_rows("datacenter_comparison"):
        if r["ref"] == NO_WORK:
            assert not re.search(r"\d", r["text"]), r["text"]


@pytest.mark.parametrize("text, day", [("2024-12-10", dt.date(2024, 12, 10)), ("2024-11", dt.date(2024, 11, 30)),
                                       ("2024-02", dt.date(2024, 2, 29)), ("2024", dt.date(2024, 12, 31))])
def test_partial_dates_count_from_the_end_of_their_period(text, day):
    assert parse_date(text) == day


def _dated(tmp_path):
    return _write(tmp_path, "events.csv", "what,date,exempt,source\nold,2024-01-05,,S\nmonth,2025-06,,S\n"
                                          "new,2026-02-25,,S\ntool,2025-08-14,demo,S\nforever,,,S\n")


def test_loader_leaves_out_rows_after_the_cutoff(tmp_path):
    root = _dated(tmp_path)
    assert load_table("events", root=root, cutoff=None)["what"].tolist() == ["old", "month", "new", "tool", "forever"]
    june = load_table("events", root=root, cutoff=dt.date(2025, 6, 10))
    assert june["what"].tolist() == ["old", "tool", "forever"]      # "2025-06" counts from 30 June
    assert june.attrs["cutoff"] == dt.date(2025, 6, 10)
    assert load_table("events", root=root, cutoff=dt.date(2026, 12, 1))["what"].tolist() == \
        ["old", "month", "new", "tool", "forever"]


def test_a_claim_about_a_later_row_fails_with_file_and_line(tmp_path):
    root = _dated(tmp_path)
    assert dated_row("events", "what", "old", root=root, cutoff=dt.date(2025, 6, 10))["date"] == "2024-01-05"
    assert dated_row("events", "what", "tool", root=root, cutoff=dt.date(2025, 6, 10))["what"] == "tool"
    with pytest.raises(CutoffError) as e:
        dated_row("events", "what", "new", root=root, cutoff=dt.date(2025, 6, 10))
    msg = str(e.value)
    assert "data/events.csv line 4" in msg and "2026-02-25" in msg and "2025-06-10" in msg and "\n" not in msg
    with pytest.raises(KeyError, match="no row"):
        dated_row("events", "what", "nothing", root=root)


def test_a_bad_date_names_file_and_line(tmp_path):
    root = _write(tmp_path, "bad_date.csv", "what,date,source\na,2024-13-40,S\n")
    with pytest.raises(DataError, match=r"data/bad_date.csv line 2: `date`"):
        load_table("bad_date", root=root, cutoff=None)
