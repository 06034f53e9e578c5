"""`make bench`: generated corpora at scale, each timed against the bare library doing the same work."""
