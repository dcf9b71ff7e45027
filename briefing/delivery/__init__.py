"""Delivery targets: the registry and the built-in `email`, `directory` and `webhook` targets.
Importing this package registers the built-in targets."""

from . import directory, email, webhook  # noqa: F401  (each registers its target type)
from .registry import TARGET_TYPES, DeliveryError, Package, TargetConfig, read_built

__all__ = ["TARGET_TYPES", "DeliveryError", "Package", "TargetConfig", "read_built"]
