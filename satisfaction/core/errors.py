"""Errors raised by services when input is refused; front ends turn them into messages."""

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (a line, a field) and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(Exception):
    """Input refused as a whole; nothing was changed. Carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class Conflict(InputError):
    """Input refused because it was taken before, or by another request at the same moment."""


class NotFound(Exception):
    """A thing named by the caller does not exist."""


class Forbidden(Exception):
    """The acting user may not do this, or not within their scope."""


def at_line(line: int | str, column: str | None = None) -> str:
    """Say where in a file a problem is: "line 12" or "line 12, column Mã PX", translated."""
    if column:
        return _("line %(line)s, column %(column)s", line=line, column=column)
    return _("line %(line)s", line=line)
