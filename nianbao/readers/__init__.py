"""Readers: a content file's bytes -> the report's readable text, one module a kind of file.

``text`` decodes bytes (and defines ``Unreadable``, which every reader raises with a message in Chinese);
``markdown``, ``html``, ``pdf`` and ``docx`` turn their kind into lines the parser reads, tables one row a line
with cells tab-separated. None of them knows about the content folder: ``nianbao.load`` finds the files, reads
sidecars and front matter, hashes, and calls the reader for each file's kind.
"""
