"""The error a data document (a framework, the milestone rules, the house style) raises when
it is not valid: every problem at once, each naming its place, so one edit can fix them all."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class DocumentError(ValueError):
    """A document is not valid; `problems` lists each, and `source` names the file if known."""

    def __init__(self, problems: Sequence[str], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(self.problems))


def read_json_document(path: Path, error: type[DocumentError]) -> Any:
    """The JSON document in the file at `path`; `error`, naming the file by its full path,
    when the file is not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as problem:
        raise error(
            [f"not valid JSON: {problem.msg} at line {problem.lineno}, column {problem.colno}"],
            source=str(path),
        ) from None
