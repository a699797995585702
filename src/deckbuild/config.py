"""Project configuration: `_quarto.yml` merged with the active profile(s) `_quarto-<name>.yml`,
the way Quarto merges them, and checked before any cell runs.

Profiles: the `profile` argument, else `QUARTO_PROFILE`, else `profile: default:` in _quarto.yml
(names separated by commas or spaces; the first listed wins; `profile: group:` adds the first
member of a group none of whose members is active; `_quarto.yml.local` is merged last).
Merging follows Quarto's mergeConfigs: maps merge deeply, scalars from the later file replace,
lists are concatenated without duplicates (`tbl-colwidths` and a string `contents` replace), so
the built-in engine sees what Quarto sees. Quarto never reads our own `event:`/`deck:` blocks:
there a later list replaces (a profile's `deck.prompts.next-token` replaces the default list)."""
from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .document import DeckError
from .config_check import OWN_KEYS, key_lines, validate_metadata

__all__ = ["ProjectConfig", "load_project_config", "merge_metadata", "read_yaml",
           "validate_metadata", "validate_profile_file", "output_dir_for", "rel"]

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_REPLACE_KEYS = {"tbl-colwidths"}


@dataclass
class ProjectConfig:
    root: Path
    profile: str                          # active profile(s), comma-joined ("" if none)
    metadata: dict                        # merged, without the `profile:` key
    files: list[Path] = field(default_factory=list)     # config files read, in merge order
    output_dir: Path = Path("_output")    # absolute: _output or _output-<profile>
    render: list[Path] = field(default_factory=list)    # absolute paths from project.render
    profiles: list[str] = field(default_factory=list)   # active profiles, highest priority first
    default_profiles: list[str] = field(default_factory=list)  # `profile: default:`


# ---------------------------------------------------------------- YAML reading

class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys (with their line), keeps impossible dates as text
    and reads booleans as YAML 1.2 / Quarto's js-yaml do: only true/false (`no` stays text)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark)
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


def _construct_timestamp(loader, node):
    """A date-looking value that is no real date (2026-13-40) stays text, so that the check
    of its key (e.g. event.start) can name the key."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def rel(path: Path, root: Path) -> str:
    """`path` relative to `root` when inside it (for messages and chunk `file` fields)."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def read_yaml(text: str, file: str, first_line: int = 1, what: str = "YAML") -> dict:
    """Parse a YAML mapping; errors name `file` and the line (text starts at `first_line`)."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise DeckError(f"{what} syntax error: {problem}", file, line) from None
    except yaml.YAMLError as exc:
        raise DeckError(f"{what} syntax error: {exc}", file, first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DeckError(f"{what} must be a mapping of `key: value` lines, "
                        f"not a {type(data).__name__}", file, first_line)
    return data


def _read_checked(path: Path, root: Path, allow_profile: bool = False) -> dict:
    """Read a config file and validate it (errors name the file, key and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeckError(f"cannot read: {exc}", rel(path, root)) from None
    data = read_yaml(text, rel(path, root))
    validate_metadata(data, rel(path, root), root, allow_profile=allow_profile,
                      lines=key_lines(text))
    return data


# ---------------------------------------------------------------- merging

def _merge_lists(a: list, b: list) -> list:
    out, seen = [], set()
    for v in a + b:
        k = json.dumps(v, sort_keys=True, default=str)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _js_falsy(v) -> bool:
    return v is None or v is False or v == "" or (isinstance(v, (int, float)) and v == 0)


def _merge_value(key, old, new, quarto_lists: bool):
    if key in _REPLACE_KEYS or (key == "contents" and isinstance(old, str)):
        return copy.deepcopy(new)
    if isinstance(old, dict) and isinstance(new, dict):
        return _merge_two(old, new, quarto_lists)
    if quarto_lists and (isinstance(old, list) or isinstance(new, list)):  # mergeArrayCustomizer
        if _js_falsy(old) or _js_falsy(new):
            return copy.deepcopy(old if _js_falsy(new) else new)
        olds = old if isinstance(old, list) else [old]
        news = new if isinstance(new, list) else [new]
        return _merge_lists(copy.deepcopy(olds), copy.deepcopy(news))
    return copy.deepcopy(new)


def _merge_two(base: dict, over: dict, quarto_lists: bool | None = None) -> dict:
    out = copy.deepcopy(base)
    for key, new in over.items():
        lists = key not in OWN_KEYS if quarto_lists is None else quarto_lists
        out[key] = _merge_value(key, out[key], new, lists) if key in out else copy.deepcopy(new)
    return out


def merge_metadata(base: dict, *overrides: dict) -> dict:
    """Quarto's merge: later mappings win, maps merge deeply, lists concatenate (deduplicated);
    inside our own `event:`/`deck:` blocks a later list replaces the earlier one."""
    out = copy.deepcopy(base)
    for over in overrides:
        out = _merge_two(out, over or {})
    return out


# ---------------------------------------------------------------- profiles

def _names(value, file: str, key: str) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[ ,]+", str(value).strip())
    names = [str(v).strip() for v in items if str(v).strip()]
    for n in names:
        if not _PROFILE_NAME.match(n):
            raise DeckError(f"{key}: '{n}' is not a valid profile name "
                            "(letters, digits, '-', '_', '.')", file)
    return names


def _profile_block(cfg: dict, file: str) -> tuple[list[str], list[list[str]]]:
    block = cfg.pop("profile", None)
    if block is None:
        return [], []
    group = block.get("group") or []
    if group and all(isinstance(g, str) for g in group):
        group = [group]
    if not all(isinstance(g, list) and g for g in group):
        raise DeckError("profile.group: must be a list of names or a list of lists", file)
    groups = [_names(g, file, "profile.group") for g in group]
    return _names(block.get("default"), file, "profile.default"), groups


def _profile_path(root: Path, name: str) -> Path | None:
    return next((p for p in (root / f"_quarto-{name}.yml", root / f"_quarto-{name}.yaml")
                 if p.exists()), None)


def output_dir_for(root: Path, base_cfg: dict, merged: dict, active: list[str],
                   default: list[str]) -> Path:
    """`_output` for the default profile, `_output-<profile>` for another one, unless a
    profile sets `project: output-dir:` itself."""
    base_out = (base_cfg.get("project") or {}).get("output-dir") or "_output"
    merged_out = (merged.get("project") or {}).get("output-dir") or "_output"
    if merged_out != base_out or active == default or not active:
        return (root / merged_out).resolve()
    return (root / f"{base_out}-{'-'.join(active)}").resolve()


# ---------------------------------------------------------------- public API

def load_project_config(root: Path, profile: str | None = None) -> ProjectConfig:
    """Read, merge and validate `_quarto.yml` and the active profile files under `root`."""
    root = Path(root).resolve()
    main = next((p for p in (root / "_quarto.yml", root / "_quarto.yaml") if p.exists()), None)
    if main is None:
        raise DeckError(f"no _quarto.yml in {root}: is this the project root?")
    base = _read_checked(main, root, allow_profile=True)
    default, groups = _profile_block(base, rel(main, root))
    requested = profile if profile is not None else os.environ.get("QUARTO_PROFILE", "")
    active = _names(requested, "--profile/QUARTO_PROFILE", "profile") or list(default)
    explicit = list(active)
    for group in groups:
        if not any(n in active for n in group):
            active.append(group[0])
    files, layers = [main], []
    for name in reversed(active):            # the first listed profile gets priority
        path = _profile_path(root, name)
        if path is None:
            if name in explicit:
                source = "profile: default:" if not requested else "the requested profile"
                raise DeckError(f"profile '{name}' ({source}) has no _quarto-{name}.yml "
                                f"in {root}")
            continue
        files.append(path)
        layers.append(validate_profile_file(path, root))
    local = next((p for p in (root / "_quarto.yml.local", root / "_quarto.yaml.local")
                  if p.exists()), None)
    if local is not None:
        data = _read_checked(local, root, allow_profile=True)
        data.pop("profile", None)
        files.append(local)
        layers.append(data)
    merged = merge_metadata(base, *layers)
    render = (merged.get("project") or {}).get("render") or []
    return ProjectConfig(
        root=root, profile=",".join(active), metadata=merged, files=files,
        output_dir=output_dir_for(root, base, merged, active, default),
        render=[(root / str(p)).resolve() for p in render],
        profiles=active, default_profiles=default)


def validate_profile_file(path: Path, root: Path | None = None) -> dict:
    """Read and check one `_quarto-<profile>.yml` (e.g. for `new-event`); returns its mapping.
    Paths in it (logos) are checked relative to `root` (default: the file's folder)."""
    path = Path(path).resolve()
    root = Path(root).resolve() if root else path.parent
    return _read_checked(path, root)


def deck_paths(config: "ProjectConfig") -> list[Path]:
    """The decks to render: `project: render:`, else every non-partial .qmd in slides/."""
    decks = config.render or sorted((config.root / "slides").glob("[!_]*.qmd"))
    if not decks:
        raise DeckError("no deck to render: list it under project: render: in _quarto.yml",
                        config.root / "_quarto.yml")
    return [Path(d).resolve() for d in decks]
