"""Every config key and every command is documented in the README."""

from __future__ import annotations

from pydantic import BaseModel

from briefing.cli import cli
from briefing.config import Config

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        inner = getattr(field.annotation, "__args__", (field.annotation,))
        nested = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
        is_list = str(field.annotation).startswith("list[")
        path = f"{prefix}{name}"
        if nested is not None:
            keys += _keys(nested, f"{path}[]." if is_list else f"{path}.")
        else:
            keys.append(path)
    return keys


def test_every_config_key_is_documented() -> None:
    keys = _keys(Config)
    assert "sections[].keywords" in keys and "output.formats" in keys
    missing = [k for k in keys if f"`{k}`" not in README]
    assert missing == []


def test_every_config_key_has_a_docstring() -> None:
    def walk(model: type[BaseModel]) -> list[str]:
        bad = [f"{model.__name__}.{n}" for n, f in model.model_fields.items() if not f.description]
        for field in model.model_fields.values():
            for arg in getattr(field.annotation, "__args__", (field.annotation,)):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    bad += walk(arg)
        return bad

    assert walk(Config) == []


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"briefing {name}" in README
