"""`briefing check` renders every template against sample briefings built in code, so a template
that would fail the morning's build fails the check instead: exit 2, its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

BLOCK = '{{% extends "default:{name}" %}}\n{{% block footer %}}\n{body}\n{{% endblock %}}\n'
CASES = [
    # (template, what it holds, line, message)
    ("briefing.html.j2", "<p>{{ b.storycount }}</p>", 3, "has no attribute 'storycount'"),
    ("briefing.md.j2", "{{ b.title | nosuchfilter }}", 3, "No filter named 'nosuchfilter'"),
    ("email.html.j2", "<p>{{ b.title | local }}</p>", 3, "AttributeError: 'str' object has no"),
    ("briefing.html.j2", "{% block inner %}<p>never closed</p>", 4, "Unexpected end of template"),
    (
        "briefing.md.j2",
        "{% if not b.story_count %}{{ b.nothing_today }}{% endif %}",
        3,
        "has no attribute 'nothing_today'",
    ),
    (
        "archive.html.j2",
        "{% for e in archive.entries %}{{ e.storycount }}{% endfor %}",
        3,
        "has no attribute 'storycount'",
    ),
]


@pytest.mark.parametrize(("name", "body", "line", "message"), CASES)
def test_a_template_that_would_fail_a_build_fails_the_check(
    cli, write_config, tmp_path: Path, name: str, body: str, line: int, message: str
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / name).write_text(BLOCK.format(name=name, body=body), "utf-8")
    code, out, err = cli("check", "--config", str(write_config({"templates": str(mine)})))
    assert (code, out) == (2, "")
    (problem,) = err.splitlines()
    assert problem.startswith(f"error: {mine / name}:{line}: template ")
    assert message in problem


def test_the_same_template_fails_the_build_as_the_check_said(cli, write_config, tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "briefing.html.j2").write_text(
        BLOCK.format(name="briefing.html.j2", body="{{ b.storycount }}"), "utf-8"
    )
    config = str(write_config({"templates": str(mine)}))
    checked = cli("check", "--config", config)
    built = cli("build", "--config", config, "--date", "2025-05-28", "--format", "html")
    assert checked[0] == built[0] == 2
    assert checked[2] == built[2]


def test_the_shipped_templates_pass(cli, write_config) -> None:
    code, out, err = cli("check", "--config", str(write_config()))
    assert (code, err) == (0, "")
    assert out.endswith(": OK (8 sources, 5 sections)\n")


def test_a_branch_only_a_provisional_day_takes_is_rendered_too(
    cli, write_config, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    body = "{% if b.provisional %}{{ b.window_closes }}{% endif %}"
    (mine / "email.html.j2").write_text(BLOCK.format(name="email.html.j2", body=body), "utf-8")
    code, _, err = cli("check", "--config", str(write_config({"templates": str(mine)})))
    assert code == 2 and "has no attribute 'window_closes'" in err
