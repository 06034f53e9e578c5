"""The study file and its history: opening, creating and checking a study (`studyfile`, `walfiles`,
`damage`), its schema and migrations (`schema`, applied on opening by `upgrade`), the `Store` with the
write lock, commands, undo and redo (`store`, `actionlog`), and backups (`backup`, `restore`). It uses no
capability module: what a study can do is in the modules of functions over a `Store` next to this package
(`coding.codebook`, `coding.codings` …)."""

from .store import Store, default_coder

__all__ = ["Store", "default_coder"]
