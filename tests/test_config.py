"""Config loading: every problem reported at once, each with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.config.yamlread import read_yaml
from briefing.errors import ConfigError

BASE = """\
title: Test
timezone: Europe/Kyiv
sources:
  - name: one
    type: feed
    path: feed.xml
sections:
  - id: negotiations
    title: Negotiations
    keywords: [ceasefire]
  - id: other
    title: Other
    catch_all: true
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [p.replace(str(path), "config.yaml") for p in info.value.problems]


def test_valid_config_loads_and_keeps_yaml_traps_as_strings(tmp_path: Path) -> None:
    text = BASE.replace("keywords: [ceasefire]", "keywords: [ceasefire, NO, 7:30, 010]")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.sections[0].keywords == ["ceasefire", "NO", "7:30", "010"]
    assert config.database_url == "sqlite:///" + str(tmp_path.resolve() / "output/briefing.db")


def test_wrong_type_names_line_and_key(tmp_path: Path) -> None:
    text = BASE.replace("keywords: [ceasefire]", "keywords: [ceasefire]\n    max_stories: many")
    assert problems(tmp_path, text) == [
        "config.yaml:11 sections[0].max_stories: expected a whole number, got 'many'"
    ]


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    text = BASE.replace("keywords: [ceasefire]", "keywrods: [ceasefire]")
    assert problems(tmp_path, text) == [
        "config.yaml:10 sections[0].keywrods: unknown key (did you mean 'keywords'?)"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        BASE.replace("timezone: Europe/Kyiv", "timezone: Mars/Olympus\ncolour: blue")
        .replace("keywords: [ceasefire]", "keywords: ceasefire")
        .replace("catch_all: true", "catch_all: maybe")
    )
    assert problems(tmp_path, text) == [
        "config.yaml:2 timezone: unknown time zone 'Mars/Olympus' (use a name like 'Europe/Kyiv')",
        "config.yaml:3 colour: unknown key",
        "config.yaml:11 sections[0].keywords: expected a list, got 'ceasefire'",
        "config.yaml:14 sections[1].catch_all: expected true or false, got 'maybe'",
    ]


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    """An unclosed `[` is named where it opens (PyYAML notices it on the next line)."""
    text = BASE.replace("    title: Negotiations", "    title: [Negotiations")
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("config.yaml:9: YAML syntax error: in the '[' opened here: ")
    assert problem.endswith("(line 10)")


def test_duplicate_keys_and_code_tags_are_refused(tmp_path: Path) -> None:
    text = BASE.replace("title: Test\n", "title: Test\ntitle: Again\n").replace(
        "path: feed.xml", "path: !!python/object/apply:os.system [echo hi]"
    )
    assert problems(tmp_path, text) == [
        "config.yaml:2 title: duplicate key (first at line 1)",
        "config.yaml:7 sources[0].path: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
        " is not allowed",
    ]


def test_cross_entry_rules(tmp_path: Path) -> None:
    text = BASE + "  - id: other\n    title: Again\n    catch_all: true\n"
    text = text.replace("    path: feed.xml\n", "    path: feed.xml\n    url: https://x.example/\n")
    assert problems(tmp_path, text) == [
        "config.yaml:4 sources[0]: give exactly one of 'path' and 'url'",
        "config.yaml:15 sections[2].id: duplicate id 'other' (also sections[1])",
        "config.yaml:17 sections[2].catch_all: only one section may be the catch_all",
    ]


def test_an_unknown_type_is_told_the_registered_types_of_its_own_list(tmp_path: Path) -> None:
    text = (
        BASE.replace("    type: feed", "    type: rss") + "delivery:\n  - type: ftp\n  - path: x\n"
    )
    assert problems(tmp_path, text) == [
        "config.yaml:5 sources[0].type: expected one of 'clipping', 'feed', 'page', got 'rss'",
        "config.yaml:15 delivery[0].type: expected one of 'directory', 'email', 'webhook', "
        "got 'ftp'",
        "config.yaml:16 delivery[1]: missing required key 'type' (one of 'directory', 'email', "
        "'webhook')",
    ]


def test_missing_required_keys(tmp_path: Path) -> None:
    assert problems(tmp_path, "title: Only a title\n") == [
        "config.yaml:1 sections: missing required key",
        "config.yaml:1 sources: missing required key",
    ]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb += (
            f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},"
            f"*{prev},*{prev},*{prev}]\n"
        )
    found = problems(tmp_path, bomb)
    assert any("more than 100000 values (alias bomb?)" in p for p in found)


def test_nesting_too_deep_for_python_is_one_line_not_a_crash(tmp_path: Path) -> None:
    """PyYAML's Python reader recurses once per level and dies of RecursionError; libyaml
    refuses the nesting with a message, which stands."""
    text = BASE + "extra: " + "[" * 5000 + "]" * 5000 + "\n"
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("config.yaml:")
    assert "YAML syntax error" in problem and "nesting depth" in problem


def test_null_and_quoted_scalars_read_alike_in_libyaml_and_python() -> None:
    """libyaml marks a plain scalar's style "" where Python marks None: both are plain."""
    text = 'a: ""\nb:\nc: ~\nd: "~"\ne: null\nf: plain\n'
    doc = read_yaml(text)
    assert doc.data == {"a": "", "d": "~", "f": "plain"}


def test_shipped_config_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    config = load_config(root / "config.yaml")
    assert [s.id for s in config.sections] == [
        "negotiations",
        "sanctions",
        "battlefield",
        "nato",
        "other",
    ]
    assert len(config.sources) >= 5
