"""Hostile and mistaken configs through `briefing check` (the same loader every command uses).
Each case: the YAML (`text`, added to a valid base or replacing it), the expected behaviour in
`description`, the exit status and the lines stderr must hold (`{path}` is the config file).
tests/test_config.py keeps the exact-message tests of the loader; these add every YAML trap,
code-execution tags, bombs, wrong types, unknown keys and secrets, end to end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing.config import load_config

from .invariants import check

BASE = """\
sources:
  - name: wire
    type: feed
    path: feed.xml
sections:
  - id: other
    title: Other
    catch_all: true
"""


@dataclass
class Case:
    id: str
    description: str
    text: str  # prepended to BASE unless `alone`
    code: int = 2
    expect: list[str] = field(default_factory=list)  # substrings of stderr
    absent: list[str] = field(default_factory=list)  # never in stderr or stdout
    alone: bool = False


def _bomb() -> str:
    text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        text += f"{name}: &{name} [{','.join(['*' + prev] * 10)}]\n"
    return text


CASES = [
    Case(
        "implicit-typing",
        "NO, yes, off, 010, 0x1F, 1e3, .inf, 7:30, 2025-05-28 and ~x stay the strings written "
        "(YAML 1.1 would make booleans, numbers, sexagesimals and dates of them)",
        'title: NO\ntopic:\n  require_any: [yes, off, "010", 0x1F, 1e3, .inf, 7:30, '
        "2025-05-28, ~x]\n",
        code=0,
    ),
    Case(
        "unquoted-time",
        'window.end: 7:30 (no leading zero): one line saying a time like "07:30" is wanted',
        "window:\n  end: 7:30\n",
        expect=["{path}:2 window.end: expected a time like \"07:30\", got '7:30'"],
    ),
    Case(
        "duplicate-keys",
        "a key twice at the top and twice inside a source: both reported with both lines",
        "title: A\ntitle: B\n",
        expect=["{path}:2 title: duplicate key (first at line 1)"],
    ),
    Case(
        "duplicate-nested",
        "a duplicate key inside a list entry",
        "sources:\n  - name: wire\n    name: again\n    type: feed\n    path: feed.xml\n"
        "sections: [{id: other, title: Other}]\n",
        alone=True,
        expect=["{path}:3 sources[0].name: duplicate key (first at line 2)"],
    ),
    Case(
        "python-object-apply",
        "!!python/object/apply:os.system: refused, nothing is run (the canary file stays absent)",
        'title: !!python/object/apply:os.system ["touch {canary}"]\n',
        expect=["{path}:1 title: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"],
    ),
    Case(
        "python-name-and-custom-tags",
        "!!python/name, !!binary, a local !include and !ruby tags: each refused with its line",
        "title: !!python/name:os.system\ntemplates: !include /etc\n"
        "topic:\n  require_any: [!!binary aGk=, !ruby/object:Gem x]\n",
        expect=[
            "{path}:1 title: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
            "{path}:2 templates: YAML tag '!include' is not allowed",
            "{path}:4 topic.require_any[0]: YAML tag 'tag:yaml.org,2002:binary'",
            "{path}:4 topic.require_any[1]: YAML tag '!ruby/object:Gem' is not allowed",
        ],
    ),
    Case(
        "alias-bomb",
        "the billion-laughs of YAML (10^9 values through aliases): refused in well under a "
        "second, without building it",
        _bomb(),
        expect=["more than 100000 values (alias bomb?)"],
    ),
    Case(
        "deep-nesting",
        "values nested 200 levels deep: refused",
        "title: " + "[" * 200 + "]" * 200 + "\n",
        expect=["values nested deeper than 64 levels"],
    ),
    Case(
        "wrong-types",
        "a list where a mapping goes, a string where a number goes, a negative timeout, a string "
        "where a list goes: every one reported at once, with its line",
        "output: [md]\ntopic:\n  min_score: lots\n",
        alone=False,
        expect=[
            "{path}:1 output: expected a mapping",
            "{path}:3 topic.min_score: expected a number, got 'lots'",
        ],
    ),
    Case(
        "wrong-source-types",
        "max_bytes: 10MB, timeout: -1, max_items: 0, sources as a string",
        "sources:\n  - name: wire\n    type: feed\n    path: feed.xml\n    max_bytes: 10MB\n"
        "    timeout: -1\n    max_items: 0\n  - rss\nsections: [{id: other, title: Other}]\n",
        alone=True,
        expect=[
            "{path}:5 sources[0].max_bytes: expected a whole number, got '10MB'",
            "{path}:6 sources[0].timeout: expected greater than 0, got '-1'",
            "{path}:7 sources[0].max_items: expected greater than or equal to 1, got '0'",
            "{path}:8 sources[1]: expected a mapping, got 'rss'",
        ],
    ),
    Case(
        "unknown-keys",
        "a typo at every level: each named, with a suggestion, and no union tag in the path",
        "titel: x\noutput:\n  formtas: [md]\nlimits:\n  pdf_timout: 5\n"
        "delivery:\n  - type: directory\n    path: out\n    formatz: [pdf]\n",
        expect=[
            "{path}:1 titel: unknown key (did you mean 'title'?)",
            "{path}:3 output.formtas: unknown key (did you mean 'formats'?)",
            "{path}:5 limits.pdf_timout: unknown key (did you mean 'pdf_timeout'?)",
            "{path}:9 delivery[0].formatz: unknown key (did you mean 'formats'?)",
        ],
    ),
    Case(
        "unknown-source-key",
        "a typo in a source: named without the union tag ('sources[0].tpye', not "
        "'sources[0].feed.tpye')",
        "sources:\n  - name: wire\n    type: feed\n    path: feed.xml\n    tpye: feed\n"
        "sections: [{id: other, title: Other}]\n",
        alone=True,
        expect=["{path}:5 sources[0].tpye: unknown key (did you mean 'type'?)"],
    ),
    Case(
        "secret-in-file",
        "a password and a token written into the file: refused, saying secrets go in the "
        "environment, and the secret itself is never echoed",
        "delivery:\n  - type: email\n    host: smtp.example.org\n    from: a@example.org\n"
        "    to: [b@example.org]\n    password: hunter2-s3cret\n"
        "  - type: webhook\n    url: https://hooks.example.org/x\n    token: hunter2-s3cret\n",
        expect=[
            "{path}:6 delivery[0].password: unknown key; secrets never go in the config file",
            "{path}:9 delivery[1].token: unknown key; secrets never go in the config file",
        ],
        absent=["hunter2-s3cret"],
    ),
    Case(
        "password-in-password-env",
        "the password itself put in password_env: refused without echoing it",
        "delivery:\n  - type: email\n    host: smtp.example.org\n    from: a@example.org\n"
        "    to: [b@example.org]\n    username: a\n    password_env: 'hunter2 s3cret!'\n",
        expect=["{path}:7 delivery[0].password_env: expected the name of an environment variable"],
        absent=["hunter2 s3cret!"],
    ),
    Case(
        "timezone-traversal",
        "timezone: ../../../etc/passwd: an unknown time zone, no file read as one",
        "timezone: ../../../etc/passwd\n",
        expect=["{path}:1 timezone: unknown time zone '../../../etc/passwd'"],
    ),
    Case(
        "file-url-source",
        "a source url of file:///etc/passwd: only http(s) addresses",
        "sources:\n  - {name: wire, type: feed, url: 'file:///etc/passwd'}\n"
        "sections: [{id: other, title: Other}]\n",
        alone=True,
        expect=["{path}:2 sources[0].url: expected an http:// or https:// address"],
    ),
    Case(
        "missing-templates",
        "templates: a directory that does not exist: an error, not silently the defaults",
        "templates: no-such-dir\n",
        expect=["{path}:1 templates: no directory 'no-such-dir'"],
    ),
    Case(
        "bad-cron",
        "schedule.cron: '99 * * * *' and a four-field one: caught by check, not by the "
        "scheduler at its first fire",
        "schedule:\n  cron: '99 * * * *'\n",
        expect=["{path}:2 schedule.cron: not a valid cron expression"],
    ),
    Case(
        "bad-durations",
        "misfire_grace: 6 hours and schedule.days: []: what is wanted, in words",
        "schedule:\n  misfire_grace: 6 hours\n  days: []\n",
        expect=[
            "{path}:2 schedule.misfire_grace: expected a duration like 90s, 30m, 6h or 1d",
            "{path}:3 schedule.days: must not be empty",
        ],
    ),
    Case(
        "limits-out-of-range",
        "field limits above the parsers' ceilings and a zero PDF time",
        "limits:\n  title_chars: 100000\n  body_chars: 5\n  pdf_timeout: 0\n",
        expect=[
            "{path}:2 limits.title_chars: expected less than or equal to 500",
            "{path}:3 limits.body_chars: expected greater than or equal to 100",
            "{path}:4 limits.pdf_timeout: expected greater than 0",
        ],
    ),
    Case(
        "multiple-documents",
        "two YAML documents in one file: a syntax error naming the line",
        "title: a\n---\ntitle: b\n",
        alone=True,
        expect=["{path}:2: YAML syntax error: but found another document"],
    ),
    Case(
        "not-utf8",
        "Latin-1 bytes in the file: refused naming the byte",
        "title: Caf\udce9\n",
        expect=["{path}: not UTF-8 text (byte 10)"],
    ),
    Case(
        "empty-file",
        "an empty file: the two required keys are named",
        "",
        alone=True,
        expect=[
            "{path}:1 sections: missing required key",
            "{path}:1 sources: missing required key",
        ],
    ),
    Case(
        "top-level-list",
        "a list at the top: one line saying a mapping is expected",
        "- title: x\n",
        alone=True,
        expect=["{path}:1: expected a mapping of keys at the top level"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_config(case: Case, run, tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text("<rss/>")
    canary = tmp_path / "canary-was-created"
    path = tmp_path / "config.yaml"
    text = case.text.replace("{canary}", str(canary)) + ("" if case.alone else BASE)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    started = time.monotonic()
    result = run("check", "--config", path)
    assert time.monotonic() - started < 5
    check(result, case.code)
    for expected in case.expect:
        assert expected.format(path=path) in result.err, result.err
    if case.code == 2:
        assert result.out == ""
        lines = result.err.strip().splitlines()
        assert len(lines) == len(case.expect) or not case.expect, lines
    for secret in case.absent:
        assert secret not in result.err and secret not in result.out
    assert not canary.exists()


def test_implicit_typing_keeps_strings(tmp_path: Path) -> None:
    """The values of the implicit-typing case, as loaded."""
    (tmp_path / "feed.xml").write_text("<rss/>")
    path = tmp_path / "config.yaml"
    path.write_text(CASES[0].text + BASE, "utf-8")
    config = load_config(path)
    assert config.title == "NO"
    assert config.topic.require_any == [
        "yes",
        "off",
        "010",
        "0x1F",
        "1e3",
        ".inf",
        "7:30",
        "2025-05-28",
        "~x",
    ]
