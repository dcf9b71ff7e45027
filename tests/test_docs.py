"""Every config key and every command is documented in the README, and the README's command
reference is the one the click commands make (regenerate it with
`UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py`)."""

from __future__ import annotations

import ast
import inspect
import os
import re
import textwrap
from collections.abc import Iterator
from itertools import pairwise

import click
from pydantic import BaseModel

from briefing.cli import cli
from briefing.config import config_model, models_in
from briefing.registry import Strict

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


def key_docs(cls: type[BaseModel]) -> dict[str, str]:
    """The docstring under each key of a schema, as written in its class or a base class."""
    docs: dict[str, str] = {}
    for klass in reversed([k for k in cls.__mro__ if issubclass(k, Strict)]):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):  # made at run time (`create_model`): no source
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for key, doc in pairwise(body):
            if (
                isinstance(key, ast.AnnAssign)
                and isinstance(key.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs[key.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def test_every_config_key_has_a_docstring() -> None:
    def walk(model: type[BaseModel]) -> list[str]:
        docs = key_docs(model)
        bad = [f"{model.__name__}.{n}" for n in model.model_fields if not docs.get(n)]
        for field in model.model_fields.values():
            for sub in models_in(field.annotation):
                bad += walk(sub)
        return bad

    assert walk(config_model()) == []


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"briefing {name}" in README


def _param(param: click.Parameter) -> str | None:
    if isinstance(param, click.Argument):
        name = param.human_readable_name.upper()
        text = name if param.required else f"[{name}]"
    elif isinstance(param, click.Option) and param.name != "help":
        flag = param.opts[0] if param.secondary_opts else max(param.opts, key=len)
        text = flag if param.is_flag else f"{flag} {param.metavar or param.type.name}"
        text = text if param.required else f"[{text}]"
    else:
        return None
    return text + ("..." if param.multiple else "")


def _usages(command: click.Command, prefix: str) -> Iterator[str]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _usages(sub, f"{prefix} {name}")
        return
    yield " ".join([prefix, *(p for p in map(_param, command.params) if p)])


def command_reference() -> str:
    """The README's command reference, made from the click commands themselves."""
    top = " ".join(p for p in map(_param, cli.params) if p and "version" not in p)
    lines = [f"briefing {top} COMMAND"]
    for name, command in cli.commands.items():
        lines += _usages(command, f"briefing {name}")
    return "\n".join([*lines, "briefing --version"])


def test_the_command_reference_is_the_one_the_commands_make() -> None:
    block = re.search(r"## Command line\n\n```\n(.*?)\n```", README, re.S)
    assert block, "README has no ## Command line code block"
    made = command_reference()
    if os.environ.get("UPDATE_DOCS"):
        (ROOT / "README.md").write_text(README.replace(block.group(1), made), "utf-8")
    assert block.group(1) == made
