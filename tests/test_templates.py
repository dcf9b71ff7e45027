"""Template overrides: a `templates:` directory is searched first, can extend the defaults, and
its mistakes are reported with file and line (exit 2) by check and build alike."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE_DAY


def override(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_override_extends_the_default_and_replaces_one_block(cli, write_config, tmp_path):
    folder = override(
        tmp_path,
        "briefing.html.j2",
        '{% extends "default:briefing.html.j2" %}\n'
        "{% block footer %}<footer><p>Desk edition — {{ b.story_count }} stories"
        "</p></footer>{% endblock %}\n",
    )
    override(
        tmp_path,
        "briefing.md.j2",
        '{% extends "default:briefing.md.j2" %}{% block sources %}{% endblock %}',
    )
    config = write_config({"templates": str(folder)})
    code, _, err = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md,html"
    )
    assert (code, err) == (0, "")
    out = tmp_path / "out" / SAMPLE_DAY
    html = (out / f"briefing-{SAMPLE_DAY}.html").read_text("utf-8")
    md = (out / f"briefing-{SAMPLE_DAY}.md").read_text("utf-8")
    assert "Desk edition — " in html and "Generated " not in html
    assert "## Key developments" in md and "## Sources" not in md


def test_a_syntax_error_stops_build_and_check_with_file_and_line(cli, write_config, tmp_path):
    folder = override(tmp_path, "briefing.html.j2", "<p>\n{% if b.title %}\n<p>no endif\n")
    config = write_config({"templates": str(folder)})
    for args in (("check",), ("build", "--date", SAMPLE_DAY, "--format", "html")):
        code, _, err = cli(*args, "--config", str(config))
        assert code == 2
        assert f"{folder / 'briefing.html.j2'}:" in err and "template syntax error" in err
        assert "Traceback" not in err


def test_a_missing_template_lists_every_path_searched(cli, write_config, tmp_path):
    folder = override(tmp_path, "briefing.html.j2", '{% extends "default:nothing.html.j2" %}')
    config = write_config({"templates": str(folder)})
    code, _, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "html")
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "'default:nothing.html.j2' not found (searched" in line
    assert str(folder) in line and "templates" in line
