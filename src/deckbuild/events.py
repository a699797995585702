"""`new-event`: writes `_quarto-<slug>.yml`, a Quarto profile for another event, from the default one.

The new profile keeps the default profile's structure (colours, handout URL, any extra keys) and
replaces what belongs to the event: name, dates, city, venue, footer, logo and optionally the model.
The YAML is written as plain text with a header comment, then checked with
`deckbuild.config.validate_profile_file`; nothing is left behind if that check fails."""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

from deckbuild.config import read_yaml, validate_profile_file
from deckbuild.document import DeckError
from demos.ptbr import VEGA_TIME_LOCALE

MONTHS = VEGA_TIME_LOCALE["months"]          # janeiro … dezembro


def slugify(name: str) -> str:
    """'Python Brasil 2025 — São Paulo' -> 'python-brasil-2025-sao-paulo' (ascii, lowercase, hyphens)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise DeckError(f"--name {name!r} has no letters or digits to make a slug from: pass --slug")
    return slug


def parse_date(value: str, arg: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); a bad one is a one-line error naming the argument."""
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DeckError(f"{arg} {value!r} is not a valid date: use YYYY-MM-DD, e.g. 2025-06-10") from None


def _num(d: dt.date) -> str:
    return "1º" if d.day == 1 else str(d.day)       # pt-BR writes the first day as an ordinal


def _day(d: dt.date, year: bool = False) -> str:
    """'5 de março', '1º de junho', '5 de março de 2026'."""
    return f"{_num(d)} de {MONTHS[d.month - 1]}" + (f" de {d.year}" if year else "")


def date_range_ptbr(start: dt.date, end: dt.date) -> str:
    """Short pt-BR day range for the footer: '10–13 de junho', '30 de junho – 2 de julho'."""
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{_num(start)}–{_day(end)}"
    years = start.year != end.year
    return f"{_day(start, years)} – {_day(end, years)}"


def dates_text(start: dt.date, end: dt.date) -> str:
    """Long pt-BR dates for the title slide (`event.dates`): '10 a 13 de junho de 2025'."""
    if start == end:
        return _day(start, True)
    if (start.year, start.month) == (end.year, end.month):
        return f"{_num(start)} a {_day(end, True)}"
    if start.year == end.year:
        return f"{_day(start)} a {_day(end, True)}"
    return f"{_day(start, True)} a {_day(end, True)}"


def footer_text(name: str, city: str, start: dt.date, end: dt.date) -> str:
    """The slide footer: 'Agile Trends Nordeste · Recife · 10–13 de junho'."""
    return f"{name} · {city} · {date_range_ptbr(start, end)}"


def default_profile(root: Path) -> str:
    """The profile named by `profile: default:` in `_quarto.yml`."""
    qy = root / "_quarto.yml"
    if not qy.exists():
        raise DeckError("no _quarto.yml here: run new-event from the project folder", qy)
    default = (read_yaml(qy.read_text(encoding="utf-8"), qy.name).get("profile") or {}).get("default")
    if not default:
        raise DeckError("has no `profile: default:` naming the profile to copy", qy.name)
    return re.split(r"[ ,]+", str(default).strip())[0]


def check_model(name: str, root: Path) -> str:
    """A packaged short name, a Hugging Face id (org/name) or a local folder; else a one-line error."""
    from demos.models import available_models
    known = available_models()
    if name in known or "/" in name or (root / name).exists():
        return name
    raise DeckError(f"--model {name!r} is unknown: use one of {', '.join(known)}, "
                    "a Hugging Face id (org/name) or a local folder")


# ---------------------------------------------------------------- YAML text

def _scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, dt.date)):
        return v.isoformat() if isinstance(v, dt.date) else repr(v)
    return json.dumps(str(v), ensure_ascii=False)     # a JSON string is a valid YAML double-quoted scalar


def _emit(data: dict, comments: dict, indent: int = 0, path: str = "") -> list[str]:
    """Block-style YAML for nested dicts; lists of scalars inline; `comments` maps 'a.b' to a note."""
    lines, pad = [], "  " * indent
    for key, value in data.items():
        dotted = f"{path}.{key}" if path else str(key)
        note = f"  # {comments[dotted]}" if dotted in comments else ""
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:{note}")
            lines += _emit(value, comments, indent + 1, dotted)
        elif isinstance(value, list) and all(not isinstance(x, (dict, list)) for x in value):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in value)}]{note}")
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:{note}")
            for item in value:
                sub = _emit(item, comments, indent + 2, dotted) if isinstance(item, dict) else [_scalar(item)]
                first, rest = sub[0].strip(), sub[1:]
                lines.append(f"{pad}  - {first}")
                lines += rest
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}{note}")
    return lines


def placeholder_logo(name: str, colors: dict | None) -> str:
    """A wordmark SVG with the event's name, used until the real logo is dropped in."""
    ink = (colors or {}).get("ink", "#0B1F3A")
    accent = (colors or {}).get("accent", "#E8590C")
    width = max(240, 24 * len(name))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" '
            f'viewBox="0 0 {width} 60" role="img" aria-label="{html.escape(name)}">\n'
            f'  <rect x="0" y="52" width="{width}" height="8" fill="{accent}"/>\n'
            f'  <text x="0" y="40" font-family="Inter, sans-serif" font-weight="700" font-size="36" '
            f'fill="{ink}">{html.escape(name)}</text>\n</svg>\n')


def build_profile(base: dict, *, name: str, start: dt.date, end: dt.date, city: str, venue: str,
                  logo: str, handout_url: str | None = None, model: str | None = None,
                  tagline: str | None = None) -> dict:
    """The new profile's data: the default profile with the event's values put in."""
    import copy
    data = copy.deepcopy(base)
    event = dict(data.get("event") or {})
    # The title slide's event block shows the tagline (the event's slogan): else the event's name.
    event.update(name=name, tagline=tagline or name, start=start, end=end,
                 dates=dates_text(start, end), city=city, venue=venue, logo=logo)
    if handout_url:
        event["handout-url"] = handout_url
    ordered = ["name", "tagline", "start", "end", "dates", "city", "venue", "logo", "handout-url"]
    data["event"] = {k: event[k] for k in ordered if k in event} | {k: v for k, v in event.items()
                                                                   if k not in ordered}
    data["date"] = start.isoformat()      # the talk's day on the title slide (see date-format)
    if model:
        data.setdefault("deck", {})["model"] = model
    fmt = data.setdefault("format", {}).setdefault("revealjs", {})
    fmt.update(logo=logo, footer=footer_text(name, city, start, end))
    return {k: data[k] for k in ("event", "date", "deck", "format") if k in data} | data


def default_marks(base_event: dict, name: str, city: str) -> list[str]:
    """Words that identify the default event (name, city, logo file) but not the new one."""
    marks = [str(base_event.get(k) or "") for k in ("name", "city")]
    marks.append(Path(str(base_event.get("logo") or "")).stem)
    new = f"{name} {city}".lower()
    return [m for m in marks if m and m.lower() not in new]


def leftovers(data, marks: list[str], path: str = "") -> list[str]:
    """Dotted keys whose text still contains one of `marks`."""
    if isinstance(data, dict):
        return [k for key, v in data.items() for k in leftovers(v, marks, f"{path}.{key}".strip("."))]
    if isinstance(data, list):
        return [k for v in data for k in leftovers(v, marks, path)]
    return [path] if isinstance(data, str) and any(m.lower() in data.lower() for m in marks) else []


def profile_text(data: dict, name: str, slug: str, source: str) -> str:
    """The profile as commented YAML text."""
    header = [f"# Event profile: {name}. Written by `make new-event` from {source}; edit freely.",
              f"# Build it with `make slides PROFILE={slug}`; values here override _quarto.yml."]
    comments = {"event": "shown on the title slide and read by the demo cells",
                "event.logo": "an SVG/PNG under assets/logos/",
                "event.handout-url": "the QR code on the slides points here",
                "event.dates": "as the title slide shows them",
                "deck": "demo settings: override _quarto.yml's deck block",
                "format.revealjs.footer": "pt-BR: <evento> · <cidade> · <dias> de <mês>"}
    return "\n".join(header + _emit(data, comments)) + "\n"


# ---------------------------------------------------------------- command

def new_event(root: Path, *, name: str, start: str, end: str, city: str, slug: str | None = None,
              venue: str | None = None, model: str | None = None, handout_url: str | None = None,
              logo: str | None = None, tagline: str | None = None, force: bool = False) -> Path:
    """Write `_quarto-<slug>.yml` (and a placeholder logo if none is given); returns the profile path."""
    for arg, value in (("--name", name), ("--city", city)):
        if not (value or "").strip():
            raise DeckError(f"{arg} is empty: give the event's {arg[2:]}")
    d_start, d_end = parse_date(start, "--start"), parse_date(end, "--end")
    if d_end < d_start:
        raise DeckError(f"--end {end} is before --start {start}")
    slug = slugify(slug) if slug else slugify(name)
    target = root / f"_quarto-{slug}.yml"
    if target.exists() and not force:
        raise DeckError("profile already exists: pass --force to overwrite or --slug to pick another name", target.name)
    src_name = f"_quarto-{default_profile(root)}.yml"
    src = root / src_name
    if not src.exists():
        raise DeckError(f"the default profile {src_name} named in _quarto.yml is missing", src)
    base = read_yaml(src.read_text(encoding="utf-8"), src_name)
    model = check_model(model.strip(), root) if model else None

    created: list[Path] = []
    if logo is None:
        logo = f"assets/logos/{slug}.svg"
        logo_path = root / logo
        if not logo_path.exists():
            logo_path.parent.mkdir(parents=True, exist_ok=True)
            logo_path.write_text(placeholder_logo(name, (base.get("event") or {}).get("colors")), encoding="utf-8")
            created.append(logo_path)
    data = build_profile(base, name=name.strip(), start=d_start, end=d_end, city=city.strip(),
                         venue=(venue or city).strip(), logo=logo, handout_url=handout_url,
                         model=model, tagline=tagline)
    previous = target.read_bytes() if target.exists() else None
    target.write_text(profile_text(data, name.strip(), slug, src_name), encoding="utf-8")
    created.append(target)
    try:
        validate_profile_file(target, root)
    except Exception:
        for p in created:
            p.unlink(missing_ok=True)
        if previous is not None:
            target.write_bytes(previous)
        raise
    for key in leftovers(data, default_marks(base.get("event") or {}, name, city)):
        print(f"new-event: check {target.name} {key}: it still names the default event", file=sys.stderr)
    return target


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("new-event", help="write _quarto-<slug>.yml for another event",
                              description="Create a Quarto profile for another event from the default one.")
    p.add_argument("--name", required=True, help='event name, e.g. "Python Nordeste"')
    p.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--city", required=True, help="city shown in the footer")
    p.add_argument("--slug", help="profile name (default: from --name)")
    p.add_argument("--venue", help="venue line (default: the city)")
    p.add_argument("--tagline", help="the event's slogan, under the title (default: the name)")
    p.add_argument("--model", help="demo model, e.g. smollm2-135m (default: as in _quarto.yml)")
    p.add_argument("--handout-url", help="URL the QR code points to (default: the default profile's)")
    p.add_argument("--logo", help="logo file under the project (default: a placeholder wordmark)")
    p.add_argument("--force", action="store_true", help="overwrite an existing profile")
    p.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    p.set_defaults(func=main)
    return p


def main(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    try:
        path = new_event(root, name=args.name, start=args.start, end=args.end, city=args.city,
                         slug=args.slug, venue=args.venue, model=args.model, handout_url=args.handout_url,
                         logo=args.logo, tagline=args.tagline, force=args.force)
    except DeckError as e:
        print(f"new-event: {e}", file=sys.stderr)
        return 2
    slug = path.stem.removeprefix("_quarto-")
    print(f"wrote {path.name}")
    if args.tagline is None:
        print("  event.tagline (under the title) is the event's name: put its slogan there if it has one")
    if args.logo is None:
        print(f"  placeholder logo: assets/logos/{slug}.svg (replace it with the event's logo)")
    print(f"next: make slides PROFILE={slug}")
    return 0
