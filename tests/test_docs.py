"""Every config key and every command is documented in the README."""

from __future__ import annotations

from pydantic import BaseModel

from briefing.cli import cli
from briefing.config import config_model, models_in

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for name, field in model.model_fields.items():
        nested = models_in(field.annotation)
        is_list = str(field.annotation).startswith("list[")
        path = f"{prefix}{field.alias or name}"
        for sub in nested:  # every source type's keys under sources[]
            keys += [
                k for k in _keys(sub, f"{path}[]." if is_list else f"{path}.") if k not in keys
            ]
        if not nested:
            keys.append(path)
    return keys


def test_every_config_key_is_documented() -> None:
    keys = _keys(config_model())
    assert "sections[].keywords" in keys and "output.formats" in keys
    missing = [k for k in keys if f"`{k}`" not in README]
    assert missing == []


def test_every_config_key_has_a_docstring() -> None:
    def walk(model: type[BaseModel]) -> list[str]:
        bad = [f"{model.__name__}.{n}" for n, f in model.model_fields.items() if not f.description]
        for field in model.model_fields.values():
            for sub in models_in(field.annotation):
                bad += walk(sub)
        return bad

    assert walk(config_model()) == []


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"briefing {name}" in README
