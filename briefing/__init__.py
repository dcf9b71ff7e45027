"""briefing: the day's news on a topic, as a sectioned briefing."""

__version__ = "0.1.0"
