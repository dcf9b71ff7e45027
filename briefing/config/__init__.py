"""The configuration: one typed schema with a docstring under every key, assembled from the
registered source types and delivery targets, loaded from YAML without YAML's traps, every
problem reported at once with its line."""

from .load import CONFIG_ENV, find_config, format_path, load_config
from .model import Config, config_model, models_in
from .schema import (
    ClassifierConfig,
    LimitsConfig,
    OutputConfig,
    ScheduleConfig,
    SectionConfig,
    StoriesConfig,
    TopicConfig,
    WindowConfig,
)

__all__ = [
    "CONFIG_ENV",
    "ClassifierConfig",
    "Config",
    "LimitsConfig",
    "OutputConfig",
    "ScheduleConfig",
    "SectionConfig",
    "StoriesConfig",
    "TopicConfig",
    "WindowConfig",
    "config_model",
    "find_config",
    "format_path",
    "load_config",
    "models_in",
]
