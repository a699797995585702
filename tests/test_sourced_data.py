"""Every data file carries a source on every row; bad files fail with file and line named."""
import csv

import pytest
import yaml

from demos import sourced_data
from demos.sourced_data import DataError, all_tables, data_dir, load_table, read_data_file

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
    df = load_table(stem)
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
    root = _write(tmp_path, "facts.yml", yaml.safe_dump([{"fact": "a", "source": "S"}, {"fact": "b"}]))
    with pytest.raises(DataError, match=r"data/facts.yml item 2: empty `source`"):
        load_table("facts", root=root)
    root = _write(tmp_path, "good.yml", yaml.safe_dump([{"fact": "a", "source": "S"}]))
    assert read_data_file(root / "data" / "good.yml")["fact"].tolist() == ["a"]
    assert "facts.yml" in all_tables(root)
