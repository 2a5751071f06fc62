"""The error a data document (a framework, the milestone rules, the house style) raises when
it is not valid: every problem at once, each naming its place, so one edit can fix them all."""

from collections.abc import Sequence


class DocumentError(ValueError):
    """A document is not valid; `problems` lists each, and `source` names the file if known."""

    def __init__(self, problems: Sequence[str], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(self.problems))
