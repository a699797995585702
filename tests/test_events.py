"""`new-event`: the profile it writes validates, carries the given values and none of the default
event's, merges into the project config, refuses to overwrite; slugs, dates and footers follow
the rules; bad input is a one-line error naming the argument and leaves no file behind."""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from deckbuild import events
from deckbuild.config import load_project_config, validate_profile_file
from deckbuild.document import DeckError

REPO = Path(__file__).resolve().parents[1]


def _default_profile_file() -> Path:
    name = yaml.safe_load((REPO / "_quarto.yml").read_text())["profile"]["default"]
    return REPO / f"_quarto-{name}.yml"


@pytest.fixture
def event_project(tmp_path) -> Path:
    """The project's config files and assets in a temporary folder (no slides, no build)."""
    for name in ("_quarto.yml", "_variables.yml", _default_profile_file().name):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    return tmp_path


def run_cli(root: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    events.add_parser(parser.add_subparsers())
    args = parser.parse_args(["new-event", *argv, "--root", str(root)])
    return args.func(args)


EVENT = ["--name", "Python Nordeste São Luís", "--start", "2025-06-30", "--end", "2025-07-02",
         "--city", "São Luís", "--model", "smollm2-135m"]


@pytest.mark.parametrize("name, slug", [
    ("Python Nordeste São Luís", "python-nordeste-sao-luis"),
    ("  TDC — Florianópolis 2026!  ", "tdc-florianopolis-2026"),
    ("Agile__Trends   Nordeste", "agile-trends-nordeste"),
    ("Ação & Reação: Çà", "acao-reacao-ca"),
])
def test_slug_is_lowercase_ascii_with_hyphens(name, slug):
    assert events.slugify(name) == slug


def test_slug_without_letters_is_an_error():
    with pytest.raises(DeckError, match="--slug"):
        events.slugify("— !!")


@pytest.mark.parametrize("start, end, text", [
    ("2025-06-10", "2025-06-13", "10–13 de junho"),
    ("2025-03-05", "2025-03-05", "5 de março"),
    ("2025-06-30", "2025-07-02", "30 de junho – 2 de julho"),
    ("2025-12-30", "2026-01-02", "30 de dezembro de 2025 – 2 de janeiro de 2026"),
    ("2026-05-30", "2026-06-01", "30 de maio – 1º de junho"),
])
def test_date_range_in_ptbr(start, end, text):
    assert events.date_range_ptbr(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == text


@pytest.mark.parametrize("start, end, text", [
    ("2025-06-10", "2025-06-13", "10 a 13 de junho de 2025"),
    ("2025-03-05", "2025-03-05", "5 de março de 2025"),
    ("2025-06-30", "2025-07-02", "30 de junho a 2 de julho de 2025"),
    ("2025-12-30", "2026-01-02", "30 de dezembro de 2025 a 2 de janeiro de 2026"),
    ("2026-05-01", "2026-05-03", "1º a 3 de maio de 2026"),
])
def test_title_slide_dates_in_ptbr(start, end, text):
    assert events.dates_text(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == text


def test_rules_reproduce_the_hand_written_default_footer_and_dates():
    prof = yaml.safe_load(_default_profile_file().read_text())
    ev = prof["event"]
    assert events.footer_text(ev["name"], ev["city"], ev["start"], ev["end"]) == \
        prof["format"]["revealjs"]["footer"]
    if "dates" in ev:
        assert events.dates_text(ev["start"], ev["end"]) == ev["dates"]


def test_new_event_writes_a_valid_profile_with_the_given_values(event_project, capsys):
    assert run_cli(event_project, *EVENT, "--handout-url", "https://example.org/slides") == 0
    out = capsys.readouterr().out
    path = event_project / "_quarto-python-nordeste-sao-luis.yml"
    assert "next: make slides PROFILE=python-nordeste-sao-luis" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")                        # a header comment for the reader
    assert "Agile Trends" not in text and "Recife" not in text
    data = validate_profile_file(path, event_project)
    ev = data["event"]
    assert (ev["name"], ev["city"], ev["venue"]) == ("Python Nordeste São Luís", "São Luís", "São Luís")
    assert (ev["start"], ev["end"]) == (dt.date(2025, 6, 30), dt.date(2025, 7, 2))
    assert ev["handout-url"] == "https://example.org/slides"
    assert ev["tagline"] == "Python Nordeste São Luís"    # not the default event's slogan
    assert ev["dates"] == "30 de junho a 2 de julho de 2025"
    assert data["deck"]["model"] == "smollm2-135m"
    assert data["format"]["revealjs"]["footer"] == \
        "Python Nordeste São Luís · São Luís · 30 de junho – 2 de julho"
    assert (event_project / ev["logo"]).is_file() and data["format"]["revealjs"]["logo"] == ev["logo"]
    default = yaml.safe_load(_default_profile_file().read_text())
    assert ev["colors"] == default["event"]["colors"]    # the look is kept

    cfg = load_project_config(event_project, "python-nordeste-sao-luis")
    assert cfg.output_dir == event_project / "_output-python-nordeste-sao-luis"
    assert cfg.metadata["event"]["name"] == "Python Nordeste São Luís"
    assert cfg.metadata["deck"]["model"] == "smollm2-135m"
    assert cfg.metadata["deck"]["prompts"]               # the rest of deck: comes from _quarto.yml


def test_given_slug_logo_and_default_model(event_project):
    logo = sorted((event_project / "assets" / "logos").glob("*.svg"))[0].relative_to(event_project).as_posix()
    path = events.new_event(event_project, name="Meetup", start="2026-02-01", end="2026-02-01",
                            city="Natal", slug="Meetup Natal", logo=logo)
    assert path.name == "_quarto-meetup-natal.yml"
    data = yaml.safe_load(path.read_text())
    assert data["event"]["logo"] == logo
    assert "model" not in (data.get("deck") or {})      # _quarto.yml's model stays in charge
    assert not (event_project / "assets" / "logos" / "meetup-natal.svg").exists()


def test_refuses_to_overwrite_unless_force(event_project, capsys):
    assert run_cli(event_project, *EVENT) == 0
    path = event_project / "_quarto-python-nordeste-sao-luis.yml"
    path.write_text(path.read_text() + "# my edits\n")
    before = path.read_text()
    assert run_cli(event_project, *EVENT) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--force" in err and path.name in err
    assert path.read_text() == before
    assert run_cli(event_project, *EVENT, "--force") == 0
    assert "# my edits" not in path.read_text()


@pytest.mark.parametrize("argv, names", [
    (["--start", "2025-13-40"], "--start '2025-13-40'"),
    (["--end", "2025-02-30"], "--end '2025-02-30'"),
    (["--start", "10/06/2025"], "--start '10/06/2025'"),
    (["--start", "2025-07-03"], "--end 2025-07-02 is before --start 2025-07-03"),
])
def test_bad_dates_are_one_line_errors_naming_the_argument(event_project, capsys, argv, names):
    args = list(EVENT)
    for flag, value in zip(argv[::2], argv[1::2]):
        args[args.index(flag) + 1] = value
    assert run_cli(event_project, *args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and names in err
    assert not list(event_project.glob("_quarto-python-*.yml"))
    assert not (event_project / "assets" / "logos" / "python-nordeste-sao-luis.svg").exists()


def test_a_profile_the_validator_rejects_leaves_nothing_behind(event_project, capsys):
    assert run_cli(event_project, *EVENT, "--logo", "assets/logos/nao-existe.svg") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "_quarto-python-nordeste-sao-luis.yml" in err and "logo" in err
    assert not (event_project / "_quarto-python-nordeste-sao-luis.yml").exists()


def test_warns_about_default_event_text_it_cannot_replace(event_project, capsys):
    default = event_project / _default_profile_file().name
    data = yaml.safe_load(default.read_text())
    data.setdefault("title-slide-attributes", {})["data-background-image"] = data["event"]["logo"]
    default.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert run_cli(event_project, *EVENT) == 0
    err = capsys.readouterr().err
    assert "title-slide-attributes.data-background-image" in err
    assert len(err.strip().splitlines()) == 1           # the replaced keys are not reported


def test_same_city_as_the_default_event_is_not_a_leftover(event_project, capsys):
    city = yaml.safe_load(_default_profile_file().read_text())["event"]["city"]
    assert run_cli(event_project, "--name", "Outro Evento", "--start", "2026-01-10", "--end", "2026-01-10",
                   "--city", city) == 0
    assert capsys.readouterr().err == ""
    text = (event_project / "_quarto-outro-evento.yml").read_text()
    assert f"Outro Evento · {city} · 10 de janeiro" in text


def test_unknown_model_is_a_one_line_error_listing_the_packaged_ones(event_project, capsys):
    args = list(EVENT)
    args[args.index("--model") + 1] = "smollm3-135m"
    assert run_cli(event_project, *args) == 2
    err = capsys.readouterr().err.strip()
    packaged = yaml.safe_load((REPO / "src" / "demos" / "models.yml").read_text())["models"]
    assert len(err.splitlines()) == 1 and "--model 'smollm3-135m'" in err
    assert all(name in err for name in packaged)
    assert not list(event_project.glob("_quarto-python-*.yml"))


def test_new_event_writes_its_first_day_as_the_talks_date(event_project):
    """The title slide's `date` is the event's first day; a day outside the event is refused."""
    path = events.new_event(event_project, name="Meetup", start="2026-02-03", end="2026-02-04", city="Natal")
    data = validate_profile_file(path, event_project)
    assert data["date"] == "2026-02-03" and data["event"]["start"] == dt.date(2026, 2, 3)
    path.write_text(path.read_text(encoding="utf-8").replace('date: "2026-02-03"', 'date: "2026-02-05"')
                    .replace("date: '2026-02-03'", "date: '2026-02-05'").replace("date: 2026-02-03", "date: 2026-02-05"),
                    encoding="utf-8")
    with pytest.raises(DeckError, match=rf"^{path.name}:\d+: 'date' \(2026-02-05.*outside the event \(2026-02-03 to 2026-02-04"):
        validate_profile_file(path, event_project)