"""What is wrong with an input file's path, said the same way by the CLI's argument check
(before any library loads) and by the CSV reader."""

from __future__ import annotations

from pathlib import Path


def file_problem(path: str | Path) -> str | None:
    """A one-line problem naming ``path`` when it is not a readable file, else None."""
    file = Path(path)
    if file.is_dir():
        return f"{path}: is a directory; give the CSV file itself"
    if not file.exists():
        return f"{path}: no such file"
    return None
