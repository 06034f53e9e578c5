"""Widgets of the studio; the big lists draw only their visible lines (Textual's Line API)."""
