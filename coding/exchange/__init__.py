"""REFI-QDA exchange with NVivo, ATLAS.ti and MAXQDA: a project in memory (`model`), built from a study
(`snapshot`) or put into one in a single transaction (`apply`). The XML itself is read by `importers.qdpx`
and written by `exports.qdpx`."""
