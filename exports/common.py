"""Small formatting helpers shared by the exporters (no python-docx here: the CSV path stays light)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from coding.models import Code, StudyError


def write_atomically(path: Path, write: Callable[[Path], None], what: str) -> None:
    """Call `write(tmp)` on a temporary file next to `path`, then move it into place.

    A failure part-way leaves any earlier file at `path` untouched and no partial file behind.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise StudyError(f"cannot write the {what} ({exc.strerror})", path=str(path)) from exc
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    except OSError as exc:
        raise StudyError(f"cannot write the {what} ({exc.strerror})", path=str(path)) from exc
    finally:
        tmp_path.unlink(missing_ok=True)


def fmt_valence(value: float | None) -> str:
    """+1.5 / −0.3 (true minus sign) / n/a."""
    if value is None:
        return "n/a"
    return f"{value:+.1f}".replace("-", "−")


def plural(n: int, word: str) -> str:
    """1 participant, 2 participants (English -s plurals only)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def code_path(code: Code, codes: dict[int, Code]) -> str:
    """Parent and child names joined with " > " (guards against a cycle)."""
    names, seen, current = [], set(), code
    while current is not None and current.id not in seen:
        seen.add(current.id)
        names.append(current.name)
        current = codes.get(current.parent_id) if current.parent_id is not None else None
    return " > ".join(reversed(names))
