"""research-tui: a keyboard-first terminal studio for coding interview transcripts."""

__version__ = "0.1.0"
