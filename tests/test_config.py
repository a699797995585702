"""deckbuild.config: profile resolution and Quarto-style merging, and the metadata checks
(deckbuild.config_check). Each test copies tests/fixtures/reader/project into tmp_path; the
expected values are read from the fixture YAML here, independently of the loader."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckbuild.config import load_project_config, merge_metadata, validate_profile_file
from deckbuild.document import DeckError



def raw(root: Path, name: str) -> dict:
    return yaml.safe_load((root / name).read_text(encoding="utf-8"))


def line_of(text: str, needle: str) -> int:
    return next(i for i, t in enumerate(text.split("\n"), start=1) if needle in t)


# ---------------------------------------------------------------- merging and profiles

def test_default_profile_from_quarto_yml(project):
    base, alpha = raw(project, "_quarto.yml"), raw(project, "_quarto-alpha.yml")
    cfg = load_project_config(project, None)
    assert cfg.profile == base["profile"]["default"] == "alpha"
    assert cfg.files == [project / "_quarto.yml", project / "_quarto-alpha.yml"]
    assert "profile" not in cfg.metadata
    assert cfg.metadata["event"] == alpha["event"]
    reveal = cfg.metadata["format"]["revealjs"]
    assert reveal["footer"] == alpha["format"]["revealjs"]["footer"]       # profile wins
    assert reveal["width"] == base["format"]["revealjs"]["width"]          # deep merge keeps
    assert cfg.output_dir == project / "_output"
    assert cfg.render == [project / p for p in base["project"]["render"]]


def test_profile_argument_overrides_and_merges_lists(project):
    base, beta = raw(project, "_quarto.yml"), raw(project, "_quarto-beta.yml")
    cfg = load_project_config(project, "beta")
    deck = cfg.metadata["deck"]
    assert cfg.profile == "beta" and cfg.output_dir == project / "_output-beta"
    assert deck["model"] == beta["deck"]["model"]
    assert deck["temperature"] == base["deck"]["temperature"]
    assert deck["prompts"]["english"] == base["deck"]["prompts"]["english"]
    # our own deck: block: the profile's list replaces the default one
    assert deck["prompts"]["next-token"] == beta["deck"]["prompts"]["next-token"]
    # Quarto keys follow Quarto's mergeConfigs: lists are concatenated
    theme = base["format"]["revealjs"]["theme"] + beta["format"]["revealjs"]["theme"]
    assert cfg.metadata["format"]["revealjs"]["theme"] == theme
    assert "logo" not in cfg.metadata["event"]                            # alpha not merged


def test_env_quarto_profile_and_argument_precedence(project, monkeypatch):
    monkeypatch.setenv("QUARTO_PROFILE", "beta")
    assert load_project_config(project, None).metadata["event"]["name"] == "Beta Summit"
    assert load_project_config(project, "alpha").metadata["event"]["name"] == "Alpha Conf"


def test_several_profiles_first_listed_wins(project):
    cfg = load_project_config(project, "beta,alpha")
    assert cfg.profiles == ["beta", "alpha"]
    assert cfg.metadata["event"]["name"] == "Beta Summit"
    assert cfg.metadata["event"]["logo"] == raw(project, "_quarto-alpha.yml")["event"]["logo"]
    assert cfg.output_dir == project / "_output-beta-alpha"


def test_profile_group_activates_first_member(project):
    text = (project / "_quarto.yml").read_text().replace("  default: alpha", "  group: [beta, alpha]")
    (project / "_quarto.yml").write_text(text)
    cfg = load_project_config(project, None)
    assert cfg.profiles == ["beta"] and cfg.metadata["event"]["name"] == "Beta Summit"
    assert load_project_config(project, "alpha").profiles == ["alpha"]   # group satisfied


def test_missing_profile_file_is_an_error(project):
    with pytest.raises(DeckError, match=r"_quarto-gamma\.yml"):
        load_project_config(project, "gamma")


def test_profile_may_choose_its_own_output_dir(project):
    with open(project / "_quarto-beta.yml", "a") as f:
        f.write("project:\n  output-dir: _beta-site\n")
    assert load_project_config(project, "beta").output_dir == project / "_beta-site"


def test_merge_metadata_rules():
    base = {"a": {"x": 1, "y": [1, 2]}, "s": "old", "tbl-colwidths": [1, 2], "keep": [1],
            "deck": {"p": {"l": [1, 2]}}, "event": {"n": "A"}}
    over = {"a": {"x": 2, "y": [2, 3], "z": 0}, "s": "new", "tbl-colwidths": [3], "keep": None,
            "deck": {"p": {"l": [3]}}, "event": {"n": "B"}}
    merged = merge_metadata(base, over)
    assert merged == {"a": {"x": 2, "y": [1, 2, 3], "z": 0}, "s": "new",
                      "tbl-colwidths": [3], "keep": [1], "deck": {"p": {"l": [3]}},
                      "event": {"n": "B"}}
    assert base["a"]["y"] == [1, 2] and over["a"]["y"] == [2, 3]          # inputs untouched


# ---------------------------------------------------------------- validation

def _replace(root: Path, name: str, old: str, new: str) -> str:
    text = (root / name).read_text()
    assert old in text, f"fixture {name} lacks {old!r}"
    (root / name).write_text(text.replace(old, new, 1))
    return text.replace(old, new, 1)


BAD_CONFIGS = [
    # (file, old text, new text, key in message, extra text in message, text of the bad line)
    ("_quarto.yml", "lang: pt-BR", "titel: x", "titel", "did you mean 'title'", "titel:"),
    ("_quarto-alpha.yml", '  name: "Alpha Conf"', '  nmae: "Alpha Conf"', "event.nmae", "name",
     "nmae:"),
    ("_quarto.yml", "  seed: 1", "  sed: 1", "deck.sed", "did you mean 'seed'", "sed:"),
    ("_quarto.yml", '    english: "I like"', '    englsh: "I like"', "deck.prompts.englsh",
     "english", "englsh:"),
    ("_quarto.yml", "  temperature: 1.0", "  temperature: -1", "deck.temperature", "> 0",
     "temperature:"),
    ("_quarto.yml", "  seed: 1", "  seed: many", "deck.seed", "whole number", "seed:"),
    ("_quarto-alpha.yml", '    ink: "#0B1F3A"', '    ink: "#0B1F3"', "event.colors.ink",
     "#RRGGBB", "ink:"),
    ("_quarto-alpha.yml", '    ink: "#0B1F3A"', "    ink: red", "event.colors.ink", "#RRGGBB",
     "ink:"),
    ("_quarto-alpha.yml", '    ink: "#0B1F3A"', '    inc: "#0B1F3A"', "event.colors.inc", "ink",
     "inc:"),
    ("_quarto-alpha.yml", "  end: 2025-06-13", "  end: 2025-06-09", "event.end", "before",
     "end:"),
    ("_quarto-alpha.yml", "  start: 2025-06-10", "  start: '2025-13-01'", "event.start",
     "real date", "start:"),
    ("_quarto-alpha.yml", "  start: 2025-06-10", "  start: 2025-02-30", "event.start",
     "real date", "start:"),
    ("_quarto-alpha.yml", "  start: 2025-06-10", "  start: 2026-13-40", "event.start",
     "2026-13-40", "start:"),
    ("_quarto-alpha.yml", "  logo: assets/logo.svg", "  logo: assets/nope.svg", "event.logo",
     "does not exist", "nope.svg"),
    ("_quarto-alpha.yml", "    logo: assets/logo.svg", "    logo: assets/gone.svg",
     "format.revealjs.logo", "does not exist", "gone.svg"),
    ("_quarto.yml", "    width: 1050", "    widht: 1050", "format.revealjs.widht",
     "did you mean 'width'", "widht:"),
    ("_quarto.yml", "  echo: false", "  ecko: false", "execute.ecko", "did you mean 'echo'",
     "ecko:"),
    ("_quarto.yml", "lang: pt-BR", "lang: pt-BR\nlang: en", "lang", "duplicate key",
     "lang: en"),
    ("_quarto-beta.yml", "deck:", "profile:\n  default: x\ndeck:", "profile", "_quarto.yml",
     "profile:"),
    ("_quarto.yml", "  default: alpha", "  defalt: alpha", "profile.defalt", "unknown",
     "defalt:"),
    ("_quarto.yml", "  revealjs:", "  revealjss:", "revealjss", "did you mean 'revealjs'",
     "revealjss:"),
]


@pytest.mark.parametrize("name, old, new, key, extra, bad_line", BAD_CONFIGS,
                         ids=[f"{c[0]}:{c[3]}:{c[4]}" for c in BAD_CONFIGS])
def test_config_errors_name_file_key_and_line(project, name, old, new, key, extra, bad_line):
    text = _replace(project, name, old, new)
    with pytest.raises(DeckError) as err:
        load_project_config(project, "beta" if name == "_quarto-beta.yml" else None)
    message = str(err.value)
    assert name in message and key in message and extra in message and "\n" not in message
    assert err.value.line == line_of(text, bad_line)


def test_yaml_syntax_error_gives_file_and_line(project):
    text = _replace(project, "_quarto-alpha.yml", '  name: "Alpha Conf"',
                    '  name: "Alpha Conf"\n  city: [Recife, PE\n  venue: x')
    with pytest.raises(DeckError, match=r"^_quarto-alpha\.yml:\d+: YAML syntax error") as err:
        load_project_config(project, None)
    assert line_of(text, "city:") <= err.value.line <= line_of(text, "venue:") + 1


def test_yaml_12_booleans(project):
    _replace(project, "_quarto.yml", '    english: "I like"', "    english: no")
    _replace(project, "_quarto.yml", "  echo: false", "  echo: False")
    meta = load_project_config(project, None).metadata
    assert meta["deck"]["prompts"]["english"] == "no" and meta["execute"]["echo"] is False


def test_string_dates_are_accepted(project):
    cfg = load_project_config(project, "beta")                   # start/end quoted strings
    assert cfg.metadata["event"]["start"] == raw(project, "_quarto-beta.yml")["event"]["start"]


def test_validate_profile_file(project):
    assert validate_profile_file(project / "_quarto-alpha.yml", project) == \
        raw(project, "_quarto-alpha.yml")
    (project / "_quarto-new.yml").write_text("event:\n  colours: {}\n")
    with pytest.raises(DeckError, match=r"_quarto-new\.yml:2: unknown event key 'event\.colours'"
                                        r"; did you mean 'colors'"):
        validate_profile_file(project / "_quarto-new.yml", project)


def test_demos_config_reads_the_merged_profile(project, monkeypatch):
    from demos import config as demos_config
    monkeypatch.setenv("DECK_ROOT", str(project))
    monkeypatch.setenv("QUARTO_PROFILE", "beta")
    monkeypatch.delenv("DECK_MODEL", raising=False)
    demos_config._load.cache_clear()
    try:
        assert demos_config.demo_setting("model") == raw(project, "_quarto-beta.yml")["deck"]["model"]
    finally:
        demos_config._load.cache_clear()


# ---------------------------------------------------------------- `date` and `event.start`

def test_the_talks_date_must_be_a_day_of_the_event(project):
    """`date` (the talk's day, on the title slide) outside the event's days (`event.start` is
    also the data cutoff) is a one-line error naming the file, the line and both keys."""
    text = (project / "_quarto-alpha.yml").read_text() + "\ndate: 2025-06-14\n"
    (project / "_quarto-alpha.yml").write_text(text)
    with pytest.raises(DeckError) as err:
        load_project_config(project, None)
    message = str(err.value)
    assert message.startswith(f"_quarto-alpha.yml:{line_of(text, 'date:')}: ") and "\n" not in message
    assert "'date' (2025-06-14" in message and "2025-06-10 to 2025-06-13" in message
    for within in ('"2025-06-10"', "2025-06-11", "2025-06-13", "today", "last-modified"):  # or Quarto's
        (project / "_quarto-alpha.yml").write_text(text.replace("date: 2025-06-14", f"date: {within}"))
        assert load_project_config(project, None).profile == "alpha"
    (project / "_quarto-alpha.yml").write_text(text.replace("date: 2025-06-14", "date: 2025-06-09"))
    with pytest.raises(DeckError, match="outside the event"):
        load_project_config(project, None)


def test_the_projects_own_profiles_set_one_day():
    """The repository's _quarto*.yml files pass, and each date is its event's first day."""
    import datetime as dt
    repo = Path(__file__).resolve().parents[1]
    for path in sorted(repo.glob("_quarto-*.yml")):
        data = validate_profile_file(path, repo)
        cfg = load_project_config(repo, path.stem.removeprefix("_quarto-"))
        if "date" in cfg.metadata and "start" in cfg.metadata.get("event", {}):
            assert dt.date.fromisoformat(str(cfg.metadata["date"])) == cfg.metadata["event"]["start"], path.name
        assert data
