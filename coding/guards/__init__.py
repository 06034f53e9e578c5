"""Guards for files and text we did not make: the importers and the exports both read and write through
them. `archive` opens a zip (.docx, .qdpx) with its limits checked from the central directory before
anything is unpacked; `ooxml` finds a Word file's main part through those limits; `text` takes escape
sequences and control characters out of text shown in a terminal or written to XML, and makes CSV cells
formula-safe."""
