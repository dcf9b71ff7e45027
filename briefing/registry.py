"""Registries of plug-in types, and the base class of every config schema.

Source types (`feed`, `page`, `clipping`) and delivery targets (`email`, `directory`, `webhook`)
are each one module and one registration: a config schema class whose `type` key is a literal
and whose methods do the work. The config schema, the collector, the runner and the error
messages learn the types from these registries, so adding a type touches nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, Literal, TypeVar, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Config schemas: unknown keys are errors, every key has a docstring, values never change.

    The docstrings document the keys (tests/test_docs.py reads them); pydantic is not asked to
    read them into its fields, which would parse every schema's source at every start (17 ms)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def known_zone(value: str) -> str:
    """A validator: `value` names an IANA time zone."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use a name like 'Europe/Kyiv')") from None
    return value


T = TypeVar("T", bound=Strict)


class Registry(Generic[T]):
    """Schema classes by the value of their `type` key, in registration order.

    `version` changes with every registration, so whoever builds on the registered types (the
    config schema) knows when to build again."""

    def __init__(self, kind: str, base: type[T]) -> None:
        self.kind = kind
        self.base = base
        self._types: dict[str, type[T]] = {}
        self.version = 0

    def register(self, cls: type[T]) -> type[T]:
        """Add `cls` (usable as a class decorator); a second class for one name replaces it."""
        if not issubclass(cls, self.base):
            raise TypeError(f"{cls.__name__} is not a {self.base.__name__}")
        self._types[type_name(cls)] = cls
        self.version += 1
        return cls

    def unregister(self, name: str) -> None:
        self._types.pop(name, None)
        self.version += 1

    def get(self, name: Any) -> type[T] | None:
        return self._types.get(name) if isinstance(name, str) else None

    def names(self) -> list[str]:
        return list(self._types)

    def classes(self) -> list[type[T]]:
        return list(self._types.values())

    def __iter__(self) -> Iterator[type[T]]:
        return iter(self.classes())

    def __len__(self) -> int:
        return len(self._types)


def type_name(cls: type[BaseModel]) -> str:
    """The value of a schema's `type: Literal["name"]` key."""
    field = cls.model_fields.get("type")
    args = get_args(field.annotation) if field is not None else ()
    if field is None or get_origin(field.annotation) is not Literal or len(args) != 1:
        raise TypeError(f"{cls.__name__} needs a key `type: Literal['its-name']`")
    return str(args[0])
