"""Errors the CLI turns into one-line messages and exit statuses (2 usage/config, 1 work)."""


class BriefingError(Exception):
    """An expected failure with a message meant for the user; `exit_code` picks the status."""

    exit_code = 1


class ConfigError(BriefingError):
    """Bad configuration or templates: the user must change a file."""

    exit_code = 2

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UsageError(BriefingError):
    """Bad command-line usage."""

    exit_code = 2


class WorkError(BriefingError):
    """The work itself failed (store, rendering, writing files)."""

    exit_code = 1
