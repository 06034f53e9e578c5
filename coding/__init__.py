"""The domain core of research-tui: study store, codebook, coding, synthesis. Never imports the UI."""
