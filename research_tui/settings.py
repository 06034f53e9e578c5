"""The studio's settings: one typed object, loaded once from a TOML file.

The file lives in the user config directory (`research-tui/settings.toml`); the environment variable
`RESEARCH_TUI_SETTINGS` points elsewhere (tests use it). A missing file means defaults. Example:

    theme = "light"                 # "dark", "light" or any Textual theme name
    coder = "Sam"                   # name written on every coding (default: your login name)
    pinned = ["Awareness", "Frustrated", "pain_point:Waiting"]   # number keys 1-9 in the reader
    [keys]                          # binding id -> key(s); see `?` in the studio for the ids
    "reader.code" = "space"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from coding.models import StudyError

ENV_VAR = "RESEARCH_TUI_SETTINGS"
THEMES = {"dark": "textual-dark", "light": "textual-light"}


class SettingsError(StudyError):
    """The settings file cannot be used; the message names the file."""


def default_path() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("research-tui")) / "settings.toml"


@dataclass
class Settings:
    theme: str = "dark"
    coder: str = ""
    pinned: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    # where the settings came from and what was odd about them (shown once as notifications)
    path: Path | None = field(default=None, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def textual_theme(self) -> str:
        return THEMES.get(self.theme, self.theme)

    @classmethod
    def for_tests(cls, **overrides) -> Settings:
        """Defaults, no file read."""
        return cls(**overrides)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Settings:
        """Read the settings file (defaults when it does not exist)."""
        path = Path(path) if path is not None else default_path()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path=None)
        except OSError as exc:
            raise SettingsError(f"cannot read settings ({exc.strerror})", path=str(path)) from None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"invalid TOML in settings file ({exc})", path=str(path)) from None
        return cls.from_dict(data, path=path)

    @classmethod
    def from_dict(cls, data: dict, *, path: Path | None = None) -> Settings:
        where = str(path) if path else "settings"
        known = {f.name for f in fields(cls)} - {"path", "warnings"}
        warnings = [f"{where}: unknown setting {k!r} ignored" for k in data if k not in known]

        def check(name: str, ok: bool, expected: str):
            if name in data and not ok:
                raise SettingsError(f"setting {name!r} must be {expected}", path=where)

        check("theme", isinstance(data.get("theme"), str), "a string such as \"dark\" or \"light\"")
        check("coder", isinstance(data.get("coder"), str), "a string")
        pinned = data.get("pinned", [])
        check("pinned", isinstance(pinned, list) and all(isinstance(p, str) for p in pinned),
              "a list of code names")
        keys = data.get("keys", {})
        check("keys", isinstance(keys, dict) and all(isinstance(v, str) for v in keys.values()),
              "a table of binding id = \"key\"")
        if len(pinned) > 9:
            warnings.append(f"{where}: only the first 9 pinned codes get a number key")
        return cls(
            theme=data.get("theme", "dark"), coder=data.get("coder", "").strip(),
            pinned=list(pinned[:9]), keys=dict(keys), path=path, warnings=warnings,
        )
